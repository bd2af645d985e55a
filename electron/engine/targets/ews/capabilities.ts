import type { ItemKind } from '../../../contract/index.js';
import type { RequestWindow } from '../exchange/request-window.js';
import type { TargetCapabilities } from '../target.js';

export const MB = 1024 * 1024;
export const defaultMaxItemMb = 35;
export const ceilingMaxItemMb = 150;

/**
 * Request bytes per item byte. The MIME goes as base64 inside XML: never less than 4/3 plus the XML around
 * it, which is what the pipeline's estimate starts from; WireFactor then learns the real ratio request by request.
 */
export const initialWireFactor = 4 / 3;

/**
 * The pipeline paces on item bytes; the server counts request bytes. The exact count is the target's
 * (exchange/request-window.ts), which never lets a request overflow the server's window. The pipeline's estimate
 * follows the measured ratio, so most waits for budget happen in the pipeline, where the person sees them
 * ("keeping under the mailbox budget") and `--profile` counts them as waiting, not writing.
 */
export class WireFactor {
  private ratio = initialWireFactor;

  observe(itemBytes: number, requestBytes: number): void {
    if (itemBytes <= 0 || requestBytes <= 0) return;
    // Small items carry proportionally more XML; one odd batch moves the estimate a fifth of the way.
    const sample = Math.min(8, Math.max(0.25, requestBytes / itemBytes));
    this.ratio += (sample - this.ratio) * 0.2;
  }

  get value(): number {
    return this.ratio;
  }

  /** Item bytes the pipeline may start per window. */
  itemBudget(serverBytesPerWindow: number): number {
    return Math.floor(serverBytesPerWindow / this.ratio);
  }
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

/** Exchange Online: 150 MB of requests per mailbox in any 5 minutes. */
export function serverBudget(budget: BudgetOverride = {}): { bytesPerWindow: number; windowMs: number } {
  return { bytesPerWindow: budget.serverBytesPerWindow ?? 150 * MB, windowMs: budget.windowMs ?? 5 * 60_000 };
}

/**
 * The pipeline counts a request when it starts, the server once it has read it: the pipeline's window is longer by
 * twice the measured round trip, so it, not the target's exact window, is the one that waits. Capped at the old
 * fixed margin (1 % + 250 ms); past it (a slow server) the target's window waits instead, still exact.
 */
export function pacedWindow(serverWindowMs: number, roundTripMs: number | undefined): number {
  const cap = serverWindowMs * 0.01 + 250;
  return Math.round(serverWindowMs + Math.min(cap, Math.max(20, 2 * (roundTripMs ?? cap))));
}

export function ewsCapabilities(maxItemMb: number | undefined, budget: BudgetOverride = {}, wire: WireFactor = new WireFactor(), window?: RequestWindow): TargetCapabilities {
  const server = serverBudget(budget);
  const itemMb = Math.min(ceilingMaxItemMb, Math.max(1, maxItemMb ?? defaultMaxItemMb));
  return {
    kinds: ewsKinds,
    maxItemBytes: Math.floor(itemMb * MB),
    sizeLimitAdvice: `Raise the mailbox limit with \`Set-Mailbox <mailbox> -MaxReceiveSize 150MB -MaxSendSize 150MB\`, then run again with --max-item-mb 150 (Exchange Online allows up to 150 MB)`,
    // Microsoft: "limit your batches to 10 items"; a few MB keeps one slow request from holding a big share of the window.
    maxBatchItems: 10,
    maxBatchBytes: budget.maxBatchBytes ?? 4 * MB,
    budget: {
      // Read by the pipeline's pacer at every request, so it follows the measured ratio.
      get bytesPerWindow() {
        return wire.itemBudget(server.bytesPerWindow);
      },
      get windowMs() {
        return pacedWindow(server.windowMs, window?.roundTripMs);
      },
      // Vendor practice and Microsoft's advice: a small pool per mailbox, many mailboxes at once.
      maxConcurrent: budget.maxConcurrent ?? 3,
    },
  };
}
