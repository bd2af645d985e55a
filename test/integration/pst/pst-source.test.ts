import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import type { SourceFolder, SourceItem } from '../../../electron/engine/model/items.js';
import { inspectPst } from '../../../electron/engine/sources/pst/inspect.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';
import { FakeSourceContext } from '../../support/fake-source-context.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';
import { headerText, leaves, parseMime } from './mime-walk.js';
import { pffexportAvailable, pffexportItems, readpstExport, readpstVersion, type PffItem } from './readpst-oracle.js';

const pstDir = path.join(fixturesDir, 'pst');
const readpst = readpstVersion();
const pffexport = pffexportAvailable();
if (!hasFixtures) console.warn(`PST tests skipped: no fixtures at ${fixturesDir}`);
else if (!readpst) console.warn('PST oracle tests skipped: readpst (Debian pst-utils) is not installed');
else if (!pffexport) console.warn('PST oracle tests skipped: pffexport (Debian pff-tools) is not installed');

const corrupt = (name: string): boolean => name.startsWith('NOT_A_PST') || name.includes('BADHEADERCRC');
const readable = hasFixtures ? readdirSync(pstDir).filter((name) => name.endsWith('.pst') && !corrupt(name)).sort() : [];
/** The Outlook.com OSTs (2013 format: 4 KB pages, zlib blocks) and enron.pst that pst-extractor ships. */
const packageData = path.join(repoRoot, 'node_modules/pst-extractor/example/testdata');
const packaged = existsSync(packageData) ? readdirSync(packageData).filter((name) => /\.(pst|ost)$/.test(name)).sort() : [];
const fileOf = (name: string): string => (packaged.includes(name) ? path.join(packageData, name) : path.join(pstDir, name));

interface Read {
  folders: SourceFolder[];
  items: SourceItem[];
  /** RFC 5322 bytes of every mail, loaded while the source was open (as the pipeline does). */
  mime: Map<string, Buffer>;
  unreadable: number;
}

async function readAll(files: string[]): Promise<Read> {
  const source = new PstSource(files);
  await source.open();
  const context = new FakeSourceContext();
  const folders: SourceFolder[] = [];
  const items: SourceItem[] = [];
  const mime = new Map<string, Buffer>();
  try {
    for await (const entry of source.entries(context)) {
      if (entry.type === 'folder') folders.push(entry.folder);
      else {
        items.push(entry.item);
        if (entry.item.kind === 'mail') mime.set(entry.item.key, Buffer.from(await entry.item.load()));
      }
    }
  } finally {
    await source.close();
  }
  return { folders, items, mime, unreadable: context.unreadable.length };
}

/**
 * Where readpst and pffexport disagree with each other (or both drop something), who is right, found
 * by reading readpst's debug log (`readpst -d`) and the folder's own item count (PR_CONTENT_COUNT):
 * - pffexport: readpst 0.6.76 writes no file for items it logs as processed (tghanem "Test1" twice),
 *   exports an empty orphan node that no contents table lists (process-pst top folder), and writes no
 *   file for distribution lists; pffexport lists exactly the contents-table items in those folders.
 * - file: both readers drop items the folder's contents table holds: readpst logs "Unknown item type
 *   13 (IPM.Post)" and "Unknown item type 9 (IPM.Contact)" and skips them; pffexport misses the
 *   posts and 12 of Chunks' 21 contacts. Then the folder's own count (PR_CONTENT_COUNT) decides.
 */
const verdicts: Record<string, Record<string, 'pffexport' | 'file'>> = {
  'tghanem-PST_user1_at_test.lab.pst': { FolderWithSingleMessage: 'pffexport', FolderWithSingleUnreadMessage: 'pffexport' },
  'process-pst_four_nesting_levels.pst': { '': 'pffexport' },
  'process-pst_multiple_to_cc.pst': { '': 'pffexport' },
  'java-libpst_dist-list.pst': { Contacts: 'pffexport' },
  'java-libpst_passworded.pst': { Contacts: 'pffexport' },
  'aspose_Chunks_Test_part1.pst': { Contacts: 'file' },
  'pst-exp_test_ansi.pst': { Folder: 'file' },
  'pst-exp_test_unicode.pst': { '': 'file', Folder: 'file' },
};

