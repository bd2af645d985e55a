import type { ItemKind } from '../../contract/index.js';
import type { SourceEntry } from '../model/items.js';

/**
 * A source of folders and items. `entries()` is an async iterator so no source ever holds a whole
 * mailbox in memory; the pipeline pulls at the target's pace.
 */
export interface Source {
  /** Human label: the file, the account. */
  readonly label: string;
  /**
   * Opens the source and fails early with a CloudwardError (SOURCE_UNREADABLE, SOURCE_AUTH_FAILED).
   * `signal` is the job's cancel (a login that hangs); the pipeline stops waiting on it anyway.
   */
  open(signal?: AbortSignal): Promise<void>;
  /**
   * Folders and items. `checkpoints` lets a source resume (IMAP: last UID per folder); the source
   * reports new checkpoints through `saveCheckpoint`, which the pipeline commits in order with the items
   * yielded before it, so a checkpoint is never ahead of the work it covers.
   */
  entries(context: SourceContext): AsyncIterable<SourceEntry>;
  /** Counts ahead for progress; may be cheaper than reading (folder counts). */
  estimate?(): Promise<{ items: number; bytes?: number } | undefined>;
  /**
   * Folder by folder, what a job would move (job:plan's preview), from cheap reads only: folder tables,
   * IMAP STATUS, file sizes. Called after open(); `bytes` is 0 where the source cannot say cheaply.
   */
  preview?(signal?: AbortSignal): Promise<SourceFolderPreview[]>;
  close(): Promise<void>;
}

export interface SourceFolderPreview {
  readonly path: readonly string[];
  readonly items: number;
  readonly bytes: number;
}

export interface SourceContext {
  readonly signal: AbortSignal;
  /** Checkpoint last committed under `scope`, or undefined. */
  checkpoint(scope: string): string | undefined;
  /** Queue a checkpoint; committed once every item yielded before this call is settled. */
  saveCheckpoint(scope: string, value: string): void;
  /** Is this source key already settled (done or skipped)? Lets a source skip loading it. */
  isSettled(sourceKey: string): boolean;
  /** Keys under a prefix that a run started but did not settle (pending, or failed and retryable): a source that resumes from a checkpoint must offer these again. */
  unsettledKeys(prefix: string): string[];
  /** A per-item failure found while reading: recorded in the ledger and the report, and the read goes on. */
  reportUnreadable(failure: UnreadableItem): void;
  /** The target reads MIME facts (TargetCapabilities.readsMimeFacts): a source that writes the MIME records them. */
  readonly mimeFacts?: boolean;
}

export interface UnreadableItem {
  key: string;
  folderPath: readonly string[];
  kind: ItemKind;
  reason: string;
  title?: string;
}
