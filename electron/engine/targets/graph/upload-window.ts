import { setTimeout as sleep } from 'node:timers/promises';

import { CloudwardError } from '../../../contract/index.js';

/** Waits `ms` or until the job is cancelled, whichever comes first; cancel rejects with CANCELLED. */
export async function cancellableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new CloudwardError('CANCELLED', 'The job was cancelled');
  }
}

export interface UploadWindowOptions {
  /** The server's budget in request bytes per window (Graph: 150 MB per 5 minutes per app and mailbox). */
  readonly bytesPerWindow: number;
  readonly windowMs: number;
  /** For tests. */
  readonly now?: () => number;
}

/**
 * Paces one mailbox on what Graph counts: upload request bytes (POST, PATCH, PUT) in a sliding window,
 * from the moment it has read the request. That moment lies between our send and its answer, so a
 * request in flight counts in full and an answered one counts from its answer until a window later:
 * whatever the server sees inside one window was inside ours too, so it never refuses for budget, and
 * the share lost is one round trip per window rather than a fixed margin (issue 15: pacing on MIME
 * bytes × 1.05 with a window 1 % + 250 ms long left 8 % of the budget unused).
 */
export class UploadWindow {
  private readonly answered: { at: number; bytes: number }[] = [];
  private answeredBytes = 0;
  private inFlightBytes = 0;
  private inFlight = 0;
  /** Admission in arrival order: a large request is not starved by small ones behind it. */
  private queue: Promise<unknown> = Promise.resolve();
  private wakers: (() => void)[] = [];
  private readonly now: () => number;
  /** Two ms for clocks that count whole milliseconds (ours and the server's). */
  private readonly windowMs: number;

  constructor(private readonly options: UploadWindowOptions) {
    this.now = options.now ?? (() => performance.now());
    this.windowMs = options.windowMs + 2;
  }

  /** Waits until `bytes` fit; call the returned function once the answer is in (counted: false if the server refused it unread). */
  reserve(bytes: number, signal: AbortSignal): Promise<(counted?: boolean) => void> {
    const admitted = this.queue.then(() => this.admit(bytes, signal));
    this.queue = admitted.catch(() => undefined);
    return admitted;
  }

  /** Bytes the server may still be counting now. */
  get used(): number {
    this.expire(this.now());
    return this.answeredBytes + this.inFlightBytes;
  }

  private async admit(bytes: number, signal: AbortSignal): Promise<(counted?: boolean) => void> {
    for (;;) {
      if (signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
      const now = this.now();
      this.expire(now);
      const used = this.answeredBytes + this.inFlightBytes;
      // A request larger than the whole budget goes alone into an empty window rather than never.
      if (used + bytes <= this.options.bytesPerWindow || used === 0) break;
      await this.pause(this.wait(now, used + bytes - this.options.bytesPerWindow), signal);
    }
    this.inFlight += 1;
    this.inFlightBytes += bytes;
    let done = false;
    return (counted = true) => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
      this.inFlightBytes -= bytes;
      if (counted) {
        this.answered.push({ at: this.now(), bytes });
        this.answeredBytes += bytes;
      }
      const wakers = this.wakers;
      this.wakers = [];
      for (const wake of wakers) wake();
    };
  }

  /** Until answered requests free `need` bytes; when only requests still in flight can, until one answers. */
  private wait(now: number, need: number): number {
    let freed = 0;
    for (const entry of this.answered) {
      freed += entry.bytes;
      if (freed >= need) return Math.max(1, entry.at + this.windowMs - now);
    }
    return this.inFlight > 0 ? Number.POSITIVE_INFINITY : 1;
  }

  /** Sleeps `ms`, or until an answer arrives (it may free room, or start the clock that will). */
  private async pause(ms: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
    const stop = new AbortController();
    const woken = new Promise<void>((resolve) => this.wakers.push(resolve));
    const onAbort = (): void => stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.race([woken, Number.isFinite(ms) ? sleep(ms, undefined, { signal: stop.signal }).catch(() => undefined) : new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }))]);
    } finally {
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
    if (signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
  }

  private expire(now: number): void {
    while (this.answered.length > 0 && (this.answered[0]?.at ?? 0) + this.windowMs <= now) {
      this.answeredBytes -= this.answered.shift()?.bytes ?? 0;
    }
  }
}
