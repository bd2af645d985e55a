import { CloudwardError } from '../../../contract/index.js';

export interface RequestWindowOptions {
  /** The server's budget in request bytes per window (Exchange Online, EWS and Graph alike: 150 MB per 5 minutes per mailbox). */
  readonly bytesPerWindow: number;
  /** The server's window, ms. */
  readonly windowMs: number;
  /** For tests. */
  readonly now?: () => number;
}

/**
 * Paces one mailbox on what the server counts: request bytes, in a sliding window, from the moment it
 * has read the request. We cannot see that moment, only bound it: it lies after we started sending and
 * before the answer arrived. So a request in flight counts in full, and a finished one counts from its
 * answer until a window later. With that, any set of requests the server sees inside one window was
 * inside ours when the last of them was admitted, so the server never refuses one for budget; and the
 * only share lost is one round trip per window, not a fixed margin (issue 15: the pipeline's estimate
 * paced on item bytes × 1.35 counted from the start, and needed a window 1 % + 250 ms longer to stay safe).
 */
export class RequestWindow {
  private readonly answered: { at: number; bytes: number }[] = [];
  private answeredBytes = 0;
  private inFlightBytes = 0;
  private inFlight = 0;
  /** Admissions go one at a time, in order, so a large request is not starved by small ones behind it. */
  private queue: Promise<unknown> = Promise.resolve();
  private wakers: (() => void)[] = [];
  private readonly now: () => number;
  private readonly windowMs: number;
  private roundTrip: number | undefined;

  constructor(private readonly options: RequestWindowOptions) {
    this.now = options.now ?? (() => performance.now());
    // Two milliseconds for clocks that count whole milliseconds (ours and the server's).
    this.windowMs = options.windowMs + 2;
  }

  /**
   * Waits until `bytes` fit; call the returned function once the answer (or failure) is in, with
   * `counted` false when the server refused the request unread (Graph's 429): it then costs no budget.
   */
  reserve(bytes: number, signal: AbortSignal): Promise<(counted?: boolean) => void> {
    const admitted = this.queue.then(() => this.admit(bytes, signal));
    this.queue = admitted.catch(() => undefined);
    return admitted;
  }

  /** Average time from admission to answer, ms (undefined before the first answer). */
  get roundTripMs(): number | undefined {
    return this.roundTrip;
  }

  /** Request bytes the server may still be counting right now (in flight and answered within a window). */
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
      if (used + bytes <= this.options.bytesPerWindow || (this.inFlight === 0 && this.answered.length === 0)) break;
      // An oversized request needs the whole window empty; any other only the overflow freed.
      const need = bytes > this.options.bytesPerWindow ? used : used + bytes - this.options.bytesPerWindow;
      await this.sleep(this.wait(now, need), signal);
    }
    this.inFlight += 1;
    this.inFlightBytes += bytes;
    let done = false;
    const admittedAt = this.now();
    return (counted = true) => {
      if (done) return;
      done = true;
      const took = this.now() - admittedAt;
      this.roundTrip = this.roundTrip === undefined ? took : this.roundTrip + (took - this.roundTrip) * 0.2;
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

  /** Time until answered requests free `need` bytes; Infinity when only an answer in flight can (then an answer wakes us). */
  private wait(now: number, need: number): number {
    let freed = 0;
    for (const entry of this.answered) {
      freed += entry.bytes;
      if (freed >= need) return Math.max(1, entry.at + this.windowMs - now);
    }
    return Infinity;
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: CloudwardError) => {
        if (settled) return;
        settled = true;
        if (timer !== undefined) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => finish(new CloudwardError('CANCELLED', 'The job was cancelled'));
      const timer = Number.isFinite(ms) ? setTimeout(() => finish(), Math.ceil(ms)) : undefined;
      signal.addEventListener('abort', onAbort, { once: true });
      this.wakers.push(() => finish());
    });
  }

  private expire(now: number): void {
    while (this.answered.length > 0 && (this.answered[0]?.at ?? 0) + this.windowMs <= now) {
      this.answeredBytes -= this.answered.shift()?.bytes ?? 0;
    }
  }
}
