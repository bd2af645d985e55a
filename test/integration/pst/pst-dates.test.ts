import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import type { MailItem } from '../../../electron/engine/model/items.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';
import { FakeSourceContext } from '../../support/fake-source-context.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { pffexportAvailable, readpstExport, readpstVersion } from './readpst-oracle.js';

const pstDir = path.join(fixturesDir, 'pst');
const oracles = readpstVersion() !== undefined && pffexportAvailable();
const ci = process.env['CI'] === 'true';
if (!hasFixtures) console.warn(`PST dates: tests skipped: no fixtures at ${fixturesDir}`);
else if (!oracles) console.warn('PST dates: oracle test skipped: readpst (pst-utils) or pffexport (pff-tools) is not installed');
const corrupt = (name: string): boolean => name.startsWith('NOT_A_PST') || name.includes('BADHEADERCRC');
const fixtures = hasFixtures ? readdirSync(pstDir).filter((name) => name.endsWith('.pst') && !corrupt(name)).sort() : [];

async function mails(file: string): Promise<MailItem[]> {
  const source = new PstSource([file]);
  await source.open();
  const out: MailItem[] = [];
  try {
    for await (const entry of source.entries(new FakeSourceContext())) if (entry.type === 'item' && entry.item.kind === 'mail') out.push(entry.item);
  } finally {
    await source.close();
  }
  return out;
}

describe.skipIf(!hasFixtures)('PST: every message reaches the target with a date', () => {
  it.each(fixtures)('%s: no message without a sent or received time', async (name) => {
    const undated = (await mails(path.join(pstDir, name))).filter((item) => !item.sentAt && !item.receivedAt).map((item) => item.title);
    expect(undated).toEqual([]);
  });
});

/**
 * aspose_passwordprotectedPST.pst has five messages with neither PR_CLIENT_SUBMIT_TIME nor
 * PR_MESSAGE_DELIVERY_TIME. Three kept the headers they arrived with: their Date is the one readpst
 * writes. Two have no Date anywhere (readpst writes none): they are dated by the creation time that
 * pffexport reads, and the report says so.
 */
describe.skipIf(!hasFixtures || (!oracles && !ci))('PST: messages with no MAPI times, against readpst and pffexport', () => {
  const file = path.join(pstDir, 'aspose_passwordprotectedPST.pst');

  it('dated by their own Date header where they kept one, else by their creation time, with a note', async () => {
    const ours = await mails(file);
    const rp = readpstExport(file);
    const readpstDates = new Map<string, string[]>();
    try {
      expect(rp.ok, 'readpst reads the file').toBe(true);
      for (const files of rp.folders.values()) {
        for (const eml of files) {
          const head = readFileSync(eml, 'latin1').split(/\r?\n\r?\n/)[0] ?? '';
          const subject = /^Subject: (.*)$/m.exec(head)?.[1]?.trim() ?? '';
          const date = /^Date: (.*)$/m.exec(head)?.[1]?.trim();
          readpstDates.set(subject, [...(readpstDates.get(subject) ?? []), ...(date ? [new Date(date).toISOString()] : [])]);
        }
      }
    } finally {
      rp.cleanup();
    }
    const withHeaders = ours.filter((item) => item.title === 'Subject');
    expect(withHeaders).toHaveLength(3);
    expect(withHeaders.map((item) => item.sentAt?.toISOString()).sort()).toEqual([...(readpstDates.get('Subject') ?? [])].sort());
    expect(withHeaders.every((item) => item.caveat === undefined)).toBe(true);

    const dir = mkdtempSync(path.join(tmpdir(), 'cloudward-pff-dates-'));
    const created: string[] = [];
    try {
      execFileSync('pffexport', ['-q', '-t', path.join(dir, 'out'), file], { stdio: 'ignore', timeout: 120_000 });
      const walk = (at: string): void => {
        for (const name of readdirSync(at)) {
          const full = path.join(at, name);
          if (!statSync(full).isDirectory() || name === 'Attachments') continue;
          if (/^Message\d{5}$/.test(name)) {
            const headers = readFileSync(path.join(full, 'OutlookHeaders.txt'), 'utf8');
            const time = /^Creation time:\s+(\w{3} \d{1,2}, \d{4} \d{2}:\d{2}:\d{2})\.(\d{3})\d* UTC$/m.exec(headers);
            if (/^Subject:\s+creating an outlook message file$/m.test(headers) && time) created.push(new Date(`${time[1]}.${time[2]} UTC`).toISOString());
          } else walk(full);
        }
      };
      walk(path.join(dir, 'out.export'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(readpstDates.get('creating an outlook message file'), 'readpst writes no Date for them').toEqual([]);
    const dateless = ours.filter((item) => item.title === 'creating an outlook message file');
    expect(dateless.map((item) => item.receivedAt?.toISOString()).sort()).toEqual(created.sort());
    for (const item of dateless) expect(item.caveat).toMatch(/^no sent or received time and no Date header and no Received header: dated by the time it was created in the PST/);
  });
});
