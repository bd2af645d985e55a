import {
  errorCatalogue,
  type ErrorInfo,
  type FolderStatus,
  type ItemIssue,
  isErrorCode,
  jobOutcomes,
  type JobSummary,
  mailboxRunStates,
  type MailboxStatus,
} from '../../contract/index.js';
import { decodePath, type JobRow, Ledger, type MailboxRow } from '../ledger/ledger.js';

/**
 * Views of jobs, mailboxes and folders rebuilt from the ledger alone: a window that reloads, or an app
 * that restarts, sees exactly what is true, whatever it saw before.
 */
export type LiveState = 'running' | 'paused' | undefined;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function errorFrom(code: string | null, reason: string | null): ErrorInfo | undefined {
  if (code === null && reason === null) return undefined;
  const known = code !== null && isErrorCode(code) ? code : 'INTERNAL';
  return { code: known, message: reason ?? errorCatalogue[known].summary, retryable: errorCatalogue[known].retryable };
}

export function jobSummary(ledger: Ledger, job: JobRow, live: LiveState): JobSummary {
  const counts = ledger.jobCounts(job.id);
  const last = ledger.lastRun(job.id);
  const outcome = last?.outcome && (jobOutcomes as readonly string[]).includes(last.outcome) ? (last.outcome as JobSummary['lastOutcome']) : undefined;
  // A run begun and never finished, by a job nobody runs now: the PC shut down or the process was killed.
  // A fresh heartbeat: another process sharing this ledger (the app, a terminal) runs it now.
  const state: JobSummary['state'] =
    live ?? (last === undefined ? 'idle' : last.finished_at !== null ? 'finished' : Ledger.isLive(last) ? 'running' : 'interrupted');
  const summary: JobSummary = {
    id: job.id,
    source: job.source,
    target: job.target,
    createdAt: iso(job.created_at),
    state,
    duplicates: counts.duplicates,
    leftOut: counts.leftOut,
    mailboxes: ledger.mailboxes(job.id).length,
    resumable: job.spec !== null,
    done: counts.done,
    skipped: counts.skipped,
    failed: counts.failed,
    pending: counts.pending,
    bytes: counts.bytes,
  };
  if (outcome) summary.lastOutcome = outcome;
  if (last) summary.lastRunAt = iso(last.started_at);
  return summary;
}

export function mailboxStatus(ledger: Ledger, row: MailboxRow, live: LiveState): MailboxStatus {
  const counts = { done: 0, skipped: 0, failed: 0, pending: 0, bytes: 0 };
  for (const entry of ledger.folderCounts(row.id)) {
    counts[entry.state] += entry.items;
    if (entry.state === 'done') counts.bytes += entry.bytes;
  }
  let state: MailboxStatus['state'] = (mailboxRunStates as readonly string[]).includes(row.state) ? (row.state as MailboxStatus['state']) : 'pending';
  // 'running' in the ledger while its job does not run: it was stopped mid-way (a kill, a shutdown).
  if (live === undefined && (state === 'running' || state === 'waiting')) state = 'cancelled';
  if (live === 'paused' && state === 'running') state = 'paused';
  const status: MailboxStatus = { id: row.id, jobId: row.job_id, label: row.label, source: row.source, target: row.target, state, ...counts };
  if (row.source_total !== null) status.total = row.source_total;
  const error = errorFrom(row.code, row.reason);
  if (error) status.error = error;
  return status;
}

export function folderStatuses(ledger: Ledger, mailboxId: number): FolderStatus[] {
  const counts = new Map<number, { done: number; skipped: number; failed: number; pending: number; bytes: number }>();
  for (const entry of ledger.folderCounts(mailboxId)) {
    const folder = counts.get(entry.folder_id) ?? { done: 0, skipped: 0, failed: 0, pending: 0, bytes: 0 };
    folder[entry.state] += entry.items;
    if (entry.state === 'done') folder.bytes += entry.bytes;
    counts.set(entry.folder_id, folder);
  }
  return ledger.folders(mailboxId).map((row) => {
    const status: FolderStatus = { id: row.id, source: decodePath(row.source_path), ...(counts.get(row.id) ?? { done: 0, skipped: 0, failed: 0, pending: 0, bytes: 0 }) };
    if (row.target_path !== null) status.target = decodePath(row.target_path);
    if (row.note !== null) status.note = row.note;
    if (row.source_count !== null) status.sourceCount = row.source_count;
    return status;
  });
}

export function itemIssues(
  ledger: Ledger,
  mailboxId: number,
  state: 'skipped' | 'failed' | undefined,
  offset: number,
  limit: number,
): { items: ItemIssue[]; total: number } {
  const { rows, total } = ledger.issues(mailboxId, state, offset, limit);
  return {
    total,
    items: rows.map((row) => {
      const issue: ItemIssue = {
        mailboxId: row.mailbox_id,
        folder: decodePath(row.folder_path).join('/'),
        sourceKey: row.source_key,
        kind: row.kind,
        state: row.state === 'skipped' ? 'skipped' : 'failed',
        code: row.code ?? 'INTERNAL',
        reason: row.reason ?? '',
        retryable: row.retryable === 1,
        size: row.size,
      };
      if (row.title !== null) issue.title = row.title;
      return issue;
    }),
  };
}
