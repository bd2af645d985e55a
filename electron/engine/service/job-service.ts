import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';

import {
  CloudwardError,
  type jobCommands,
  type JobPlan,
  jobSpecSchema,
  type ParsedJobSpec,
  type ParsedServiceRequest,
  type ServiceEvent,
  type ServiceResponse,
  toCloudwardError,
} from '../../contract/index.js';
import { Ledger } from '../ledger/ledger.js';
import { createLogger, type Logger } from '../log/logger.js';
import { Gate } from '../pipeline/gate.js';
import { runJob } from '../pipeline/run-job.js';
import type { Prompter } from '../prompts/prompter.js';
import { renderCsv } from '../report/csv-report.js';
import { renderHtml } from '../report/html-report.js';
import { buildJobReports } from '../report/report-data.js';
import { LayeredSecrets } from '../secrets/layered-secrets.js';
import type { Keychain } from '../secrets/secret-provider.js';
import type { SpecContext } from '../specs/spec.js';
import { EventHub, type ServiceListener, type SubscribeOptions } from './event-hub.js';
import { type BuiltJob, buildJob, specOptions } from './job-plans.js';
import { folderStatuses, itemIssues, jobSummary, type LiveState, mailboxStatus } from './job-views.js';
import { estimateSeconds, existingMailbox, previewMailboxes } from './plan-preview.js';
import { ServicePrompter } from './service-prompter.js';

export type JobCommand = keyof typeof jobCommands;
export type JobHandlers = { [C in JobCommand]: (request: ParsedServiceRequest<C>) => Promise<ServiceResponse<C>> };

export interface JobServiceOptions {
  ledgerFile: string;
  environment: NodeJS.ProcessEnv;
  host: 'electron' | 'browser' | 'cli';
  version: string;
  /** The OS keychain; without one, secrets come from the environment or a prompt. */
  keychain?: Keychain;
  log?: Logger;
  /** How long a plan is kept for job:start { planId }. Default 30 minutes. */
  planTtlMs?: number;
  /** How often per-item results are folded into 'item-summary' events. Default 250 ms. */
  summaryMs?: number;
  /** Minimum time between progress events. Default 100 ms. */
  progressIntervalMs?: number;
  /** The app registration for device-code sign-in when a job names none (the CLI's sign-in-config.ts finds it). */
  defaultClientId?: string;
}

export interface JobService {
  readonly handlers: JobHandlers;
  /** Every event; per-item events only with `items: true` (the CLI's --json), else 'item-summary'. */
  subscribe(listener: ServiceListener, options?: SubscribeOptions): () => void;
  /** Rooms (preflight, handover) emit through the same stream. */
  publish(event: ServiceEvent): void;
  readonly prompter: Prompter;
  /** Stops running jobs cleanly (every mailbox settles what it sent), then closes the ledger. */
  close(): Promise<void>;
}

interface ActiveJob {
  readonly controller: AbortController;
  readonly gate: Gate;
  done: Promise<void>;
}

interface StoredPlan {
  readonly spec: ParsedJobSpec;
  readonly built: BuiltJob;
  readonly scope: JobScope;
  readonly expires: number;
}

/** Filled in when the job starts: prompts its sources ask carry its id and are withdrawn by its cancel. */
interface JobScope {
  jobId?: number;
  signal?: AbortSignal;
}

