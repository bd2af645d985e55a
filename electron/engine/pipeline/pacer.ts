import { setTimeout as sleep } from 'node:timers/promises';

import { abortable } from './abortable.js';

export interface Budget {
  readonly bytesPerWindow: number;
  readonly windowMs: number;
  readonly maxConcurrent: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    if (ms <= 0) return;
    await sleep(ms, undefined, signal ? { signal } : undefined);
  },
};

/**
 * Keeps one mailbox just under its target's budget: at most `bytesPerWindow` bytes sent in any
 * sliding window of `windowMs`, at most `maxConcurrent` requests in flight, and nothing at all while a
 * server back-off hint is running. A sliding window (not a token bucket) because Exchange counts
 * "150 MB per 5 minutes" over any five minutes: a bucket's initial burst would trip it.
 */
export class Pacer {
  private readonly sent: { at: number; bytes: number }[] = [];
  private sentBytes = 0;
  private inFlight = 0;
  private pausedUntil = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(
    private readonly budget: Budget,
    private readonly clock: Clock = realClock,
  ) {}

  /** Time (ms) the caller would wait for `bytes` right now, ignoring concurrency. */
  delayFor(bytes: number): number {
    const now = this.clock.now();
    this.expire(now);
    let wait = Math.max(0, this.pausedUntil - now);
    if (this.sentBytes > 0 && this.sentBytes + bytes > this.budget.bytesPerWindow) {
      // Wait until enough old sends fall out of the window. An item larger than the whole budget goes
      // alone into an empty window rather than never.
      let freed = 0;
      const need = Math.min(bytes, this.budget.bytesPerWindow);
      for (const entry of this.sent) {
        freed += entry.bytes;
        if (this.sentBytes - freed + need <= this.budget.bytesPerWindow) {
          wait = Math.max(wait, entry.at + this.budget.windowMs - now);
          break;
        }
      }
    }
    return wait;
  }

  /** Waits for a request slot and budget for `bytes`; the returned function releases the slot. */
  async acquire(bytes: number, signal?: AbortSignal, onWait?: (ms: number, reason: 'budget' | 'throttled') => void): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      if (this.inFlight >= this.budget.maxConcurrent) {
        await abortable(new Promise<void>((resolve) => this.waiters.push(resolve)), signal);
        continue;
      }
      const wait = this.delayFor(bytes);
      if (wait <= 0) break;
      onWait?.(wait, this.pausedUntil > this.clock.now() ? 'throttled' : 'budget');
      await this.clock.sleep(wait, signal);
    }
    this.inFlight++;
    const at = this.clock.now();
    this.sent.push({ at, bytes });
    this.sentBytes += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.waiters.shift()?.();
    };
  }

  /** A server asked us to back off: nobody in this mailbox sends until then. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }

  get concurrent(): number {
    return this.inFlight;
  }

  private expire(now: number): void {
    while (this.sent.length > 0 && (this.sent[0]?.at ?? 0) + this.budget.windowMs <= now) {
      this.sentBytes -= this.sent.shift()?.bytes ?? 0;
    }
  }
}
