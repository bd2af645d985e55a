import type { ItemKind } from '../../../contract/index.js';
import type { TargetCapabilities } from '../target.js';

export const MB = 1024 * 1024;
export const defaultMaxItemMb = 35;
export const ceilingMaxItemMb = 150;

/**
 * The request carries an item as base64 inside XML: 4/3 of its size plus about 1 KB of XML per item
 * (ews-graph.md §3.2 rounds it to 1.37×). Exchange's budget counts request bytes, the pipeline paces
 * by item bytes, so the declared budget is the server's divided by this factor.
 */
export const wireFactor = 1.35;

/**
 * Our window is a little longer than the server's: we count a request when it starts, the server
 * when it has read it, so at the window's edge we would otherwise run into ErrorServerBusy.
 */
export function pacedWindow(serverWindowMs: number): number {
  return Math.round(serverWindowMs * 1.01 + 250);
}

export const ewsKinds: readonly ItemKind[] = ['mail', 'contact', 'distlist', 'event', 'task', 'autocomplete'];

export interface BudgetOverride {
  /** Server budget in request bytes per window (Exchange Online: 150 MB per 5 minutes). */
  serverBytesPerWindow?: number;
  windowMs?: number;
  maxConcurrent?: number;
  /** Raw item bytes per CreateItem; a benchmark with a scaled-down window scales this too. */
  maxBatchBytes?: number;
}

export function ewsCapabilities(maxItemMb: number | undefined, budget: BudgetOverride = {}): TargetCapabilities {
  const itemMb = Math.min(ceilingMaxItemMb, Math.max(1, maxItemMb ?? defaultMaxItemMb));
  return {
    kinds: ewsKinds,
    maxItemBytes: Math.floor(itemMb * MB),
    sizeLimitAdvice: `Raise the mailbox limit with \`Set-Mailbox <mailbox> -MaxReceiveSize 150MB -MaxSendSize 150MB\`, then run again with --max-item-mb 150 (Exchange Online allows up to 150 MB)`,
    // Microsoft: "limit your batches to 10 items"; a few MB keeps one slow request from holding a big share of the window.
    maxBatchItems: 10,
    maxBatchBytes: budget.maxBatchBytes ?? 4 * MB,
    budget: {
      bytesPerWindow: Math.floor((budget.serverBytesPerWindow ?? 150 * MB) / wireFactor),
      windowMs: pacedWindow(budget.windowMs ?? 5 * 60_000),
      // Vendor practice and Microsoft's advice: a small pool per mailbox, many mailboxes at once.
      maxConcurrent: budget.maxConcurrent ?? 3,
    },
  };
}
