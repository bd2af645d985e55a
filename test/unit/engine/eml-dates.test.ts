import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import type { MailItem, SourceEntry } from '../../../electron/engine/model/items.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { renderCsv } from '../../../electron/engine/report/csv-report.js';
import { renderHtml } from '../../../electron/engine/report/html-report.js';
import { buildJobReports } from '../../../electron/engine/report/report-data.js';
import { EmlSource } from '../../../electron/engine/sources/eml/eml-source.js';
import { DirTarget } from '../../../electron/engine/targets/dir/dir-target.js';
import { PR_MESSAGE_DELIVERY_TIME, messageXml } from '../../../electron/engine/targets/ews/mapping/mail.js';
import { FakeSourceContext } from '../../support/fake-source-context.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

if (!hasFixtures) console.warn(`eml dates: tests skipped: no fixtures at ${fixturesDir}`);

/**
 * Fixtures (nobody here wrote them) whose header block has no Date field, or one no reader can parse
 * ("16 May 2016 at 09:30:32  GMT+1"): found by reading every header block of fixtures/eml with Python's
 * email parser, not with our code.
 */
const undated = [
  'mail-gem_bad_encoded_subject.eml',
  'mail-gem_japanese_iso_2022.eml',
  'mailparser_base64encodedroot.eml',
  'mailparser_mixed.eml',
  'mailparser_nested.eml',
  'tika_testRFC822-limitedheaders.eml',
  'tika_testRFC822_base64.eml',
  'tika_testRFC822_date_utf8.eml',
  'tika_testRFC822_multipart_attachments.eml',
];
/** Dated fixtures: their own Date is kept and nothing is said about them. */
const dated = { 'tika_testThunderbirdEml.eml': '2012-11-21T20:11:32.000Z', 'tika_testRFC822-CC-BCC.eml': undefined };

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
const fixture = (name: string): Buffer => readFileSync(join(fixturesDir, 'eml', name));

async function mails(root: string): Promise<MailItem[]> {
  const source = new EmlSource(root);
  await source.open();
  const entries: SourceEntry[] = [];
  for await (const entry of source.entries(new FakeSourceContext())) entries.push(entry);
  return entries.flatMap((entry) => (entry.type === 'item' && entry.item.kind === 'mail' ? [entry.item] : []));
}

