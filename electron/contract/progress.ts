import { z } from 'zod';

import { errorInfoSchema } from './errors.js';
import { itemKinds, itemStates } from './items.js';

/**
 * Everything a running job tells the outside, as a union keyed by `type` (the CLI's --json lines,
 * the UI's event stream). Each event is sent only after the ledger has committed what it reports.
 * Types are inferred from the schemas, so every client validates exactly what the engine promises.
 */
export const progressFiguresSchema = z.object({
  itemsDone: z.number().int(),
  itemsSkipped: z.number().int(),
  itemsFailed: z.number().int(),
  /** Items the source announced, when it can count ahead; undefined while unknown. */
  itemsTotal: z.number().int().optional(),
  bytesDone: z.number(),
  /** Items per second and bytes per second over the recent window. */
  itemsPerSecond: z.number(),
  bytesPerSecond: z.number(),
  /** Seconds until done, when the total is known. */
  etaSeconds: z.number().optional(),
});
export type ProgressFigures = z.infer<typeof progressFiguresSchema>;

export const mailboxRunStates = ['queued', 'waiting', 'running', 'paused', 'finished', 'failed', 'cancelled'] as const;
export type MailboxRunState = (typeof mailboxRunStates)[number];

export const mailboxProgressSchema = progressFiguresSchema.extend({
  /** The ledger's mailbox id; 0 only for a mailbox queued in a job never run before. */
  mailboxId: z.number().int(),
  mailbox: z.string(),
  state: z.enum(mailboxRunStates),
  /** The folder being worked on, when one is. */
  folder: z.string().optional(),
});
export type MailboxProgress = z.infer<typeof mailboxProgressSchema>;

/**
 * One event for the whole job, at most ten a second, whatever the number of mailboxes: a UI or a
 * terminal never drowns in updates. Queued mailboxes are listed too (state 'queued').
 */
export const progressEventSchema = z.object({
  type: z.literal('progress'),
  jobId: z.number().int(),
  totals: progressFiguresSchema,
  mailboxes: z.array(mailboxProgressSchema),
  paused: z.boolean(),
});
export type ProgressEvent = z.infer<typeof progressEventSchema>;

/** One item settled. The CLI's --json prints each; a UI gets `item-summary` instead (see below). */
export const itemResultEventSchema = z.object({
  type: z.literal('item'),
  jobId: z.number().int(),
  mailboxId: z.number().int(),
  folder: z.string(),
  sourceKey: z.string(),
  kind: z.enum(itemKinds),
  state: z.enum(itemStates),
  size: z.number(),
  title: z.string().optional(),
  targetId: z.string().optional(),
  error: errorInfoSchema.optional(),
});
export type ItemResultEvent = z.infer<typeof itemResultEventSchema>;

/**
 * Per-item results folded for a window: counts by state since the last summary, plus the most recent
 * skipped/failed items with their reasons (capped), at most a few a second.
 */
export const itemSummaryEventSchema = z.object({
  type: z.literal('item-summary'),
  jobId: z.number().int(),
  mailboxId: z.number().int(),
  done: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  /** Skipped and failed items in this window, newest last, at most 20; `dropped` says how many more. */
  issues: z.array(itemResultEventSchema.omit({ type: true })),
  dropped: z.number().int(),
});
export type ItemSummaryEvent = z.infer<typeof itemSummaryEventSchema>;

export const mailboxEventSchema = z.object({
  type: z.literal('mailbox'),
  jobId: z.number().int(),
  mailboxId: z.number().int(),
  mailbox: z.string(),
  phase: z.enum(['started', 'finished', 'failed', 'cancelled']),
  error: errorInfoSchema.optional(),
});
export type MailboxEvent = z.infer<typeof mailboxEventSchema>;

export const waitEventSchema = z.object({
  type: z.literal('wait'),
  jobId: z.number().int(),
  mailboxId: z.number().int(),
  /** Why we wait: the server's back-off hint, our own budget, a retry, or a prompt nobody answered yet. */
  reason: z.enum(['throttled', 'budget', 'retry', 'prompt']),
  milliseconds: z.number(),
  message: z.string(),
});
export type WaitEvent = z.infer<typeof waitEventSchema>;

export const jobOutcomes = ['complete', 'with-issues', 'failed', 'interrupted'] as const;
export type JobOutcome = (typeof jobOutcomes)[number];

export const summaryEventSchema = z.object({
  type: z.literal('summary'),
  jobId: z.number().int(),
  mailboxes: z.number().int(),
  itemsDone: z.number().int(),
  itemsSkipped: z.number().int(),
  itemsFailed: z.number().int(),
  itemsPending: z.number().int(),
  bytesDone: z.number(),
  seconds: z.number(),
  outcome: z.enum(jobOutcomes),
});
export type SummaryEvent = z.infer<typeof summaryEventSchema>;

/** The job as a whole changed state (a UI enables and disables its buttons on these). */
export const jobStateEventSchema = z.object({
  type: z.literal('job-state'),
  jobId: z.number().int(),
  state: z.enum(['planned', 'running', 'paused', 'cancelling', 'finished']),
});
export type JobStateEvent = z.infer<typeof jobStateEventSchema>;

/** What the engine itself emits while a job runs. */
export const jobEventSchema = z.discriminatedUnion('type', [
  progressEventSchema,
  itemResultEventSchema,
  itemSummaryEventSchema,
  mailboxEventSchema,
  waitEventSchema,
  summaryEventSchema,
  jobStateEventSchema,
]);
export type JobEvent = z.infer<typeof jobEventSchema>;
