import { describe, expect, it } from 'vitest';

import { type Clock, Pacer } from '../../../electron/engine/pipeline/pacer.js';
import { Throttle } from '../../../electron/engine/pipeline/progress-meter.js';
import { defaultRetryPolicy, retryDelay } from '../../../electron/engine/pipeline/retry-policy.js';

/** A clock that only moves when someone sleeps: budget arithmetic is tested exactly, without waiting. */
function virtualClock(): Clock & { time: number } {
  const clock = {
    time: 0,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += Math.max(0, ms);
    },
  };
  return clock;
}

describe('pacer', () => {
  it('never lets more than the budget through in any window', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ bytesPerWindow: 1000, windowMs: 60_000, maxConcurrent: 10 }, clock);
    const sends: { at: number; bytes: number }[] = [];
    for (let i = 0; i < 50; i++) {
      const release = await pacer.acquire(150);
      sends.push({ at: clock.time, bytes: 150 });
      release();
    }
    for (const send of sends) {
      const inWindow = sends.filter((other) => other.at > send.at - 60_000 && other.at <= send.at).reduce((sum, other) => sum + other.bytes, 0);
      expect(inWindow).toBeLessThanOrEqual(1000);
    }
    // And it uses the budget: 50 sends of 150 B at 1000 B/min take about 7.5 minutes, not much more.
    expect(clock.time).toBeGreaterThanOrEqual(7 * 60_000);
    expect(clock.time).toBeLessThanOrEqual(8 * 60_000);
  });

  it('lets an item larger than the whole budget go alone into an empty window', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ bytesPerWindow: 100, windowMs: 1000, maxConcurrent: 1 }, clock);
    (await pacer.acquire(50))();
    const release = await pacer.acquire(500);
    expect(clock.time).toBe(1000);
    release();
  });

  it('holds requests beyond the concurrency limit until a slot frees', async () => {
    const pacer = new Pacer({ bytesPerWindow: Number.MAX_SAFE_INTEGER, windowMs: 1000, maxConcurrent: 2 });
    const first = await pacer.acquire(1);
    const second = await pacer.acquire(1);
    let third = false;
    const pending = pacer.acquire(1).then((release) => {
      third = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(third).toBe(false);
    first();
    (await pending)();
    expect(third).toBe(true);
    second();
  });

  it('stops everybody in the mailbox while a server back-off runs', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ bytesPerWindow: Number.MAX_SAFE_INTEGER, windowMs: 1000, maxConcurrent: 4 }, clock);
    pacer.pauseFor(30_000);
    const waits: string[] = [];
    (await pacer.acquire(1, undefined, (_ms, reason) => waits.push(reason)))();
    expect(clock.time).toBe(30_000);
    expect(waits).toEqual(['throttled']);
  });

  it('gives up waiting when cancelled', async () => {
    const pacer = new Pacer({ bytesPerWindow: 10, windowMs: 60_000, maxConcurrent: 1 });
    (await pacer.acquire(10))();
    const controller = new AbortController();
    const waiting = pacer.acquire(10, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow();
  });
});

describe('retry delay', () => {
  it('honours the server hint over its own guess', () => {
    expect(retryDelay(defaultRetryPolicy, 2, { retryAfterMs: 299_609 })).toBe(299_609);
  });

  it('grows exponentially with jitter and a cap', () => {
    const policy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 10_000 };
    expect(retryDelay(policy, 2, { retryAfterMs: undefined }, () => 1)).toBe(1000);
    expect(retryDelay(policy, 4, { retryAfterMs: undefined }, () => 1)).toBe(4000);
    expect(retryDelay(policy, 4, { retryAfterMs: undefined }, () => 0)).toBe(2000);
    expect(retryDelay(policy, 9, { retryAfterMs: undefined }, () => 1)).toBe(10_000);
  });
});

describe('progress throttle', () => {
  it('emits at most ten times a second however often it is asked, and delivers the last state', async () => {
    const times: number[] = [];
    const throttle = new Throttle(100, () => times.push(performance.now()));
    const start = performance.now();
    while (performance.now() - start < 550) {
      throttle.request();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 120));
    // A busy machine may deliver fewer; never more than ten a second.
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.length).toBeLessThanOrEqual(7);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(95);
  });
});
