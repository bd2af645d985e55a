import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { readAutocomplete, readAutocompleteFile, writeAutocompleteFile } from '../../../electron/engine/autocomplete/index.js';
import { mutate, rng } from '../../bench/autocomplete/mutate.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const nk2Path = resolve(fixturesDir, 'nk2/hughbe_Outlook.NK2');
const datPath = resolve(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat');
const load = (path: string): Uint8Array => new Uint8Array(readFileSync(path));
const u32 = (bytes: Uint8Array, at: number): number => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
const utf16At = (bytes: Uint8Array, at: number, byteLength: number): string => Buffer.from(bytes.subarray(at, at + byteLength - 2)).toString('utf16le');

function formatError(run: () => unknown): CloudwardError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CloudwardError);
    return error as CloudwardError;
  }
  throw new Error('expected FORMAT_INVALID, but the read succeeded');
}

describe.skipIf(!hasFixtures)('autocomplete fixtures (hand-decoded offsets from xxd)', () => {
  it('NK2 (hughbe_Outlook.NK2): one row of 21 properties, nickname, name, weight and the 20 trailing bytes', () => {
    const bytes = load(nk2Path);
    // Hand decode: 0x04 major 10, 0x08 minor 1, 0x0C one row, 0x10 21 properties; 0x14 PR_NICK_NAME_W with
    // its byte count at 0x24 (44) and UTF-16 at 0x28; the SAME tag again at 0x54 (the documented quirk);
    // 0x94 0x5FF6001F (26 bytes at 0xA8, "Hugh Bellamy"); 0x3D7 PR_NICK_NAME_WEIGHT, union at 0x3DF = 0xA000;
    // footer: extra-info count 0 at 0x3E7, FILETIME 0x3EB..0x3F2, then 20 bytes to EOF (1031).
    expect([u32(bytes, 4), u32(bytes, 8), u32(bytes, 12), u32(bytes, 16)]).toEqual([10, 1, 1, 21]);
    expect([u32(bytes, 0x14), u32(bytes, 0x54), u32(bytes, 0x3d7)]).toEqual([0x6001001f, 0x6001001f, 0x60040003]);
    expect(utf16At(bytes, 0x28, 44)).toBe('hughbellars@gmail.com');
    expect(utf16At(bytes, 0xa8, 26)).toBe('Hugh Bellamy');
    expect(u32(bytes, 0x3df)).toBe(40960);
    expect(u32(bytes, 0x3e7)).toBe(0);
    expect(bytes.length - 0x3f3).toBe(20);

    const { file, entries } = readAutocomplete(bytes);
    expect(file.major).toBe(10);
    expect(file.minor).toBe(1);
    expect(file.rows).toHaveLength(1);
    expect(file.rows[0]!.properties).toHaveLength(21);
    expect(file.trailing).toHaveLength(20);
    expect(Buffer.from(file.metadata).toString('hex')).toBe(Buffer.from(bytes.subarray(0x3eb, 0x3f3)).toString('hex'));
    expect(entries).toEqual([expect.objectContaining({ address: 'hughbellars@gmail.com', displayName: 'Hugh Bellamy', weight: 40960, unresolved: false })]);
  });

  it('stream (.dat, version 12): two rows of 23 and 24 properties with their addresses and weights', () => {
    const bytes = load(datPath);
    // Hand decode: 0x04 major 12, 0x08 minor 0, 0x0C two rows, 0x10 23 properties; row 0 nickname bytes at
    // 0x28 (44); row 0 weight union at 0x413 = 0x4000; row 1 count at 0x41B = 24, nickname count at 0x42F
    // (48) and text at 0x433; row 1 weight union at 0x890 = 0x3800; extra-info 0 at 0x898; EOF at 0x8A4.
    expect([u32(bytes, 4), u32(bytes, 8), u32(bytes, 12), u32(bytes, 16)]).toEqual([12, 0, 2, 23]);
    expect(utf16At(bytes, 0x28, 44)).toBe('hughbellars@gmail.com');
    expect(u32(bytes, 0x413)).toBe(16384);
    expect(u32(bytes, 0x41b)).toBe(24);
    expect(u32(bytes, 0x42f)).toBe(48);
    expect(utf16At(bytes, 0x433, 48)).toBe('bellamy.hughd@gmail.com');
    expect(u32(bytes, 0x890)).toBe(14336);
    expect(u32(bytes, 0x898)).toBe(0);
    expect(bytes.length).toBe(0x8a4);

    const { file, entries } = readAutocomplete(bytes);
    expect([file.major, file.minor]).toEqual([12, 0]);
    expect(file.rows.map((row) => row.properties.length)).toEqual([23, 24]);
    expect(file.trailing).toHaveLength(0);
    expect(entries.map(({ address, weight }) => ({ address, weight }))).toEqual([
      { address: 'hughbellars@gmail.com', weight: 16384 },
      { address: 'bellamy.hughd@gmail.com', weight: 14336 },
    ]);
  });

  it('read-then-write reproduces the .dat byte for byte, and the NK2 up to its 20 trailing bytes', () => {
    const dat = load(datPath);
    expect(Buffer.compare(Buffer.from(writeAutocompleteFile(readAutocompleteFile(dat))), Buffer.from(dat))).toBe(0);
    const nk2 = load(nk2Path);
    const written = writeAutocompleteFile(readAutocompleteFile(nk2));
    expect(written.length).toBe(nk2.length - 20);
    expect(Buffer.compare(Buffer.from(written), Buffer.from(nk2.subarray(0, nk2.length - 20)))).toBe(0);
  });

  it('truncation at every length gives one-line FORMAT_INVALID errors with an offset', () => {
    const dat = load(datPath);
    for (let length = 0; length < dat.length; length += 1) {
      const error = formatError(() => readAutocompleteFile(dat.subarray(0, length), { label: 'x.dat' }));
      expect(error.code).toBe('FORMAT_INVALID');
      expect(error.message).toMatch(/^x\.dat: .* offset \d+/);
      expect(error.message).not.toContain('\n');
    }
  });

  it('lying lengths and counts are refused before anything is allocated', () => {
    const lie = (at: number, value: number): Uint8Array => {
      const copy = load(datPath);
      new DataView(copy.buffer).setUint32(at, value, true);
      return copy;
    };
    expect(formatError(() => readAutocompleteFile(lie(0x0c, 0xffffffff))).message).toMatch(/row count 4294967295 cannot fit .* offset 12/);
    expect(formatError(() => readAutocompleteFile(lie(0x10, 0x10000000))).message).toMatch(/row 0 property count .* offset 16/);
    expect(formatError(() => readAutocompleteFile(lie(0x24, 0xfffffff0))).message).toMatch(/says 4294967280 bytes but only \d+ remain at offset 40/);
    expect(formatError(() => readAutocompleteFile(lie(0, 0x12345678))).message).toMatch(/not an autocomplete file .*0x12345678/);
    expect(formatError(() => readAutocompleteFile(lie(4, 11))).message).toMatch(/unknown major version 11/);
    // 200,000 empty rows fit in 800 KB but are more than any Outlook list: refused before they become objects.
    const many = new Uint8Array(16 + 200_000 * 4 + 12);
    new DataView(many.buffer).setUint32(0, 0xbaadf00d, true);
    new DataView(many.buffer).setUint32(4, 12, true);
    new DataView(many.buffer).setUint32(12, 200_000, true);
    expect(formatError(() => readAutocompleteFile(many)).message).toMatch(/row count 200000 is more than any Outlook list holds \(limit 20000\) at offset 12/);
    // An unknown property type where the first tag is.
    expect(formatError(() => readAutocompleteFile(lie(0x14, 0x60010099))).message).toMatch(/unsupported property type 0x0099 .* offset 20/);
  });

  it('2,000 mutated fixtures: each is read or refused with FORMAT_INVALID, quickly', () => {
    const originals = [load(nk2Path), load(datPath)];
    const random = rng(12);
    let refused = 0;
    for (let index = 0; index < 2000; index += 1) {
      const { data, how } = mutate(originals, random);
      const started = performance.now();
      try {
        const { file } = readAutocomplete(data);
        writeAutocompleteFile(file);
      } catch (error) {
        if (!(error instanceof CloudwardError) || error.code !== 'FORMAT_INVALID') throw new Error(`case ${index} (${how}) escaped: ${String(error)}`, { cause: error });
        refused += 1;
      }
      expect(performance.now() - started, `case ${index} (${how})`).toBeLessThan(250);
    }
    expect(refused).toBeGreaterThan(500);
  });
});
