import { type MailboxPreview, toCloudwardError } from '../../contract/index.js';
import { decodePath, type Ledger, type MailboxRow } from '../ledger/ledger.js';
import { abortable, closeWithin } from '../pipeline/abortable.js';
import type { MailboxPlan } from '../pipeline/job-types.js';
import type { TargetCapabilities } from '../targets/target.js';
import type { BuiltJob } from './job-plans.js';

/** Previews a little at a time: a batch of 500 IMAP users must not open 500 connections at once. */
const previewConcurrency = 4;
/** A source that does not answer (a hostile or dead server) is said so in the preview, not waited for. */
const previewTimeoutMs = 30_000;

export interface MailboxPreviewWithBudget extends MailboxPreview {
  /** The target's per-mailbox budget, when the target could say (for the time estimate). */
  budget?: TargetCapabilities['budget'];
}

/** The ledger row a plan continues, found without creating anything. */
export function existingMailbox(ledger: Ledger | undefined, jobId: number | undefined, plan: MailboxPlan): MailboxRow | undefined {
  if (!ledger || jobId === undefined) return undefined;
  return ledger
    .mailboxes(jobId)
    .find(
      (row) =>
        (plan.identity !== undefined && row.source_identity === plan.identity.source && row.target_identity === plan.identity.target) ||
        (row.source === plan.source && row.target === plan.target),
    );
}

/**
 * What a job would move, read from the sources where they can count cheaply (PST folder tables, IMAP
 * STATUS, file sizes) and from the ledger (what is settled already). Nothing is written anywhere.
 */
export async function previewMailboxes(built: BuiltJob, ledger: Ledger | undefined, jobId: number | undefined, signal?: AbortSignal): Promise<MailboxPreviewWithBudget[]> {
  const results: MailboxPreviewWithBudget[] = new Array<MailboxPreviewWithBudget>(built.plans.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < built.plans.length; index = next++) {
      signal?.throwIfAborted();
      const plan = built.plans[index];
      if (plan) results[index] = await previewOne(plan, existingMailbox(ledger, jobId, plan), ledger);
    }
  };
  await Promise.all(Array.from({ length: Math.min(previewConcurrency, built.plans.length) }, () => worker()));
  return results;
}

async function previewOne(plan: MailboxPlan, row: MailboxRow | undefined, ledger: Ledger | undefined): Promise<MailboxPreviewWithBudget> {
  const preview: MailboxPreviewWithBudget = {
    label: plan.label,
    source: plan.source,
    target: plan.target,
    sourceIdentity: plan.identity?.source ?? plan.source,
    targetIdentity: plan.identity?.target ?? plan.target,
    folders: [],
    items: 0,
    bytes: 0,
    settled: 0,
  };
  if (row && ledger) {
    const settledByFolder = new Map<number, number>();
    for (const entry of ledger.folderCounts(row.id)) {
      if (entry.state === 'done' || entry.state === 'skipped') {
        settledByFolder.set(entry.folder_id, (settledByFolder.get(entry.folder_id) ?? 0) + entry.items);
        preview.settled += entry.items;
      }
    }
    for (const folder of ledger.folders(row.id)) {
      const settled = settledByFolder.get(folder.id) ?? 0;
      preview.folders.push({ path: decodePath(folder.source_path), items: Math.max(folder.source_count ?? 0, settled), bytes: 0, settled });
    }
  }
  try {
    preview.budget = plan.createTarget().capabilities.budget;
  } catch (error) {
    preview.error = toCloudwardError(error, 'BAD_ARGUMENTS').toInfo();
    return preview;
  }
  const source = plan.createSource();
  const timeout = AbortSignal.timeout(previewTimeoutMs);
  try {
    await abortable(source.open(timeout), timeout);
    const folders = source.preview ? await abortable(source.preview(timeout), timeout) : undefined;
    if (folders) {
      // The source's own counts, with what the ledger already settled in each folder beside them.
      const settled = new Map(preview.folders.map((folder) => [JSON.stringify(folder.path), folder.settled]));
      preview.folders = folders.map((folder) => ({ path: [...folder.path], items: folder.items, bytes: folder.bytes, settled: settled.get(JSON.stringify(folder.path)) ?? 0 }));
      preview.items = folders.reduce((sum, folder) => sum + folder.items, 0);
      preview.bytes = folders.reduce((sum, folder) => sum + folder.bytes, 0);
    } else {
      const estimate = source.estimate ? await abortable(source.estimate(), timeout) : undefined;
      if (estimate) {
        preview.items = estimate.items;
        preview.bytes = estimate.bytes ?? 0;
      }
    }
  } catch (error) {
    preview.error = timeout.aborted
      ? { code: 'TIMEOUT', message: `${plan.label}: the source did not answer within ${previewTimeoutMs / 1000} s`, retryable: true }
      : toCloudwardError(error, 'SOURCE_UNREADABLE').toInfo();
  } finally {
    await closeWithin(() => source.close(), timeout.aborted);
  }
  preview.items = Math.max(preview.items, preview.settled);
  return preview;
}

/**
 * Seconds to move what is not settled yet, each mailbox at its target's budget (bytes per window), the
 * mailboxes `parallel` at a time, longest first. Undefined when no mailbox could say its size.
 */
export function estimateSeconds(previews: readonly MailboxPreviewWithBudget[], parallel: number): number | undefined {
  const durations: number[] = [];
  for (const preview of previews) {
    if (!preview.budget || preview.bytes <= 0 || preview.items <= 0) continue;
    const remaining = preview.bytes * Math.max(0, 1 - preview.settled / preview.items);
    const bytesPerSecond = preview.budget.bytesPerWindow / (preview.budget.windowMs / 1000);
    durations.push(remaining / bytesPerSecond);
  }
  if (durations.length === 0) return undefined;
  durations.sort((a, b) => b - a);
  const lanes = new Array<number>(Math.max(1, parallel)).fill(0);
  for (const duration of durations) {
    const lane = lanes.indexOf(Math.min(...lanes));
    lanes[lane] = (lanes[lane] ?? 0) + duration;
  }
  return Math.max(...lanes);
}