describe.skipIf(!hasFixtures)('a message with no date of its own', () => {
  it('an .eml file without a Date header is dated by the file time, and says so', async () => {
    const root = tempDir('cw-undated-');
    const fileTime = new Date('2013-05-07T08:09:10Z');
    for (const name of undated) {
      writeFileSync(join(root, name), fixture(name));
      utimesSync(join(root, name), fileTime, fileTime);
    }
    const items = await mails(root);
    expect(items.map((item) => item.key.replace(/^eml:/, '')).sort()).toEqual([...undated].sort());
    for (const item of items) {
      // The file time dates the delivery only: it is not when the message was sent.
      expect(item.sentAt, item.key).toBeUndefined();
      expect(item.receivedAt?.toISOString(), item.key).toBe(fileTime.toISOString());
      expect(item.caveat, item.key).toMatch(item.key.includes('date_utf8') ? /^unreadable Date header/ : /^no Date header/);
      expect(item.caveat, item.key).toContain("the file's modification time (2013-05-07T08:09:10.000Z)");
    }
  });

  it('falls back to the Received headers: the newest hop is the delivery, the oldest the sending', async () => {
    const root = tempDir('cw-received-');
    // A real message with five Received hops, its Date header taken out.
    const original = fixture('mail-gem_encoding_madness.eml');
    const stripped = Buffer.from(original.toString('latin1').replace(/^Date: [^\r\n]*\r?\n/m, ''), 'latin1');
    expect(stripped.length).toBeLessThan(original.length);
    writeFileSync(join(root, 'no-date.eml'), stripped);
    const [item] = await mails(root);
    // Top Received: "Wed, 22 Sep 2010 00:30:55 -0700 (PDT)"; bottom: "Wed, 22 Sep 2010 02:30:53 -0500 (CDT) (envelope-from production)".
    expect(item?.receivedAt?.toISOString()).toBe('2010-09-22T07:30:55.000Z');
    expect(item?.sentAt?.toISOString()).toBe('2010-09-22T07:30:53.000Z');
    expect(item?.caveat).toBe('no Date header: dated by its Received headers (delivered 2010-09-22T07:30:55.000Z)');
  });

  it('a Maildir message without a Date header is dated by the delivery time in its file name', async () => {
    const root = tempDir('cw-maildir-undated-');
    for (const dir of ['cur', 'new', 'tmp']) mkdirSync(join(root, dir));
    writeFileSync(join(root, 'new', '1700000000.M1P2.host'), fixture('mailparser_mixed.eml'));
    writeFileSync(join(root, 'cur', '1600000000.M3P4.host:2,S'), fixture('tika_testRFC822_base64.eml'));
    const items = await mails(root);
    const byKey = new Map(items.map((item) => [item.key, item]));
    expect(byKey.get('maildir:/1700000000.M1P2.host')?.receivedAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(byKey.get('maildir:/1600000000.M3P4.host')?.receivedAt?.toISOString()).toBe('2020-09-13T12:26:40.000Z');
    for (const item of items) expect(item.caveat).toMatch(/dated by the delivery time in its Maildir file name/);
  });

  it('a message with its own Date keeps it, and nothing is said about it', async () => {
    const root = tempDir('cw-dated-');
    for (const name of Object.keys(dated)) writeFileSync(join(root, name), fixture(name));
    const items = await mails(root);
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item.caveat).toBeUndefined();
      expect(item.receivedAt).toBeUndefined();
      expect(item.sentAt).toBeDefined();
    }
    expect(items.find((item) => item.key.includes('Thunderbird'))?.sentAt?.toISOString()).toBe(dated['tika_testThunderbirdEml.eml']);
  });

  it('Exchange gets the fallback as the delivery time (PR_MESSAGE_DELIVERY_TIME), not the migration day', async () => {
    const root = tempDir('cw-ews-date-');
    const fileTime = new Date('2011-02-03T04:05:06Z');
    writeFileSync(join(root, 'a.eml'), fixture('mailparser_nested.eml'));
    utimesSync(join(root, 'a.eml'), fileTime, fileTime);
    const [item] = await mails(root);
    const xml = messageXml(item!, await item!.load(), 'hash').toString();
    const tag = `PropertyTag="0x${PR_MESSAGE_DELIVERY_TIME.toString(16).padStart(4, '0').toUpperCase()}"`;
    expect(xml).toContain(`${tag} PropertyType="SystemTime"/><t:Value>2011-02-03T04:05:06Z</t:Value>`);
  });

  it('the report lists which items had no date of their own and how they were dated (HTML and CSV)', async () => {
    const root = tempDir('cw-report-dates-');
    mkdirSync(join(root, 'Inbox'));
    writeFileSync(join(root, 'Inbox', 'undated.eml'), fixture('tika_testRFC822-limitedheaders.eml'));
    writeFileSync(join(root, 'Inbox', 'dated.eml'), fixture('tika_testThunderbirdEml.eml'));
    utimesSync(join(root, 'Inbox', 'undated.eml'), new Date('2015-06-07T08:00:00Z'), new Date('2015-06-07T08:00:00Z'));
    const out = tempDir('cw-report-out-');
    const ledger = Ledger.open(':memory:');
    try {
      const result = await runJob({
        ledger,
        source: `eml:${root}`,
        target: `dir:${out}`,
        mailboxes: [{ label: 'm', source: `eml:${root}`, target: `dir:${out}`, createSource: () => new EmlSource(root), createTarget: () => new DirTarget(out) }],
      });
      expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 2 });
      const reports = buildJobReports(ledger);
      expect(reports[0]?.notes).toEqual([
        {
          mailbox: 'm',
          folder: 'Inbox',
          sourceKey: 'eml:Inbox/undated.eml',
          title: 'abcd',
          kind: 'mail',
          state: 'done',
          note: "no Date header and no Received header: dated by the file's modification time (2015-06-07T08:00:00.000Z)",
        },
      ]);
      const html = renderHtml(reports);
      expect(html).toContain('Items with a note');
      expect(html).toContain('dated by the file&#39;s modification time (2015-06-07T08:00:00.000Z)');
      expect(html).not.toContain('dated.eml');
      const csv = renderCsv(reports);
      const noteRows = csv.split('\r\n').filter((line) => line.startsWith('note,'));
      expect(noteRows).toHaveLength(1);
      expect(noteRows[0]).toContain('eml:Inbox/undated.eml');
      expect(noteRows[0]).toContain('no Date header');
    } finally {
      ledger.close();
    }
  });
});
