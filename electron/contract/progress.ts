import type { ErrorInfo } from './errors.js';
import type { ItemKind, ItemState } from './items.js';

/**
 * Everything a running job tells the outside, as a union keyed by `type` (the CLI's --json lines,
 * the UI's event stream). Each event is sent only after the ledger has committed what it reports.
 */
export interface ProgressEvent {
  type: 'progress';
  jobId: number;
  mailboxId: number;
  mailbox: string;
  itemsDone: number;
  itemsSkipped: number;
  itemsFailed: number;
  /** Items the source announced, when it can count ahead; undefined while still counting. */
  itemsTotal: number | undefined;
  bytesDone: number;
  bytesTotal: number | undefined;
  /** Bytes per second over the recent window. */
  bytesPerSecond: number;
  itemsPerSecond: number;
  /** Seconds until done, when the total is known. */
  etaSeconds: number | undefined;
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
