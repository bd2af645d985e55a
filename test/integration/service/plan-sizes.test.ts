import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { envelopeVersion, type JobPlan } from '../../../electron/contract/index.js';
import { createServiceHost } from '../../../electron/cli/service-host.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';

const work = mkdtempSync(join(tmpdir(), 'cw-plan-sizes-'));
const host = createServiceHost({ ledgerFile: join(work, 'ledger.sqlite'), environment: {}, host: 'cli', version: 't' });
afterAll(() => host.close());

async function plan(source: string, extra: Record<string, unknown> = {}): Promise<JobPlan> {
  const reply = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 1, command: 'job:plan', payload: { source, target: `dir:${join(work, 'out')}`, ...extra } });
  if (!reply.result.ok) throw new Error(reply.result.error.message);
  return reply.result.value as JobPlan;
}

/**
 * The oracle: pst-extractor alone, in its own process (ours patches the library's reads), each message
 * opened and its own PR_MESSAGE_SIZE read from its property context; the preview reads one cell per row
 * of the folder's contents table instead and opens no message.
 */
function messageSizesByFolder(file: string): Map<string, number> {
  const script = `
    const { PSTFile } = require('pst-extractor');
    const sizes = {};
    const walk = (folder, path) => {
      let sum = 0;
      try {
        for (let message = folder.getNextChild(); message; message = folder.getNextChild()) sum += Number(message.messageSize);
      } catch {
        sum = -1; // a folder the library cannot list has no oracle figure, and never matches one of ours
      }
      if (sum !== 0) sizes[path.join('/')] = sum;
      let children = [];
      try {
        children = folder.getSubFolders();
      } catch {
        // search folders and the like the library cannot open
      }
      for (const child of children) walk(child, [...path, child.displayName]);
    };
    walk(new PSTFile(process.argv[1]).getRootFolder(), []);
    process.stdout.write(JSON.stringify(sizes));`;
  const child = spawnSync(process.execPath, ['-e', script, file], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`pst-extractor could not walk ${file}: ${child.stderr.split('\n')[0] ?? ''}`);
  return new Map(Object.entries(JSON.parse(child.stdout) as Record<string, number>));
}

/** The oracle's folders for one of ours: its paths start at the root, ours at the IPM subtree (which is our []). */
function oracleMatches(oracle: Map<string, number>, path: readonly string[]): [string, number][] {
  const ours = path.join('/');
  return [...oracle].filter(([theirs]) => (path.length === 0 ? !theirs.includes('/') && theirs !== '' : theirs === ours || theirs.endsWith(`/${ours}`)));
}

const pstFiles = hasFixtures ? readdirSync(join(fixturesDir, 'pst')).filter((name) => /\.pst$/i.test(name)) : [];

describe.skipIf(!hasFixtures)('job:plan sizes for a PST', () => {
  // Fixtures plain pst-extractor can walk (it cannot open the ANSI pst2john_2k file, for one).
  it.each(['DFRWS2009-Outlook-Email.pst', 'aspose_Chunks_Test_part1.pst', 'pst2john_Outlook_enc.pst', 'tika_testPST_variousBodyTypes.pst', 'process-pst_unsent_email.pst'])(
    '%s: each folder is the sum of its messages PR_MESSAGE_SIZE, read independently',
    async (name) => {
      const file = join(fixturesDir, 'pst', name);
      const preview = await plan(`pst:${file}`);
      const oracle = messageSizesByFolder(file);
      const mailbox = preview.mailboxes[0];
      expect(mailbox?.error).toBeUndefined();
      let total = 0;
      for (const folder of mailbox?.folders ?? []) {
        if (folder.items === 0) continue;
        const matches = oracleMatches(oracle, folder.path);
        expect(matches.length, folder.path.join('/')).toBeGreaterThan(0);
        expect(folder.bytes, folder.path.join('/')).toBe(matches[0]?.[1]);
        total += folder.bytes;
      }
      expect(total).toBeGreaterThan(0);
      expect(preview.totals.bytes).toBe(total);
    },
  );

  it('every PST fixture previews a size the oracle confirms, or says unknown (0)', async () => {
    // One fixture written by Aspose keeps, in its contents table, sizes that differ from its messages' own
    // (myInbox: 13,782 against 14,058, 2 %): the table's figure is what Outlook shows, so within 5 % is a match.
    for (const name of pstFiles) {
      const file = join(fixturesDir, 'pst', name);
      let oracle: Map<string, number>;
      try {
        oracle = messageSizesByFolder(file);
      } catch {
        continue; // files plain pst-extractor cannot open have no oracle here
      }
      let preview: JobPlan;
      try {
        preview = await plan(`pst:${file}`);
      } catch {
        continue;
      }
      for (const folder of preview.mailboxes[0]?.folders ?? []) {
        if (folder.bytes === 0) continue;
        const matches = oracleMatches(oracle, folder.path);
        const close = matches.some(([, bytes]) => Math.abs(bytes - folder.bytes) <= bytes * 0.05);
        expect(close, `${name}: ${folder.path.join('/')} ${folder.bytes} against ${JSON.stringify(matches)}`).toBe(true);
      }
    }
  }, 120_000);
});
