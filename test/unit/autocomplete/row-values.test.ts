import { describe, expect, it } from 'vitest';

import { decodeLong, withLong } from '../../../electron/engine/autocomplete/row-values.js';

describe('withLong', () => {
  it('sets the weight on a property whose header is a slice of a pooled Node Buffer', () => {
    // Small Buffers share Node's pool: the header starts somewhere inside a larger ArrayBuffer.
    const pool = Buffer.from([9, 9, 9, 9, 0x03, 0x00, 0x01, 0x36, 0, 0, 0, 0, 0x00, 0x40, 0, 0]);
    const header = pool.subarray(4, 12);
    expect(header.byteOffset).toBeGreaterThan(0);
    const property = { tag: 0x36010003, header };
    const changed = withLong(property, 40960);
    expect(decodeLong(changed)).toBe(40960);
    // The source row is not written through.
    expect([...pool]).toEqual([9, 9, 9, 9, 0x03, 0x00, 0x01, 0x36, 0, 0, 0, 0, 0x00, 0x40, 0, 0]);
  });
});