export function createJobService(options: JobServiceOptions): JobService {
  const hub = new EventHub(options.summaryMs);
  const publish = (event: ServiceEvent): void => hub.publish(event);
  const prompter = new ServicePrompter(publish);
  const log = options.log ?? createLogger();
  const active = new Map<number, ActiveJob>();
  const plans = new Map<string, StoredPlan>();
  const planTtl = options.planTtlMs ?? 30 * 60_000;
  let ledger: Ledger | undefined;
  let closed = false;

  /** Reading never creates a ledger: no file simply means no jobs yet. */
  const readLedger = (): Ledger | undefined => {
    if (ledger === undefined && existsSync(options.ledgerFile)) ledger = Ledger.open(options.ledgerFile);
    return ledger;
  };
  const writeLedger = (): Ledger => (ledger ??= Ledger.open(options.ledgerFile));
  const requireLedger = (): Ledger => {
    const opened = readLedger();
    if (!opened) throw new CloudwardError('JOB_NOT_FOUND', `No jobs yet: there is no ledger at ${options.ledgerFile}`);
    return opened;
  };
  const live = (jobId: number): LiveState => {
    const job = active.get(jobId);
    return job === undefined ? undefined : job.gate.paused ? 'paused' : 'running';
  };
  const contextFor = (spec: ParsedJobSpec, scope: JobScope): SpecContext => ({
    secrets: new LayeredSecrets({ keychain: options.keychain, environment: options.environment, prompter, scope: () => scope }),
    log,
    options: specOptions(spec, options.defaultClientId),
    prompter,
  });
  const sweepPlans = (): void => {
    const now = Date.now();
    for (const [id, plan] of plans) {
      if (plan.expires > now) continue;
      plans.delete(id);
      plan.built.discard?.();
    }
  };

  const start = async (spec: ParsedJobSpec, built: BuiltJob, scope: JobScope, only?: (planIndex: number, mailboxId: number) => boolean): Promise<number> => {
    if (closed) throw new CloudwardError('CANCELLED', 'The service is closing');
    const opened = writeLedger();
    const job = opened.findOrCreateJob(built.source, built.target, built.identity);
    if (active.has(job.id)) throw new CloudwardError('JOB_RUNNING', `Job ${job.id} is already running`);
    // Two processes sending the same items at once would write them twice: one runner per job.
    if (Ledger.isLive(opened.lastRun(job.id))) {
      throw new CloudwardError('JOB_RUNNING', `Job ${job.id} is running in another Cloudward (the app or a terminal) on this ledger`);
    }
    opened.setJobSpec(job.id, JSON.stringify(spec));
    await built.beforeStart?.();
    const mailboxes = only
      ? built.plans.filter((plan, index) => only(index, opened.findOrCreateMailbox(job.id, plan.label, plan.source, plan.target, plan.identity).id))
      : built.plans;
    const controller = new AbortController();
    scope.jobId = job.id;
    scope.signal = controller.signal;
    const gate = new Gate();
    const entry: ActiveJob = { controller, gate, done: Promise.resolve() };
    active.set(job.id, entry);
    publish({ type: 'job-state', jobId: job.id, state: 'running' });
    entry.done = (async () => {
      try {
        await runJob({
          ledger: opened,
          source: built.source,
          target: built.target,
          identity: built.identity,
          mailboxes,
          parallelMailboxes: spec.parallel ?? 4,
          signal: controller.signal,
          gate,
          onEvent: publish,
          log,
          verify: spec.verify ?? true,
          ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
        });
        await built.cleanup().catch((error: unknown) => log.warn({ err: (error as Error).message }, 'cleanup after the job failed'));
      } catch (error) {
        // runJob settles per item and per mailbox; what escapes it stopped the whole job (the ledger failed).
        const cause = toCloudwardError(error);
        log.error({ job: job.id, code: cause.code, err: cause.message }, 'job stopped');
        publish({ type: 'mailbox', jobId: job.id, mailboxId: 0, mailbox: '(job)', phase: 'failed', error: cause.toInfo() });
        publish({
          type: 'summary',
          jobId: job.id,
          mailboxes: mailboxes.length,
          itemsDone: 0,
          itemsSkipped: 0,
          itemsFailed: 0,
          itemsPending: 0,
          bytesDone: 0,
          seconds: 0,
          outcome: 'failed',
        });
      } finally {
        active.delete(job.id);
        publish({ type: 'job-state', jobId: job.id, state: 'finished' });
      }
    })();
    return job.id;
  };

  const startSpec = async (spec: ParsedJobSpec): Promise<number> => {
    const scope: JobScope = {};
    return start(spec, await buildJob(spec, contextFor(spec, scope)), scope);
  };

  const storedSpec = (jobId: number): ParsedJobSpec => {
    const job = requireLedger().job(jobId);
    if (!job) throw new CloudwardError('JOB_NOT_FOUND', `No job ${jobId} in ${options.ledgerFile}`);
    if (job.spec === null) {
      throw new CloudwardError('JOB_NOT_FOUND', `Job ${jobId} was started by an older Cloudward and kept no spec: start it again with the same source and target`);
    }
    const parsed = jobSpecSchema.safeParse(JSON.parse(job.spec));
    if (!parsed.success) throw new CloudwardError('JOB_NOT_FOUND', `Job ${jobId}'s stored spec cannot be read`);
    return parsed.data;
  };

  const handlers: JobHandlers = {
    'app:info': async () => ({
      version: options.version,
      platform: process.platform,
      ledger: options.ledgerFile,
      host: options.host,
      signInConfigured: options.defaultClientId !== undefined && options.defaultClientId !== '',
    }),

    'jobs:list': async () => {
      const opened = readLedger();
      return { jobs: opened ? opened.jobs().map((job) => jobSummary(opened, job, live(job.id))) : [] };
    },

    'job:plan': async (spec) => {
      sweepPlans();
      const scope: JobScope = {};
      const built = await buildJob(spec, contextFor(spec, scope));
      const opened = readLedger();
      const existing = opened
        ?.jobs()
        .find(
          (job) =>
            (job.source_identity === built.identity.source && job.target_identity === built.identity.target) ||
            (job.source === built.source && job.target === built.target),
        );
      const previews = await previewMailboxes(built, opened, existing?.id);
      const planId = randomUUID();
      plans.set(planId, { spec, built, scope, expires: Date.now() + planTtl });
      // A plan can hold passwords in memory: they go when it expires, even if nothing else asks the service.
      setTimeout(sweepPlans, planTtl + 1).unref();
      const totals = { items: 0, bytes: 0, settled: 0 };
      for (const preview of previews) {
        totals.items += preview.items;
        totals.bytes += preview.bytes;
        totals.settled += preview.settled;
      }
      const estimate = estimateSeconds(previews, spec.parallel ?? 4);
      const plan: JobPlan = {
        planId,
        spec,
        mailboxes: previews.map(({ budget: _budget, ...preview }) => preview),
        totals,
        badRows: built.badRows,
        warnings: previews.filter((preview) => preview.error).map((preview) => `${preview.label}: ${preview.error?.message ?? ''}`),
      };
      if (existing) plan.jobId = existing.id;
      if (estimate !== undefined) plan.estimatedSeconds = estimate;
      return plan;
    },

    'job:start': async (request) => {
      if ('planId' in request) {
        sweepPlans();
        const stored = plans.get(request.planId);
        if (!stored) throw new CloudwardError('JOB_NOT_FOUND', `No plan ${request.planId} (plans expire after ${Math.round(planTtl / 60_000)} minutes): plan again`);
        plans.delete(request.planId);
        return { jobId: await start(stored.spec, stored.built, stored.scope) };
      }
      return { jobId: await startSpec(request.spec as ParsedJobSpec) };
    },

    'job:resume': async ({ jobId }) => {
      const running = active.get(jobId);
      if (running) {
        if (running.gate.paused) {
          running.gate.resume();
          publish({ type: 'job-state', jobId, state: 'running' });
        }
        return { jobId };
      }
      return { jobId: await startSpec(storedSpec(jobId)) };
    },

    'job:pause': async ({ jobId }) => {
      const running = active.get(jobId);
      if (!running) throw new CloudwardError('JOB_NOT_FOUND', `Job ${jobId} is not running`);
      if (!running.gate.paused) {
        running.gate.pause();
        publish({ type: 'job-state', jobId, state: 'paused' });
      }
      return {};
    },

    'job:cancel': async ({ jobId }) => {
      const running = active.get(jobId);
      if (running && !running.controller.signal.aborted) {
        publish({ type: 'job-state', jobId, state: 'cancelling' });
        running.controller.abort(new CloudwardError('CANCELLED', 'Cancelled'));
        // A paused job must wake to notice it was cancelled.
        running.gate.resume();
      }
      return {};
    },

    'job:status': async ({ jobId }) => {
      const opened = requireLedger();
      const job = opened.job(jobId);
      if (!job) throw new CloudwardError('JOB_NOT_FOUND', `No job ${jobId} in ${options.ledgerFile}`);
      return { job: jobSummary(opened, job, live(jobId)), mailboxes: opened.mailboxes(jobId).map((row) => mailboxStatus(opened, row, live(jobId))) };
    },

    'mailbox:status': async ({ mailboxId }) => {
      const opened = requireLedger();
      const row = opened.mailbox(mailboxId);
      if (!row) throw new CloudwardError('JOB_NOT_FOUND', `No mailbox ${mailboxId} in ${options.ledgerFile}`);
      return { mailbox: mailboxStatus(opened, row, live(row.job_id)), folders: folderStatuses(opened, mailboxId) };
    },

    'mailbox:issues': async ({ mailboxId, state, offset, limit }) => {
      const opened = requireLedger();
      if (!opened.mailbox(mailboxId)) throw new CloudwardError('JOB_NOT_FOUND', `No mailbox ${mailboxId} in ${options.ledgerFile}`);
      return itemIssues(opened, mailboxId, state, offset, limit);
    },

    'mailbox:throughput': async ({ mailboxId, bucketSeconds }) => {
      const opened = requireLedger();
      if (!opened.mailbox(mailboxId)) throw new CloudwardError('JOB_NOT_FOUND', `No mailbox ${mailboxId} in ${options.ledgerFile}`);
      return {
        points: opened.throughput(mailboxId, bucketSeconds * 1000).map((point) => ({ at: new Date(point.at).toISOString(), items: point.items, bytes: point.bytes })),
      };
    },

    'mailbox:retry': async ({ mailboxId }) => {
      const opened = requireLedger();
      const row = opened.mailbox(mailboxId);
      if (!row) throw new CloudwardError('JOB_NOT_FOUND', `No mailbox ${mailboxId} in ${options.ledgerFile}`);
      if (active.has(row.job_id)) throw new CloudwardError('JOB_RUNNING', `Job ${row.job_id} is running: its failed items are retried as it goes`);
      const items = opened.issues(mailboxId, 'failed', 0, 1).total;
      const spec = storedSpec(row.job_id);
      const scope: JobScope = {};
      const built = await buildJob(spec, contextFor(spec, scope));
      const matching = built.plans.findIndex((plan) => existingMailbox(opened, row.job_id, plan)?.id === mailboxId);
      if (matching < 0) throw new CloudwardError('JOB_NOT_FOUND', `Mailbox ${row.label} is no longer part of job ${row.job_id}'s spec`);
      const jobId = await start(spec, built, scope, (index) => index === matching);
      return { jobId, items };
    },

    'job:report': async ({ jobId, format }) => {
      const report = buildJobReports(requireLedger()).filter((entry) => entry.jobId === jobId);
      if (report.length === 0) throw new CloudwardError('JOB_NOT_FOUND', `No job ${jobId} in ${options.ledgerFile}`);
      if (format === 'html') return { fileName: `cloudward-job-${jobId}.html`, mediaType: 'text/html', content: renderHtml(report) };
      if (format === 'csv') return { fileName: `cloudward-job-${jobId}.csv`, mediaType: 'text/csv', content: renderCsv(report) };
      return { fileName: `cloudward-job-${jobId}.json`, mediaType: 'application/json', content: JSON.stringify({ jobs: report }, null, 2) + '\n' };
    },

    'prompt:answer': async (answer) => {
      prompter.answer(answer);
      return {};
    },

    'prompts:open': async () => ({ prompts: prompter.openPrompts() }),
  };

  return {
    handlers,
    subscribe: (listener, subscribeOptions) => hub.subscribe(listener, subscribeOptions),
    publish,
    prompter,
    close: async () => {
      closed = true;
      for (const plan of plans.values()) plan.built.discard?.();
      plans.clear();
      for (const job of active.values()) {
        job.controller.abort(new CloudwardError('CANCELLED', 'The app is closing'));
        job.gate.resume();
      }
      prompter.declineAll();
      await Promise.allSettled([...active.values()].map((job) => job.done));
      hub.close();
      ledger?.close();
      ledger = undefined;
    },
  };
}
