import type { ItemKind } from '../../../contract/index.js';
import type { TargetCapabilities } from '../target.js';

export const MB = 1024 * 1024;
export const defaultMaxItemMb = 35;
export const ceilingMaxItemMb = 150;

/**
 * Graph counts upload bytes of POST/PATCH/PUT (150 MB per 5 minutes per app and mailbox,
 * GRAPH:throttling-limits#outlook-service-limits). The client paces on exactly those bytes
 * (exchange/request-window.ts, shared with EWS); the pipeline's own pacer, which can only see item (MIME) bytes, is a backstop
 * at twice the budget that keeps a runaway bounded without ever being what holds the mailbox back
 * (issue 15: pacing there on MIME × 1.05 with a longer window left 8 % of the budget unused).
 */
export const pipelineBudgetFactor = 2;

/** Autocomplete is taken always: the target merges it (beta switch on) or skips it naming the switch. */
export const graphKinds: readonly ItemKind[] = ['mail', 'contact', 'event', 'task', 'autocomplete'];

export interface GraphBudget {
  serverBytesPerWindow?: number;
  windowMs?: number;
  /** Pipeline writes in flight; all of them share the client's `requestSlots` requests. */
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
    readsMimeFacts: true,
    // Small batches: four are in flight per mailbox, and their MIME is held until each item settles.
    maxBatchBytes: budget.maxBatchBytes ?? 1 * MB,
    budget: {
      bytesPerWindow: Math.floor((budget.serverBytesPerWindow ?? 150 * MB) * pipelineBudgetFactor),
      windowMs: budget.windowMs ?? 5 * 60_000,
      // Four writes in flight per mailbox, so four creates can be (Outlook's per-mailbox limit, which the
      // client keeps); the target bounds how many items it holds mapped across them (send-gate.ts).
      maxConcurrent: budget.maxConcurrent ?? 4,
    },
  };
}
