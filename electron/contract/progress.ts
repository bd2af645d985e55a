import type { ErrorInfo } from './errors.js';
import type { ItemKind, ItemState } from './items.js';

/**
 * Everything a running job tells the outside, as a union keyed by `type` (the CLI's --json lines,
 * the UI's event stream). Each event is sent only after the ledger has committed what it reports.
 */
/** Counters and rates for one mailbox or the whole job. */
export interface ProgressFigures {
  itemsDone: number;
  itemsSkipped: number;
  itemsFailed: number;
  /** Items the source announced, when it can count ahead; undefined while unknown. */
  itemsTotal: number | undefined;
  bytesDone: number;
  /** Items per second and bytes per second over the recent window. */
  itemsPerSecond: number;
  bytesPerSecond: number;
  /** Seconds until done, when the total is known. */
  etaSeconds: number | undefined;
}

export interface MailboxProgress extends ProgressFigures {
  mailboxId: number;
  mailbox: string;
  state: 'waiting' | 'running' | 'finished' | 'failed' | 'cancelled';
}

/**
 * One event for the whole job, at most ten a second, whatever the number of mailboxes: a UI or a
 * terminal never drowns in updates.
 */
export interface ProgressEvent {
  type: 'progress';
  jobId: number;
  totals: ProgressFigures;
  mailboxes: MailboxProgress[];
  paused: boolean;
}

export interface ItemResultEvent {
  type: 'item';
  jobId: number;
  mailboxId: number;
  folder: string;
  sourceKey: string;
  kind: ItemKind;
  state: ItemState;
  size: number;
  targetId?: string;
  error?: ErrorInfo;
}

export interface MailboxEvent {
  type: 'mailbox';
  jobId: number;
  mailboxId: number;
  mailbox: string;
  phase: 'started' | 'finished' | 'failed' | 'cancelled';
  error?: ErrorInfo;
}

export interface WaitEvent {
  type: 'wait';
  jobId: number;
  mailboxId: number;
  /** Why we wait: the server's back-off hint, our own budget, or a retry. */
  reason: 'throttled' | 'budget' | 'retry';
  milliseconds: number;
  message: string;
}

export interface SummaryEvent {
  type: 'summary';
  jobId: number;
  mailboxes: number;
  itemsDone: number;
  itemsSkipped: number;
  itemsFailed: number;
  itemsPending: number;
  bytesDone: number;
  seconds: number;
  outcome: JobOutcome;
}

export type JobOutcome = 'complete' | 'with-issues' | 'failed' | 'interrupted';

export type JobEvent = ProgressEvent | ItemResultEvent | MailboxEvent | WaitEvent | SummaryEvent;