/** ANSI fixtures written in another code page than Windows-1252, as fixtures/SOURCES.md records. */
const codepages: Record<string, string> = { 'pst-extractor-markb_contacts97-2002.pst': 'cp932' };

function crlf(data: Buffer): Buffer {
  return Buffer.from(data.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

describe.skipIf(!hasFixtures || !readpst || !pffexport)('PST source against readpst and pffexport', () => {
  // On the OSTs pffexport 20180714 finds 8 of 185 items; readpst's 160 holiday events are 160 distinct
  // dates, and the folder's row index lists 160 rows: readpst is right there (the default verdict).
  it.each([...readable, ...packaged])('%s: item counts per folder equal the independent readers', async (name) => {
    const file = fileOf(name);
    const ours = await readAll([file]);
    expect(ours.unreadable).toBe(0);
    const counts = new Map<string, number>();
    const declared = new Map<string, number>();
    for (const folder of ours.folders) {
      counts.set(folder.path.join('/'), 0);
      declared.set(folder.path.join('/'), folder.count ?? 0);
    }
    for (const item of ours.items) counts.set(item.folder.path.join('/'), (counts.get(item.folder.path.join('/')) ?? 0) + 1);
    let rp = readpstExport(file, codepages[name]);
    // readpst 0.6.76 now and then writes one file fewer (the high-encryption fixture: 35 instead of 36
    // in about one run of fifteen); a second run settles it.
    const short = (): boolean => [...rp.folders].some(([folderPath, files]) => files.length < (counts.get(folderPath) ?? 0) && !verdicts[name]?.[folderPath]);
    for (let attempt = 0; attempt < 2 && short(); attempt++) {
      rp.cleanup();
      rp = readpstExport(file, codepages[name]);
    }
    const pff = pffexportItems(file);
    try {
      expect(rp.ok, 'readpst reads the file').toBe(true);
      const paths = new Set([...counts.keys(), ...rp.folders.keys()]);
      for (const folderPath of paths) {
        const ourCount = counts.get(folderPath) ?? 0;
        const readpstCount = rp.folders.get(folderPath)?.length ?? 0;
        const pffCount = pff.folders.get(folderPath)?.length ?? 0;
        const verdict = verdicts[name]?.[folderPath];
        const label = `${name} folder "${folderPath}" (ours ${ourCount}, readpst ${readpstCount}, pffexport ${pffCount})`;
        if (verdict === 'pffexport') {
          expect(readpstCount, `${label}: the readers disagree`).not.toBe(pffCount);
          expect(ourCount, label).toBe(pffCount);
        } else if (verdict === 'file') {
          expect(ourCount, label).toBe(declared.get(folderPath));
          expect(ourCount, `${label}: readpst drops some`).toBeGreaterThan(readpstCount);
        } else {
          expect(ourCount, label).toBe(readpstCount);
        }
      }
    } finally {
      rp.cleanup();
      pff.cleanup();
    }
  });

  it('subjects of every message equal the ones readpst wrote', async () => {
    for (const name of ['DFRWS2009-Outlook-Email.pst', 'aspose_passwordprotectedPST.pst', 'pst2john_2003_high-encryption_quickquick.pst', 'pst2john_2k_outlook_qwerty1234.pst', 'tika_testPST_variousBodyTypes.pst']) {
      const file = path.join(pstDir, name);
      const ours = await readAll([file]);
      const mailIn = (folderPath: string): number => ours.items.filter((item) => item.kind === 'mail' && item.folder.path.join('/') === folderPath).length;
      let rp = readpstExport(file);
      // readpst 0.6.76 now and then leaves out the last message of a folder (2 runs in 12 on some
      // fixtures); it only ever drops, so a short folder is read again, up to four times. A message we
      // invent would still fail the comparison.
      const short = (): boolean => [...rp.folders].some(([folderPath, files]) => files.filter((f) => f.endsWith('.eml')).length < mailIn(folderPath));
      for (let attempt = 0; attempt < 4 && short(); attempt++) {
        rp.cleanup();
        rp = readpstExport(file);
      }
      try {
        for (const [folderPath, files] of rp.folders) {
          const theirs = files
            .filter((f) => f.endsWith('.eml'))
            .map((f) => normalizeSubject(headerText(parseMime(crlf(readFileSync(f))), 'subject') ?? ''))
            .sort();
          const mine = ours.items
            .filter((item) => item.kind === 'mail' && item.folder.path.join('/') === folderPath)
            .map((item) => normalizeSubject(headerText(parseMime(ours.mime.get(item.key) ?? Buffer.alloc(0)), 'subject') ?? ''));
          expect(mine.sort(), `${name} ${folderPath}`).toEqual(theirs);
        }
      } finally {
        rp.cleanup();
      }
    }
  });

  it('attachment names and sizes equal what pffexport extracts', async () => {
    let checked = 0;
    for (const name of ['pst2john_Outlook_enc.pst', 'pst-exp_sample1.pst', 'pst-exp_sample2.pst', 'tghanem-PST_user1_at_test.lab.pst', 'aspose_passwordprotectedPST.pst', 'pst2john_2003_high-encryption_quickquick.pst']) {
      const file = path.join(pstDir, name);
      const ours = await readAll([file]);
      const pff = pffexportItems(file);
      try {
        for (const [folderPath, pffItems] of pff.folders) {
          const mails = ours.items.filter((item) => item.kind === 'mail' && item.folder.path.join('/') === folderPath);
          const expected = pffItems.map(attachmentSignature).sort();
          const actual: string[] = [];
          for (const mail of mails) {
            const message = parseMime(ours.mime.get(mail.key) ?? Buffer.alloc(0));
            const parts = topLevelAttachments(message);
            actual.push(
              JSON.stringify({
                files: parts.filter((p) => p.contentType !== 'message/rfc822').map((p) => `${p.filename}:${p.body.length}`).sort(),
                embedded: parts.filter((p) => p.contentType === 'message/rfc822').length,
              }),
            );
            checked += parts.length;
          }
          expect(actual.sort(), `${name} ${folderPath}`).toEqual(expected);
        }
      } finally {
        pff.cleanup();
      }
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('every recurrence rule equals the one readpst writes for the same appointment', async () => {
    let compared = 0;
    for (const name of [...readable, ...packaged]) {
      const file = fileOf(name);
      const rp = readpstExport(file, codepages[name]);
      try {
        const rules = new Map<string, Record<string, string>>();
        for (const files of rp.folders.values()) {
          for (const ics of files.filter((f) => f.endsWith('.ics'))) {
            const text = readFileSync(ics, 'utf8');
            const rrule = /^RRULE:(.*)$/m.exec(text)?.[1]?.trim();
            const summary = /^SUMMARY:(.*)$/m.exec(text)?.[1]?.trim().replace(/\\,/g, ',');
            if (rrule && summary) rules.set(summary, Object.fromEntries(rrule.split(';').map((kv) => kv.split('=') as [string, string])));
          }
        }
        if (rules.size === 0) continue;
        const ours = await readAll([file]);
        for (const item of ours.items) {
          if (item.kind !== 'event') continue;
          const theirs = rules.get(item.event.subject);
          if (!theirs) continue;
          const rule = item.event.recurrence;
          const label = `${name}: ${item.event.subject}`;
          expect(rule, label).toBeDefined();
          expect(rule?.frequency, label).toBe(theirs.FREQ);
          expect(rule?.interval, label).toBe(Number(theirs.INTERVAL ?? 1));
          expect(rule?.count, label).toBe(theirs.COUNT === undefined ? undefined : Number(theirs.COUNT));
          if (theirs.BYDAY) expect(rule?.byDay?.join(','), label).toBe(theirs.BYDAY);
          if (theirs.BYMONTHDAY) expect(rule?.byMonthDay, label).toBe(Number(theirs.BYMONTHDAY));
          if (theirs.BYMONTH) expect(rule?.byMonth, label).toBe(Number(theirs.BYMONTH));
          compared++;
        }
      } finally {
        rp.cleanup();
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });

  it('the weekly recurrence and its exceptions match the file (readpst RRULE, exception attachments)', async () => {
    const file = path.join(pstDir, 'java-libpst_dist-list.pst');
    const ours = await readAll([file]);
    const event = ours.items.find((item) => item.kind === 'event');
    if (event?.kind !== 'event') throw new Error('no event read');
    const rp = readpstExport(file);
    try {
      const ics = readFileSync(rp.folders.get('Calendar')?.[0] ?? '', 'utf8');
      const rrule = /^RRULE:(.*)$/m.exec(ics)?.[1]?.trim() ?? '';
      const parts = Object.fromEntries(rrule.split(';').map((kv) => kv.split('=') as [string, string]));
      expect(event.event.recurrence?.frequency).toBe(parts.FREQ);
      expect(event.event.recurrence?.byDay?.join(',')).toBe(parts.BYDAY);
      expect(event.event.recurrence?.count).toBe(parts.COUNT === undefined ? undefined : Number(parts.COUNT));
    } finally {
      rp.cleanup();
    }
    // Outlook keeps one embedded appointment attachment per modified occurrence.
    const pff = pffexportItems(file);
    try {
      const appointment = pff.folders.get('Calendar')?.[0];
      expect(event.event.modifiedOccurrences.length).toBe(appointment?.embedded);
      expect(event.event.modifiedOccurrences.length).toBeGreaterThan(0);
    } finally {
      pff.cleanup();
    }
  });
});

function normalizeSubject(subject: string): string {
  return subject.replace(/\s+/g, ' ').trim();
}

function attachmentSignature(item: PffItem): string {
  return JSON.stringify({ files: item.attachments.map((a) => `${a.name}:${a.size}`).sort(), embedded: item.embedded });
}

function topLevelAttachments(message: ReturnType<typeof parseMime>): ReturnType<typeof parseMime>[] {
  const found: ReturnType<typeof parseMime>[] = [];
  const visit = (part: ReturnType<typeof parseMime>): void => {
    if (part.contentType === 'message/rfc822') {
      found.push(part);
      return;
    }
    if (part.children.length > 0) {
      part.children.forEach(visit);
      return;
    }
    if (part.filename && part.filename !== 'body.rtf') found.push(part);
  };
  message.children.forEach(visit);
  return found;
}

describe.skipIf(!hasFixtures)('PST source on its own', () => {
  let dir: string;
  beforeAll(() => {
    dir = pstDir;
  });
  afterAll(() => undefined);

  it('says clearly when a file is not a PST, or its header is damaged', async () => {
    for (const [name, pattern] of [
      ['NOT_A_PST_html301_albert_meyers_000.pst', /not an Outlook data file/],
      ['aspose_AddingBulkMessagesWithImprovedPerformance_BADHEADERCRC.pst', /header checksum mismatch/],
    ] as const) {
      const source = new PstSource([path.join(dir, name)]);
      const error = await source.open().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(CloudwardError);
      expect((error as CloudwardError).code).toBe('SOURCE_UNREADABLE');
      expect((error as CloudwardError).message).toMatch(pattern);
      expect((error as CloudwardError).message).not.toContain('\n');
    }
  });

  it('names special folders by entry id, not by name (Japanese Deleted Items, inbox, sent, calendar)', async () => {
    const japanese = await readAll([path.join(dir, 'pst-extractor-markb_contacts.pst')]);
    const deleted = japanese.folders.find((folder) => folder.special === 'deleted');
    expect(deleted?.path).toEqual(['削除済みアイテム']);
    const outlook = await readAll([path.join(dir, 'java-libpst_dist-list.pst')]);
    const roles = Object.fromEntries(outlook.folders.filter((f) => f.special).map((f) => [f.special, f.path.join('/')]));
    expect(roles).toMatchObject({ inbox: 'Inbox', sent: 'Sent Items', deleted: 'Deleted Items', outbox: 'Outbox', calendar: 'Calendar', contacts: 'Contacts', drafts: 'Drafts', junk: 'Junk E-mail', tasks: 'Tasks', notes: 'Notes', journal: 'Journal' });
  });

  it('keys are stable across runs and distinct between files; two files merge without duplicates', async () => {
    const a = path.join(dir, 'pst-exp_sample1.pst');
    const b = path.join(dir, 'tika_testPST_variousBodyTypes.pst');
    const first = await readAll([a, b]);
    const again = await readAll([a, b]);
    expect(again.items.map((i) => i.key)).toEqual(first.items.map((i) => i.key));
    expect(new Set(first.items.map((i) => i.key)).size).toBe(first.items.length);
    const alone = await readAll([a]);
    const other = await readAll([b]);
    expect(first.items.length).toBe(alone.items.length + other.items.length);
    // The same mailbox read twice (the info@ PST from two PCs): the second copy adds nothing.
    const twice = await readAll([b, b]);
    expect(twice.items.length).toBe(other.items.length);
  });

  it('says which files carry a password (fixtures/SOURCES.md lists them) and reads them anyway', async () => {
    const passworded = ['pst-exp_test_ansi.pst', 'pst2john_Outlook_enc.pst', 'java-libpst_passworded.pst'];
    for (const name of [...passworded, 'pst-exp_sample1.pst']) {
      const source = new PstSource([path.join(dir, name)]);
      await source.open();
      expect(source.label.endsWith('(password-protected)'), name).toBe(passworded.includes(name));
      await source.close();
    }
  });

  it('inspect reports format, encryption, password and per-folder counts by kind', async () => {
    const high = await inspectPst(path.join(dir, 'pst2john_2003_high-encryption_quickquick.pst'));
    expect(high).toMatchObject({ format: 'Unicode', encryption: 'high', passwordProtected: true });
    const ansi = await inspectPst(path.join(dir, 'pst-exp_sample2.pst'));
    expect(ansi).toMatchObject({ format: 'ANSI', encryption: 'compressible', passwordProtected: false });
    const lists = await inspectPst(path.join(dir, 'java-libpst_dist-list.pst'));
    const contacts = lists.folders.find((folder) => folder.special === 'contacts');
    const read = await readAll([path.join(dir, 'java-libpst_dist-list.pst')]);
    const kinds: Record<string, number> = {};
    for (const item of read.items.filter((i) => i.folder.special === 'contacts')) kinds[item.kind] = (kinds[item.kind] ?? 0) + 1;
    expect(contacts?.items).toEqual(kinds);
    expect(kinds).toEqual({ contact: 1, distlist: 1 });
    const ost = packaged.find((name) => name.endsWith('.ost'));
    if (ost) expect((await inspectPst(fileOf(ost))).format).toBe('OST');
    await expect(inspectPst(path.join(dir, 'NOT_A_PST_html301_albert_meyers_000.pst'))).rejects.toThrow(/not an Outlook data file/);
  });

  it('reads high (cyclic) encryption and ANSI files completely, with bodies', async () => {
    for (const name of ['pst2john_2003_high-encryption_quickquick.pst', 'pst2john_2k_outlook_qwerty1234.pst']) {
      const read = await readAll([path.join(dir, name)]);
      expect(read.items.length).toBeGreaterThan(30);
      for (const item of read.items) {
        if (item.kind !== 'mail') continue;
        const message = parseMime(read.mime.get(item.key) ?? Buffer.alloc(0));
        const text = leaves(message).filter((p) => p.contentType.startsWith('text/') && !p.filename);
        expect(text.length, `${name} ${item.title}`).toBeGreaterThan(0);
      }
    }
  });

  it('recovers the body of an RTF-only message and keeps the RTF', async () => {
    const read = await readAll([path.join(dir, 'tika_testPST_variousBodyTypes.pst')]);
    const bodies = read.items.map((item) => (item.kind === 'mail' ? parseMime(read.mime.get(item.key) ?? Buffer.alloc(0)) : undefined));
    const rtf = bodies.find((m) => m && leaves(m).some((p) => p.filename === 'body.rtf'));
    expect(rtf).toBeDefined();
    const text = leaves(rtf!).find((p) => p.contentType === 'text/plain')?.body.toString('utf8') ?? '';
    expect(text).toContain('Forwarded RTF');
  });

  it('embeds nested messages as message/rfc822 at every depth', async () => {
    const read = await readAll([path.join(dir, 'pst-extractor-markb_alpha-beta-gamma-delta.pst')]);
    const alpha = read.items.find((item) => item.title === 'Alpha');
    if (alpha?.kind !== 'mail') throw new Error('no Alpha');
    let message = parseMime(read.mime.get(alpha.key) ?? Buffer.alloc(0));
    const subjects: string[] = [headerText(message, 'subject') ?? ''];
    for (;;) {
      const inner = message.children.find((part) => part.contentType === 'message/rfc822');
      if (!inner) break;
      message = parseMime(inner.body);
      subjects.push(headerText(message, 'subject') ?? '');
    }
    expect(subjects).toEqual(['Alpha', 'Beta', 'Gamma', 'Delta']);
  });
});
