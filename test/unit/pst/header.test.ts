import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { decodeBlockBytes } from '../../../electron/engine/sources/pst/crypt.js';
import { parseHeader, pstCrc } from '../../../electron/engine/sources/pst/header.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

describe('PST checksums and block encoding', () => {
  it('computes the PST CRC (the password checksum of "test" is 0xf93ba110, per fixtures/SOURCES.md)', () => {
    expect(pstCrc(Buffer.from('test', 'latin1'))).toBe(0xf93ba110);
  });

  it('compressible encoding is a permutation: every byte value decodes to a distinct byte', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    decodeBlockBytes(1, 0, all, 0, 256, 0);
    expect(new Set(all).size).toBe(256);
  });

  it('high encoding depends on the block key and the position, and is a permutation per position', () => {
    const a = Uint8Array.from({ length: 256 }, () => 0x41);
    const b = Uint8Array.from({ length: 256 }, () => 0x41);
    decodeBlockBytes(2, 0x1234, a, 0, 256, 0);
    decodeBlockBytes(2, 0x1238, b, 0, 256, 0);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    const split = Uint8Array.from({ length: 256 }, () => 0x41);
    decodeBlockBytes(2, 0x1234, split, 0, 100, 0);
    decodeBlockBytes(2, 0x1234, split, 100, 256, 100);
    expect(Buffer.from(split).equals(Buffer.from(a))).toBe(true);
    for (const position of [0, 7, 300]) {
      const column = Uint8Array.from({ length: 256 }, (_, i) => i);
      for (let i = 0; i < 256; i++) {
        const one = Uint8Array.of(i);
        decodeBlockBytes(2, 0xbeef, one, 0, 1, position);
        column[i] = one[0] ?? 0;
      }
      expect(new Set(column).size).toBe(256);
    }
  });
});

describe.skipIf(!hasFixtures)('PST header', () => {
  const header = (name: string): Buffer => readFileSync(path.join(fixturesDir, 'pst', name)).subarray(0, 564);
  const sizeOf = (name: string): number => readFileSync(path.join(fixturesDir, 'pst', name)).length;

  it('reads format, encryption and b-tree roots of real files', () => {
    const unicode = parseHeader(header('pst2john_2003_high-encryption_quickquick.pst'), sizeOf('pst2john_2003_high-encryption_quickquick.pst'), 'x');
    expect(unicode).toMatchObject({ format: 'Unicode', encryption: 'high', ansi: false, pageSize: 512 });
    const ansi = parseHeader(header('pst-exp_sample2.pst'), sizeOf('pst-exp_sample2.pst'), 'x');
    expect(ansi).toMatchObject({ format: 'ANSI', encryption: 'compressible', ansi: true });
  });

  it('rejects a flipped header byte, a truncated file and a non-PST with one clear line', () => {
    const good = Buffer.from(header('pst-exp_sample1.pst'));
    const size = sizeOf('pst-exp_sample1.pst');
    const flipped = Buffer.from(good);
    flipped[100] = (flipped[100] ?? 0) ^ 0xff;
    const cases: [Buffer, number, RegExp][] = [
      [flipped, size, /header checksum mismatch/],
      [good, 4096, /truncated/],
      [good.subarray(0, 100), 100, /truncated/],
      [Buffer.from('<html>301 Moved</html>'), 22, /not an Outlook data file/],
    ];
    for (const [bytes, fileSize, pattern] of cases) {
      let error: unknown;
      try {
        parseHeader(bytes, fileSize, 'file.pst');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CloudwardError);
      expect((error as CloudwardError).code).toBe('SOURCE_UNREADABLE');
      expect((error as CloudwardError).message).toMatch(pattern);
      expect((error as CloudwardError).message).not.toContain('\n');
    }
  });
});
