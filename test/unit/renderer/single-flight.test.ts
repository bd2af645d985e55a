import { describe, expect, it } from 'vitest';

import { SingleFlight } from '../../../renderer/src/state/single-flight.js';

/** A read the test finishes by hand, as a slow engine answers. */
function slowReads() {
  const started: number[] = [];
  const finished: number[] = [];
  const pending: (() => void)[] = [];
  const read = () => {
    const n = started.length + 1;
    started.push(n);
    return new Promise<void>((resolve) => pending.push(() => {
      finished.push(n);
      resolve();
    }));
  };
  const answer = async () => {
    pending.shift()?.();
    // Let the loop see the answer and start the next read, if any.
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { started, finished, read, answer };
}

describe('the job view reads one at a time and throws none away', () => {
  it('many triggers during a slow read make exactly one more read, and every read started finishes', async () => {
    const reads = slowReads();
    const flight = new SingleFlight(reads.read);
    flight.trigger();
    for (let i = 0; i < 20; i += 1) flight.trigger(); // progress events arriving faster than the engine answers
    expect(reads.started).toEqual([1]);
    await reads.answer();
    expect(reads.finished).toEqual([1]);
    expect(reads.started).toEqual([1, 2]);
    await reads.answer();
    expect(reads.finished).toEqual([1, 2]);
    expect(reads.started).toEqual([1, 2]); // nothing asked for since read 2 began
    flight.trigger();
    expect(reads.started).toEqual([1, 2, 3]);
    await reads.answer();
    expect(reads.finished).toEqual([1, 2, 3]);
  });

  it('a read that throws does not stop later ones', async () => {
    let calls = 0;
    const flight = new SingleFlight(async () => {
      calls += 1;
      throw new Error('engine busy');
    });
    flight.trigger();
    await new Promise((resolve) => setTimeout(resolve, 0));
    flight.trigger();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toBe(2);
  });
});
