import type { ErrorInfo, ItemKind } from '../../contract/index.js';
import type { PreparedItem, SourceFolder } from '../model/items.js';

/** What a target declares about itself; the pipeline paces and batches by it. */
export interface TargetCapabilities {
  readonly kinds: readonly ItemKind[];
  /** Largest item it takes, bytes. */
  readonly maxItemBytes: number;
  /** Said with every item skipped for size: how the administrator can raise the limit. */
  readonly sizeLimitAdvice?: string;
  readonly maxBatchItems: number;
  /**
   * Reads a mail's MimeFacts (model/mime-facts.ts) when its source offers them instead of parsing the MIME
   * (Graph). A source records them only for such a target: the others would pay for them per item.
   */
  readonly readsMimeFacts?: boolean;
  readonly maxBatchBytes: number;
  /** Per-mailbox budget: bytes per window and requests in flight at once. */
  readonly budget: {
    readonly bytesPerWindow: number;
    readonly windowMs: number;
    readonly maxConcurrent: number;
  };
}

export type ItemOutcome =
  /** `note`: what the target could not keep of this item (Graph: headers, the text alternative…), for the report. */
  | { ok: true; targetId: string; note?: string }
  | { ok: false; error: ErrorInfo };

export interface Target {
  readonly label: string;
  readonly capabilities: TargetCapabilities;
  /**
   * Connects and checks access before the job starts (blocked tenant, bad credentials). `signal` (here and
   * below) is the job's cancel: a target should stop its requests on it; the pipeline stops waiting anyway.
   */
  open(signal?: AbortSignal): Promise<void>;
  /** Finds or creates the folder; returns the target's id for it and the path it really used. */
  ensureFolder(folder: SourceFolder, mappedPath: readonly string[], signal?: AbortSignal): Promise<{ targetId: string; path: readonly string[] }>;
  /** Writes a batch; answers per item, in the same order. Throws only when the whole batch failed. */
  write(batch: readonly PreparedItem[], signal: AbortSignal): Promise<ItemOutcome[]>;
  /**
   * After a crash, items that were sent but never answered are asked about here: the target says which
   * exist already (by the item's key or content), so a resume never writes them twice.
   */
  reconcile?(items: readonly PreparedItem[], signal?: AbortSignal): Promise<(string | undefined)[]>;
  /** Reads back one written item to verify it (first item of each kind in a job). */
  verify?(item: PreparedItem, targetId: string, signal?: AbortSignal): Promise<void>;
  /**
   * Runs once after every item of a mailbox is settled and before close(), only when the mailbox ran
   * to its end (not when cancelled or failed). For what a target can only write as a whole, such as
   * Exchange's autocomplete list (one blob per mailbox). A throw fails the mailbox with that error,
   * so the report shows it; `notes` are kept with the mailbox and shown in the report.
   */
  finishMailbox?(signal: AbortSignal): Promise<{ notes: string[] }>;
  close(): Promise<void>;
}
