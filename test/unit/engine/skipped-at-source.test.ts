import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import type { MailItem, SourceEntry, SourceFolder } from '../../../electron/engine/model/items.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { buildJobReports } from '../../../electron/engine/report/report-data.js';
import type { Source } from '../../../electron/engine/sources/source.js';
import { DirTarget } from '../../../electron/engine/targets/dir/dir-target.js';

/** A source that yields exactly these entries (a hidden PST folder, a configuration item, user mail). */
class ListSource implements Source {
  readonly label = 'list';
  constructor(private readonly list: SourceEntry[]) {}
  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async *entries(): AsyncIterable<SourceEntry> {
    yield* this.list;
  }
}

function mail(loads: string[], key: string, folder: SourceFolder, extra: Partial<MailItem> = {}): SourceEntry {
  const bytes = Buffer.from(`Message-ID: <${key}@x>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nSubject: ${key}\r\n\r\nbody\r\n`);
  return {
    type: 'item',
    item: {
      kind: 'mail',
      key,
      folder,
      size: bytes.length,
      title: key,
      flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false },
      keywords: [],
      categories: [],
      load: async () => {
        loads.push(key);
        return bytes;
      },
      ...extra,
    },
  };
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('items and folders a source says are not to be migrated', () => {
  it('a skipped folder is never created on the target; its items and skipped items are reported with their reason, never loaded', async () => {
    const inbox: SourceFolder = { path: ['Inbox'], special: 'inbox', holds: 'mail' };
    const hidden: SourceFolder = { path: ['PersonMetadata'], holds: 'mail', skipped: 'hidden system folder PersonMetadata (Outlook does not show it)' };
    const empty: SourceFolder = { path: ['Quick Step Settings'], holds: 'mail', skipped: 'hidden system folder Quick Step Settings (Outlook does not show it)' };
    const loads: string[] = [];
    const entries: SourceEntry[] = [
      { type: 'folder', folder: inbox },
      mail(loads, 'user-mail', inbox),
      mail(loads, 'config', inbox, { skip: "message class IPM.Configuration.X is Outlook's own data, not an item it shows" }),
      { type: 'folder', folder: hidden },
      mail(loads, 'person-1', hidden),
      mail(loads, 'person-2', hidden),
      { type: 'folder', folder: empty },
    ];
    const source = new ListSource(entries);
    const out = mkdtempSync(join(tmpdir(), 'cw-skipped-'));
    scratch.push(out);
    const ledger = Ledger.open(':memory:');
    try {
      for (let run = 0; run < 2; run++) {
        const result = await runJob({ ledger, source: 'list:', target: `dir:${out}`, mailboxes: [{ label: 'm', source: 'list:', target: `dir:${out}`, createSource: () => source, createTarget: () => new DirTarget(out) }] });
        // Left out on purpose (NOT_USER_DATA), like duplicates: not an issue, the job is complete; the report still says why.
        expect(result.summary, `run ${run + 1}`).toMatchObject({ outcome: 'complete', itemsDone: 1, itemsSkipped: 3, itemsFailed: 0 });
      }
      // What the user sees in the archive: the Inbox with its one message, no PersonMetadata, no Quick Step Settings.
      const folders = readdirSync(out, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
      expect(folders).toEqual(['Inbox']);
      expect(existsSync(join(out, 'PersonMetadata'))).toBe(false);
      expect(readdirSync(join(out, 'Inbox')).filter((name) => name.endsWith('.eml'))).toHaveLength(1);
      expect(loads).toEqual(['user-mail']);

      const [report] = buildJobReports(ledger);
      const issues = (report?.issues ?? []).map((issue) => ({ key: issue.sourceKey, folder: issue.folder, state: issue.state, code: issue.code, reason: issue.reason }));
      expect(issues).toEqual([
        { key: 'config', folder: 'Inbox', state: 'skipped', code: 'NOT_USER_DATA', reason: "message class IPM.Configuration.X is Outlook's own data, not an item it shows" },
        { key: 'person-1', folder: 'PersonMetadata', state: 'skipped', code: 'NOT_USER_DATA', reason: 'hidden system folder PersonMetadata (Outlook does not show it)' },
        { key: 'person-2', folder: 'PersonMetadata', state: 'skipped', code: 'NOT_USER_DATA', reason: 'hidden system folder PersonMetadata (Outlook does not show it)' },
      ]);
      const rows = (report?.mailboxes[0]?.folders ?? []).map((folder) => ({ source: folder.source, target: folder.target, note: folder.note, skipped: folder.skipped }));
      expect(rows).toEqual([
        { source: 'Inbox', target: 'Inbox', note: undefined, skipped: 1 },
        { source: 'PersonMetadata', target: '', note: 'not migrated: hidden system folder PersonMetadata (Outlook does not show it)', skipped: 2 },
        { source: 'Quick Step Settings', target: '', note: 'not migrated: hidden system folder Quick Step Settings (Outlook does not show it)', skipped: 0 },
      ]);
    } finally {
      ledger.close();
    }
  });
});
