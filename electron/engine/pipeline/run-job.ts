import { setMaxListeners } from 'node:events';
import {
  CloudwardError,
  type ErrorInfo,
  type ItemKind,
  type JobEvent,
  type JobOutcome,
  type ProgressFigures,
  type SummaryEvent,
} from '../../contract/index.js';
import { createLogger } from '../log/logger.js';
import { Gate } from './gate.js';
import { runHeartbeatMs, runOwner } from '../ledger/ledger.js';
import type { JobOptions, MailboxPlan } from './job-types.js';
import { type MailboxHost, MailboxRun } from './mailbox-run.js';
import { realClock } from './pacer.js';
import { Throttle } from './progress-meter.js';
import { defaultRetryPolicy } from './retry-policy.js';

export type { JobOptions, MailboxPlan } from './job-types.js';

function emptyFigures(): ProgressFigures {
  return { itemsDone: 0, itemsSkipped: 0, itemsFailed: 0, itemsTotal: undefined, bytesDone: 0, itemsPerSecond: 0, bytesPerSecond: 0, etaSeconds: undefined };
}

export interface JobResult {
  summary: SummaryEvent;
  /** Errors that stopped whole mailboxes, by mailbox label. */
  mailboxErrors: { mailbox: string; error: ErrorInfo }[];
}

/**
 * Runs a job: every mailbox of it, `parallelMailboxes` at a time, each under its own budget. Safe to
 * call again with the same ledger and plans: what is settled is skipped, what was in flight is
 * reconciled, so a re-run is an incremental sync.
 */
