import type { ItemState } from '../../contract/index.js';
import { decodePath, type Ledger } from '../ledger/ledger.js';

export interface FolderReport {
  source: string;
  target: string;
  note?: string;
  /** What the source said the folder holds, or what we saw of it when it could not say. */
  sourceCount: number;
  targetCount: number;
  skipped: number;
  failed: number;
  pending: number;
  bytes: number;
}

export interface IssueReport {
  mailbox: string;
  folder: string;
  sourceKey: string;
  title: string;
  kind: string;
  state: ItemState;
  code: string;
  reason: string;
  retryable: boolean;
  size: number;
}

/** An item the report has something to say about although it migrated (SourceItem.caveat, items.note). */
export interface NoteReport {
  mailbox: string;
  folder: string;
  sourceKey: string;
  title: string;
  kind: string;
  state: ItemState;
  note: string;
}

export interface MailboxReport {
  label: string;
  source: string;
  target: string;
  state: string;
  error?: string;
  /** What the target said when the mailbox finished (mailboxes.note). */
  note?: string;
  folders: FolderReport[];
  totals: Omit<FolderReport, 'source' | 'target' | 'note'>;
}

export interface JobReport {
  jobId: number;
  source: string;
  target: string;
  generated: string;
  firstRun?: string;
  lastRun?: string;
  /** Seconds spent running, over all runs. */
  seconds: number;
  bytesPerSecond: number;
  itemsPerSecond: number;
  mailboxes: MailboxReport[];
  /** Skipped and failed items with their reasons (Get-MigrationUserStatistics -IncludeSkippedItems). */
  issues: IssueReport[];
  /** Items with a caveat, e.g. a message with no date of its own and how it was dated. */
  notes: NoteReport[];
  totals: MailboxReport['totals'];
}

const emptyTotals = (): MailboxReport['totals'] => ({ sourceCount: 0, targetCount: 0, skipped: 0, failed: 0, pending: 0, bytes: 0 });

function add(into: MailboxReport['totals'], from: MailboxReport['totals']): void {
  into.sourceCount += from.sourceCount;
  into.targetCount += from.targetCount;
  into.skipped += from.skipped;
  into.failed += from.failed;
  into.pending += from.pending;
  into.bytes += from.bytes;
}

/** Everything a report shows, read from the ledger alone: a report can be made at any time, even mid-job. */
export function buildJobReports(ledger: Ledger): JobReport[] {
  return ledger.jobs().map((job) => {
    const runs = ledger.runs(job.id);
    let seconds = 0;
    let runItems = 0;
    let runBytes = 0;
    for (const run of runs) {
      if (run.finished_at !== null) seconds += (run.finished_at - run.started_at) / 1000;
      runItems += run.items_done;
      runBytes += run.bytes_done;
    }
    const report: JobReport = {
      jobId: job.id,
      source: job.source,
      target: job.target,
      generated: new Date().toISOString(),
      seconds,
      bytesPerSecond: seconds > 0 ? runBytes / seconds : 0,
      itemsPerSecond: seconds > 0 ? runItems / seconds : 0,
      mailboxes: [],
      issues: [],
      notes: [],
      totals: emptyTotals(),
    };
    const first = runs[0];
    const last = runs[runs.length - 1];
    if (first) report.firstRun = new Date(first.started_at).toISOString();
    if (last) report.lastRun = new Date(last.finished_at ?? last.started_at).toISOString();
    for (const mailbox of ledger.mailboxes(job.id)) {
      const counts = new Map<number, Record<ItemState, { items: number; bytes: number }>>();
      for (const row of ledger.folderCounts(mailbox.id)) {
        const entry = counts.get(row.folder_id) ?? { pending: { items: 0, bytes: 0 }, done: { items: 0, bytes: 0 }, skipped: { items: 0, bytes: 0 }, failed: { items: 0, bytes: 0 } };
        entry[row.state] = { items: row.items, bytes: row.bytes };
        counts.set(row.folder_id, entry);
      }
      const folderNames = new Map<number, string>();
      const folders: FolderReport[] = ledger.folders(mailbox.id).map((folder) => {
        const c = counts.get(folder.id);
        const seen = c ? c.done.items + c.skipped.items + c.failed.items + c.pending.items : 0;
        const source = decodePath(folder.source_path).join(' / ');
        folderNames.set(folder.id, source);
        const entry: FolderReport = {
          source,
          target: folder.target_path ? decodePath(folder.target_path).join(' / ') : '',
          sourceCount: Math.max(folder.source_count ?? 0, seen),
          targetCount: c?.done.items ?? 0,
          skipped: c?.skipped.items ?? 0,
          failed: c?.failed.items ?? 0,
          pending: c?.pending.items ?? 0,
          bytes: c?.done.bytes ?? 0,
        };
        if (folder.note) entry.note = folder.note;
        return entry;
      });
      const totals = emptyTotals();
      for (const folder of folders) add(totals, folder);
      const mailboxReport: MailboxReport = { label: mailbox.label, source: mailbox.source, target: mailbox.target, state: mailbox.state, folders, totals };
      if (mailbox.reason) mailboxReport.error = `${mailbox.code ?? ''}: ${mailbox.reason}`;
      if (mailbox.note) mailboxReport.note = mailbox.note;
      report.mailboxes.push(mailboxReport);
      add(report.totals, totals);
      for (const state of ['skipped', 'failed', 'pending'] as const) {
        for (const item of ledger.items(mailbox.id, state)) {
          report.issues.push({
            mailbox: mailbox.label,
            folder: folderNames.get(item.folder_id) ?? '',
            sourceKey: item.source_key,
            title: item.title ?? '',
            kind: item.kind,
            state: item.state,
            code: item.code ?? (state === 'pending' ? 'NOT_FINISHED' : ''),
            reason: item.reason ?? (state === 'pending' ? 'Started but not finished; the next run picks it up' : ''),
            retryable: item.retryable === 1 || state === 'pending',
            size: item.size,
          });
        }
      }
      for (const item of notedItems(ledger, mailbox.id)) {
        report.notes.push({
          mailbox: mailbox.label,
          folder: folderNames.get(item.folder_id) ?? '',
          sourceKey: item.source_key,
          title: item.title ?? '',
          kind: item.kind,
          state: item.state,
          note: item.note,
        });
      }
    }
    return report;
  });
}

/** Only the items that carry a note (a handful among thousands): one indexed-scan query, not every row. */
function notedItems(ledger: Ledger, mailboxId: number): { folder_id: number; source_key: string; title: string | null; kind: string; state: ItemState; note: string }[] {
  return ledger.db
    .prepare<[number], { folder_id: number; source_key: string; title: string | null; kind: string; state: ItemState; note: string }>(
      'SELECT folder_id, source_key, title, kind, state, note FROM items WHERE mailbox_id = ? AND note IS NOT NULL ORDER BY id',
    )
    .all(mailboxId);
}
