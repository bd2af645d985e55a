import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { RequestWindow } from '../../../electron/engine/targets/exchange/request-window.js';
import { pacedWindow } from '../../../electron/engine/targets/ews/capabilities.js';

/**
 * The server's side, as Exchange (and test/peers/ews) count it: request bytes in a sliding window, from the
 * moment the whole request has been read; a request that would overflow is refused (ErrorServerBusy).
 */
class Server {
  readonly counted: { at: number; bytes: number }[] = [];
  refused = 0;

  constructor(private readonly budget: number, private readonly windowMs: number) {}

  receive(bytes: number): boolean {
    const now = Date.now();
    const used = this.counted.filter((entry) => now - entry.at < this.windowMs).reduce((sum, entry) => sum + entry.bytes, 0);
    if (used > 0 && used + bytes > this.budget) {
      this.refused += 1;
      return false;
    }
    this.counted.push({ at: now, bytes });
    return true;
  }
}

/** Deterministic "random" latencies, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('RequestWindow: paces on the request bytes the server counts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Three requests of a mailbox at once, uploads of 5–400 ms and answers 0–100 ms after the server counted. */
  async function simulate(windowMs: number, budget: number, spanMs: number, sizes: () => number) {
    const server = new Server(budget, windowMs);
    const window = new RequestWindow({ bytesPerWindow: budget, windowMs, now: () => Date.now() });
    const random = lcg(7);
    const stop = new AbortController();
    const start = Date.now();
    const lane = async () => {
      while (!stop.signal.aborted) {
        const bytes = sizes();
        let release: () => void;
        try {
          release = await window.reserve(bytes, stop.signal);
        } catch {
          return;
        }
        await new Promise((done) => setTimeout(done, 5 + random() * 395));
        server.receive(bytes);
        await new Promise((done) => setTimeout(done, random() * 100));
        release();
      }
    };
    const lanes = [lane(), lane(), lane()];
    await vi.advanceTimersByTimeAsync(spanMs);
    stop.abort();
    await vi.advanceTimersByTimeAsync(2_000);
    await Promise.all(lanes);
    // Steady state, as the benchmark measures it: after the first window's burst.
    const steady = server.counted.filter((entry) => entry.at >= start + windowMs && entry.at < start + spanMs).reduce((sum, entry) => sum + entry.bytes, 0);
    return { refused: server.refused, share: steady / ((budget * (spanMs - windowMs)) / windowMs) };
  }

  it('never overflows the server window, and uses at least 95 % of it (same-size requests)', async () => {
    const { refused, share } = await simulate(15_000, 7.5 * 1024 * 1024, 15_000 * 8, () => 350_000);
    expect(refused).toBe(0);
    expect(share).toBeGreaterThanOrEqual(0.95);
    expect(share).toBeLessThanOrEqual(1);
  });

  it('never overflows with mixed sizes, and a request larger than the budget still goes, alone', async () => {
    const random = lcg(11);
    const { refused, share } = await simulate(10_000, 2_000_000, 10_000 * 8, () => (random() < 0.05 ? 2_500_000 : 10_000 + Math.round(random() * 600_000)));
    expect(refused).toBe(0);
    expect(share).toBeGreaterThan(0.5);
  });

  it('a waiting request gives up when the job is cancelled', async () => {
    const window = new RequestWindow({ bytesPerWindow: 100, windowMs: 60_000, now: () => Date.now() });
    const first = await window.reserve(100, new AbortController().signal);
    first();
    const stop = new AbortController();
    const waiting = window.reserve(50, stop.signal);
    const outcome = expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
    stop.abort();
    await vi.advanceTimersByTimeAsync(10);
    await outcome;
    expect(window.used).toBe(100);
  });
});

describe("the pipeline's window: the server's plus twice the measured round trip, capped", () => {
  it('follows the round trip, within 20 ms and 1 % + 250 ms', () => {
    expect(pacedWindow(300_000, 400)).toBe(300_800);
    expect(pacedWindow(300_000, 2)).toBe(300_020);
    expect(pacedWindow(300_000, 60_000)).toBe(303_250);
    expect(pacedWindow(15_000, undefined)).toBe(15_400);
  });

  it('learns the round trip from answers', async () => {
    let now = 0;
    const window = new RequestWindow({ bytesPerWindow: 1000, windowMs: 1000, now: () => now });
    expect(window.roundTripMs).toBeUndefined();
    const release = await window.reserve(10, new AbortController().signal);
    now = 300;
    release();
    expect(window.roundTripMs).toBe(300);
  });
});