export async function runJob(options: JobOptions): Promise<JobResult> {
  const { ledger } = options;
  const clock = options.clock ?? realClock;
  const log = options.log ?? createLogger();
  const emit = (event: JobEvent): void => options.onEvent?.(event);
  const job = ledger.findOrCreateJob(options.source, options.target, options.identity);
  const runId = ledger.startRun(job.id, runOwner());
  // Tells other processes sharing this ledger (the app, a terminal) that the job is alive.
  const heartbeat = setInterval(() => {
    try {
      ledger.heartbeat(runId);
    } catch {
      // A busy or closed ledger only delays the heartbeat; the work itself reports ledger failures.
    }
  }, runHeartbeatMs);
  heartbeat.unref();
  const startedAt = clock.now();
  const gate = options.gate ?? new Gate();
  const stopper = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stopper.signal]) : stopper.signal;
  // One listener per mailbox (20 in parallel is an ordinary batch) plus the job's own.
  setMaxListeners(options.mailboxes.length + 64, signal);
  const runs: MailboxRun[] = [];
  // Every mailbox has its ledger row from the start, so progress lists queued ones with their real ids.
  const rows = options.mailboxes.map((plan) => ledger.findOrCreateMailbox(job.id, plan.label, plan.source, plan.target, plan.identity));
  const started = new Set<MailboxPlan>();

  const progress = new Throttle(options.progressIntervalMs ?? 100, () => {
    for (const run of runs) run.refreshRates();
    const totals: ProgressFigures = {
      itemsDone: 0,
      itemsSkipped: 0,
      itemsFailed: 0,
      itemsTotal: 0,
      bytesDone: 0,
      itemsPerSecond: 0,
      bytesPerSecond: 0,
      etaSeconds: undefined,
    };
    let totalKnown = true;
    for (const { progress: p } of runs) {
      totals.itemsDone += p.itemsDone;
      totals.itemsSkipped += p.itemsSkipped;
      totals.itemsFailed += p.itemsFailed;
      totals.bytesDone += p.bytesDone;
      totals.itemsPerSecond += p.itemsPerSecond;
      totals.bytesPerSecond += p.bytesPerSecond;
      if (p.itemsTotal === undefined) totalKnown = false;
      else totals.itemsTotal = (totals.itemsTotal ?? 0) + p.itemsTotal;
    }
    if (!totalKnown || runs.length < options.mailboxes.length) totals.itemsTotal = undefined;
    if (totals.itemsTotal !== undefined && totals.itemsPerSecond > 0) {
      const settled = totals.itemsDone + totals.itemsSkipped + totals.itemsFailed;
      totals.etaSeconds = Math.max(0, (totals.itemsTotal - settled) / totals.itemsPerSecond);
    }
    const queued = options.mailboxes.flatMap((plan, index) =>
      started.has(plan)
        ? []
        : [{ ...emptyFigures(), mailboxId: rows[index]?.id ?? 0, mailbox: plan.label, state: signal.aborted ? ('cancelled' as const) : ('queued' as const) }],
    );
    emit({ type: 'progress', jobId: job.id, totals, mailboxes: [...runs.map((run) => ({ ...run.progress })), ...queued], paused: gate.paused });
  });

  const verifiedKinds = new Set<ItemKind>();
  let jobStop: CloudwardError | undefined;
  const host: MailboxHost = {
    jobId: job.id,
    ledger,
    retry: options.retry ?? defaultRetryPolicy,
    clock,
    gate,
    log: log.child({ job: job.id }),
    verifyKinds: options.verify ?? true,
    verifiedKinds,
    emitItem: (event, mailboxId) => emit({ type: 'item', jobId: job.id, mailboxId, ...event }),
    emitWait: (mailboxId, reason, milliseconds, message) =>
      emit({ type: 'wait', jobId: job.id, mailboxId, reason, milliseconds, message }),
    changed: () => progress.request(),
    stopJob: (error) => {
      jobStop ??= error;
      stopper.abort(error);
    },
  };

  const mailboxErrors: JobResult['mailboxErrors'] = [];
  const queue = [...options.mailboxes];
  const worker = async (): Promise<void> => {
    for (let plan = queue.shift(); plan && !signal.aborted; plan = queue.shift()) {
      const run = new MailboxRun(host, plan, signal);
      runs.push(run);
      started.add(plan);
      const mailboxId = rows[options.mailboxes.indexOf(plan)]?.id ?? 0;
      emit({ type: 'mailbox', jobId: job.id, mailboxId, mailbox: plan.label, phase: 'started' });
      const error = await run.run();
      if (error) mailboxErrors.push({ mailbox: plan.label, error: error.toInfo() });
      emit({
        type: 'mailbox',
        jobId: job.id,
        mailboxId: run.progress.mailboxId,
        mailbox: plan.label,
        phase: error ? 'failed' : run.progress.state === 'cancelled' ? 'cancelled' : 'finished',
        ...(error ? { error: error.toInfo() } : {}),
      });
    }
  };
  const parallel = Math.max(1, Math.min(options.parallelMailboxes ?? 4, options.mailboxes.length));
  try {
    await Promise.all(Array.from({ length: parallel }, () => worker()));
    await progress.flush();
  } finally {
    clearInterval(heartbeat);
  }

  const counts = ledger.jobCounts(job.id);
  const interrupted = options.signal?.aborted === true && jobStop === undefined;
  const outcome: JobOutcome = interrupted
    ? 'interrupted'
    : jobStop || mailboxErrors.length > 0
      ? 'failed'
      : counts.failed > 0 || counts.skipped > counts.duplicates + counts.leftOut || counts.pending > 0
        ? 'with-issues'
        : 'complete';
  const bytesDone = runs.reduce((sum, run) => sum + run.progress.bytesDone, 0);
  const itemsThisRun = runs.reduce((sum, run) => sum + run.progress.itemsDone, 0);
  ledger.finishRun(runId, outcome, itemsThisRun, bytesDone);
  if (jobStop && !mailboxErrors.some((entry) => entry.error.code === jobStop?.code)) {
    mailboxErrors.push({ mailbox: '(job)', error: jobStop.toInfo() });
  }
  const summary: SummaryEvent = {
    type: 'summary',
    jobId: job.id,
    mailboxes: options.mailboxes.length,
    itemsDone: counts.done,
    itemsSkipped: counts.skipped,
    itemsFailed: counts.failed,
    itemsPending: counts.pending,
    bytesDone,
    seconds: (clock.now() - startedAt) / 1000,
    outcome,
  };
  emit(summary);
  return { summary, mailboxErrors };
}
