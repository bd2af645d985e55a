import { z } from 'zod';

import { errorInfoSchema } from './errors.js';
import { itemKinds } from './items.js';
import { jobOutcomes, mailboxRunStates } from './progress.js';
import { promptEventSchema } from './prompts.js';

/**
 * The job service's models: what a client asks to migrate, the preview it gets before anything
 * moves, and the views of jobs, mailboxes and folders rebuilt from the ledger at any time.
 */

/** Non-secret options a spec handler may read (the CLI's --target-mailbox, --admin-user, ...). */
export const specOptionsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));
export type SpecOptionValues = z.infer<typeof specOptionsSchema>;

/** What to migrate. Specs carry no secrets: they are what the ledger records. */
export const jobSpecSchema = z.object({
  source: z.string().min(1),
  target: z.string().min(1),
  options: specOptionsSchema.default({}),
  /** Microsoft's IMAP migration CSV: one mailbox per row (source must be imap:// or imaps://). */
  batchCsv: z.string().optional(),
  /** Mailboxes at once. Default 4. */
  parallel: z.number().int().min(1).max(64).optional(),
  /** Read back the first written item of each kind. Default true. */
  verify: z.boolean().optional(),
  /** Delete the batch's passwords from the keychain once the job ends. */
  removePasswords: z.boolean().optional(),
});
export type JobSpec = z.input<typeof jobSpecSchema>;
export type ParsedJobSpec = z.output<typeof jobSpecSchema>;

export const folderPreviewSchema = z.object({
  path: z.array(z.string()),
  items: z.number().int(),
  bytes: z.number(),
  /** Already done or skipped in this ledger (a resumed job only moves the rest). */
  settled: z.number().int(),
});

export const mailboxPreviewSchema = z.object({
  label: z.string(),
  source: z.string(),
  target: z.string(),
  /** What identifies this mailbox across moved files and changed endpoints (see README, "Mailbox identity"). */
  sourceIdentity: z.string(),
  targetIdentity: z.string(),
  folders: z.array(folderPreviewSchema),
  items: z.number().int(),
  bytes: z.number(),
  settled: z.number().int(),
  /** The preview could not read this mailbox (wrong password, missing file): said here, not thrown. */
  error: errorInfoSchema.optional(),
});
export type MailboxPreview = z.infer<typeof mailboxPreviewSchema>;

export const jobPlanSchema = z.object({
  planId: z.string(),
  /** The ledger's job this plan continues, when it does. */
  jobId: z.number().int().optional(),
  spec: jobSpecSchema,
  mailboxes: z.array(mailboxPreviewSchema),
  totals: z.object({ items: z.number().int(), bytes: z.number(), settled: z.number().int() }),
  /** At the target's per-mailbox budget, mailboxes in parallel as planned; undefined when no budget applies. */
  estimatedSeconds: z.number().optional(),
  /** Rows of a batch CSV that were refused, with their line numbers. */
  badRows: z.array(z.object({ line: z.number().int(), reason: z.string() })),
  warnings: z.array(z.string()),
});
export type JobPlan = z.infer<typeof jobPlanSchema>;

export const countsSchema = z.object({
  done: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  bytes: z.number(),
});
export type Counts = z.infer<typeof countsSchema>;

/**
 * A job as the ledger tells it. `state` is 'running'/'paused' only for a job this service is running
 * now; 'interrupted' is a job whose last run never finished (the PC shut down): offer to resume it.
 */
