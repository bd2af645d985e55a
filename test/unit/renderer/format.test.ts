import { describe, expect, it } from 'vitest';

import { barValue, formatBytes, formatDuration, formatRate, percent } from '../../../renderer/src/state/format.js';
import { chartGeometry, mergeBuckets } from '../../../renderer/src/state/throughput.js';

describe('formatters', () => {
  it('sizes in binary units with the reader\'s decimal mark', () => {
    expect(formatBytes(0, 'en-GB')).toBe('0 B');
    expect(formatBytes(1536, 'en-GB')).toBe('1.5 KB');
    expect(formatBytes(1536, 'nl-BE')).toBe('1,5 KB');
    expect(formatBytes(150 * 1024 * 1024, 'en-GB')).toBe('150 MB');
    expect(formatBytes(Number.NaN, 'en-GB')).toBe('–');
  });

  it('durations short and unambiguous', () => {
    expect(formatDuration(12)).toBe('12 s');
    expect(formatDuration(250)).toBe('4 min 10 s');
    expect(formatDuration(7500)).toBe('2 h 05 min');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(-1)).toBe('–');
  });

  it('rates per second, or per minute when slow; nothing for a stalled job', () => {
    expect(formatRate(12.34, 'en-GB')).toBe('12.3/s');
    expect(formatRate(0.5, 'en-GB')).toBe('30/min');
    expect(formatRate(0, 'en-GB')).toBe('–');
  });

  it('percentages clamp and never invent a total', () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(15, 10)).toBe(100);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(5, undefined)).toBeUndefined();
    expect(percent(5, 0)).toBeUndefined();
  });

  it('a bar moves only for what is being worked on now; a known-empty folder is full', () => {
    expect(barValue(0, undefined, true)).toBeUndefined(); // the folder being listed: indeterminate
    expect(barValue(0, undefined, false)).toBe(0); // queued, or a mailbox that stopped: still
    expect(barValue(0, 0, false)).toBe(100); // nothing to move
    expect(barValue(3, 6, false)).toBe(50);
  });
});

describe('the throughput chart', () => {
  it('sums the mailboxes\' buckets by time and converts to items per minute', () => {
    const points = mergeBuckets(
      [
        [{ at: '2026-01-01T10:00:00Z', items: 5 }, { at: '2026-01-01T10:00:05Z', items: 1 }],
        [{ at: '2026-01-01T10:00:00Z', items: 3 }, { at: 'garbage', items: 99 }],
      ],
      5,
    );
    expect(points).toEqual([
      { at: Date.parse('2026-01-01T10:00:00Z'), value: 96 },
      { at: Date.parse('2026-01-01T10:00:05Z'), value: 12 },
    ]);
  });

  it('draws from the bottom-left to the right edge, the peak at the top', () => {
    const geometry = chartGeometry([{ at: 0, value: 10 }, { at: 1000, value: 5 }], 100, 50);
    expect(geometry?.path).toBe('M0.0,0.0 L100.0,25.0');
    expect(geometry?.max).toBe(10);
    expect(chartGeometry([], 100, 50)).toBeUndefined();
  });
});
