import type { JobEvent } from '../../contract/index.js';
import type { Identity, Ledger } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import type { Source } from '../sources/source.js';
import type { Target } from '../targets/target.js';
import type { Gate } from './gate.js';
import type { Clock } from './pacer.js';
import type { RetryPolicy } from './retry-policy.js';

/** One source paired with one target. Specs carry no secrets: they are what the ledger records. */
export interface MailboxPlan {
  readonly label: string;
  readonly source: string;
  readonly target: string;
  /** What this mailbox is beyond its spec strings: the same identity continues the same ledger rows. */
  readonly identity?: Identity;
  createSource(): Source;
  createTarget(): Target;
}

export interface JobOptions {
  readonly ledger: Ledger;
  /** The job's identity in the ledger: the same pair resumes the same job. */
  readonly source: string;
  readonly target: string;
  /** A job known by the same identity continues even when its spec strings changed. */
  readonly identity?: Identity;
  readonly mailboxes: readonly MailboxPlan[];
  /** Mailboxes migrated at once; each keeps its own budget. Default 4. */
  readonly parallelMailboxes?: number;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  readonly gate?: Gate;
  readonly onEvent?: (event: JobEvent) => void;
  readonly log?: Logger;
  readonly clock?: Clock;
  /** Minimum time between progress events, ms. Default 100 (ten a second). */
  readonly progressIntervalMs?: number;
  /** Read back the first written item of each kind. Default true. */
  readonly verify?: boolean;
}