export const jobSummarySchema = countsSchema.extend({
  id: z.number().int(),
  source: z.string(),
  target: z.string(),
  createdAt: z.string(),
  state: z.enum(['running', 'paused', 'idle', 'interrupted', 'finished']),
  lastOutcome: z.enum(jobOutcomes).optional(),
  lastRunAt: z.string().optional(),
  duplicates: z.number().int(),
  /** Skipped on purpose as not user data (a PST's hidden system folders): like duplicates, not an issue. */
  leftOut: z.number().int(),
  mailboxes: z.number().int(),
  /** The spec was stored with the job, so it can be resumed without asking again. */
  resumable: z.boolean(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

export const mailboxStatusSchema = countsSchema.extend({
  id: z.number().int(),
  jobId: z.number().int(),
  label: z.string(),
  source: z.string(),
  target: z.string(),
  state: z.enum([...mailboxRunStates, 'pending']),
  total: z.number().int().optional(),
  error: errorInfoSchema.optional(),
});
export type MailboxStatus = z.infer<typeof mailboxStatusSchema>;

export const folderStatusSchema = countsSchema.extend({
  id: z.number().int(),
  source: z.array(z.string()),
  target: z.array(z.string()).optional(),
  note: z.string().optional(),
  sourceCount: z.number().int().optional(),
});
export type FolderStatus = z.infer<typeof folderStatusSchema>;

export const itemIssueSchema = z.object({
  mailboxId: z.number().int(),
  folder: z.string(),
  sourceKey: z.string(),
  title: z.string().optional(),
  kind: z.enum(itemKinds),
  state: z.enum(['skipped', 'failed']),
  code: z.string(),
  reason: z.string(),
  retryable: z.boolean(),
  size: z.number(),
});
export type ItemIssue = z.infer<typeof itemIssueSchema>;

const jobId = z.object({ jobId: z.number().int() }).strict();
const mailboxId = z.object({ mailboxId: z.number().int() }).strict();
const nothing = z.object({}).strict();

/** The job service's commands: request and response schemas, validated on both sides of every wire. */
export const jobCommands = {
  'app:info': {
    request: nothing,
    response: z.object({
      version: z.string(),
      platform: z.string(),
      ledger: z.string(),
      host: z.enum(['electron', 'browser', 'cli']),
      /** Whether device-code sign-in has a default app registration; false: the wizard asks for an Application (client) ID. Absent from older hosts. */
      signInConfigured: z.boolean().optional(),
    }),
  },
  'jobs:list': { request: nothing, response: z.object({ jobs: z.array(jobSummarySchema) }) },
  /** Reads the sources (folder counts, sizes) and returns a preview; nothing is written to any target. */
  'job:plan': { request: jobSpecSchema, response: jobPlanSchema },
  /** Starts a planned job, or one straight from a spec; answers once it runs (events follow). */
  'job:start': {
    request: z.union([z.object({ planId: z.string() }).strict(), z.object({ spec: jobSpecSchema }).strict()]),
    response: z.object({ jobId: z.number().int() }),
  },
  /** Resumes a paused job, or restarts an interrupted one from its stored spec. */
  'job:resume': { request: jobId, response: z.object({ jobId: z.number().int() }) },
  'job:pause': { request: jobId, response: nothing },
  'job:cancel': { request: jobId, response: nothing },
  'job:status': {
    request: jobId,
    response: z.object({ job: jobSummarySchema, mailboxes: z.array(mailboxStatusSchema) }),
  },
  'mailbox:status': {
    request: mailboxId,
    response: z.object({ mailbox: mailboxStatusSchema, folders: z.array(folderStatusSchema) }),
  },
  'mailbox:issues': {
    request: z
      .object({
        mailboxId: z.number().int(),
        state: z.enum(['skipped', 'failed']).optional(),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      })
      .strict(),
    response: z.object({ items: z.array(itemIssueSchema), total: z.number().int() }),
  },
  /** Items settled per time bucket, for a throughput chart that survives a reload. */
  'mailbox:throughput': {
    request: z.object({ mailboxId: z.number().int(), bucketSeconds: z.number().int().min(1).max(3600).default(60) }).strict(),
    response: z.object({ points: z.array(z.object({ at: z.string(), items: z.number().int(), bytes: z.number() })) }),
  },
  /** Sends the failed (retryable or not) items of one mailbox again; answers the job id that runs. */
  'mailbox:retry': { request: mailboxId, response: z.object({ jobId: z.number().int(), items: z.number().int() }) },
  'job:report': {
    request: z.object({ jobId: z.number().int(), format: z.enum(['html', 'csv', 'json']) }).strict(),
    response: z.object({ fileName: z.string(), mediaType: z.string(), content: z.string() }),
  },
  'prompt:answer': { request: z.object({ promptId: z.string(), value: z.string().optional(), remember: z.boolean().optional(), cancelled: z.boolean().optional() }).strict(), response: nothing },
  /** Prompts still waiting for an answer: a window that reloads shows them again. */
  'prompts:open': { request: nothing, response: z.object({ prompts: z.array(promptEventSchema) }) },
} as const;
