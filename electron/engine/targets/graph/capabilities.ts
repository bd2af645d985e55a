import type { ItemKind } from '../../../contract/index.js';
import type { TargetCapabilities } from '../target.js';

export const MB = 1024 * 1024;
export const defaultMaxItemMb = 35;
export const ceilingMaxItemMb = 150;

/**
 * Graph counts upload bytes of POST/PATCH/PUT (150 MB per 5 minutes per app and mailbox,
 * GRAPH:throttling-limits#outlook-service-limits). The pipeline paces by the item's MIME bytes; the
 * JSON Cloudward sends is about as large (attachments base64 in both, headers fewer, JSON escapes a
 * little more), and large attachments go as raw ranges (smaller). A small margin keeps us under the
 * server's count; a 429 that still comes is honoured through Retry-After.
 */
export const wireFactor = 1.05;

export function pacedWindow(serverWindowMs: number): number {
  return Math.round(serverWindowMs * 1.01 + 250);
}

/** Autocomplete is taken always: the target merges it (beta switch on) or skips it naming the switch. */
export const graphKinds: readonly ItemKind[] = ['mail', 'contact', 'event', 'task', 'autocomplete'];

export interface GraphBudget {
  serverBytesPerWindow?: number;
  windowMs?: number;
  /** Pipeline writes in flight; each write uses up to `requestSlots` requests at once. */
  maxConcurrent?: number;
  maxBatchBytes?: number;
}

export function graphCapabilities(maxItemMb: number | undefined, budget: GraphBudget = {}): TargetCapabilities {
  const itemMb = Math.min(ceilingMaxItemMb, Math.max(1, maxItemMb ?? defaultMaxItemMb));
  return {
    kinds: graphKinds,
    maxItemBytes: Math.floor(itemMb * MB),
    sizeLimitAdvice: 'Raise the mailbox limit with `Set-Mailbox <mailbox> -MaxReceiveSize 150MB -MaxSendSize 150MB`, then run again with --max-item-mb 150 (Graph takes attachments up to 150 MB through upload sessions)',
    maxBatchItems: 10,
    maxBatchBytes: budget.maxBatchBytes ?? 4 * MB,
    budget: {
      bytesPerWindow: Math.floor((budget.serverBytesPerWindow ?? 150 * MB) / wireFactor),
      windowMs: pacedWindow(budget.windowMs ?? 5 * 60_000),
      // One batch in flight per mailbox (memory: twenty mailboxes run together); within it the
      // target sends up to four requests at a time.
      maxConcurrent: budget.maxConcurrent ?? 1,
    },
  };
}
