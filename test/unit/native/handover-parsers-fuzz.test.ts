import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { decodeLicenseFile, formatRegFile, parseCmdkeyList, parseOsppStatus, parseRegFile, parseRegQueryTree, parseVnextDiagList } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { windowsFixtures } from './handover-pc.js';

/** Deterministic damage: flipped bytes, cut-offs, repeated chunks, lying lengths. */
function* mutations(bytes: Buffer, seed: number): Generator<Buffer> {
  let state = seed;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % Math.max(1, n);
  };
  for (let round = 0; round < 60; round++) {
    const copy = Buffer.from(bytes);
    for (let flips = 0; flips < 1 + random(8); flips++) copy[random(copy.length)] = random(256);
    yield copy;
    yield copy.subarray(0, random(copy.length));
    yield Buffer.concat([copy, copy.subarray(random(copy.length))]);
  }
}

const onlyCatalogued = (run: () => unknown): void => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CloudwardError);
  }
};

describe.skipIf(!hasFixtures)('handover parsers on damaged recorded outputs', () => {
  it('never throw (or throw only a catalogued error) and stay quick on any damage to any fixture', () => {
    const started = Date.now();
    const files = readdirSync(windowsFixtures).map((name) => readFileSync(join(windowsFixtures, name)));
    const regExport = formatRegFile([{ key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\a_ADAL', values: [{ name: 'EmailAddress', type: 'REG_SZ', data: 'a@b.c' }, { name: 'Blob', type: 'REG_BINARY', data: 'DEADBEEF' }] }]);
    let cases = 0;
    for (const [index, original] of [...files, regExport].entries()) {
      for (const damaged of mutations(original, index + 1)) {
        const text = damaged.toString('latin1');
        expect(Array.isArray(parseOsppStatus(text))).toBe(true);
        expect(Array.isArray(parseCmdkeyList(text))).toBe(true);
        expect(Array.isArray(parseRegQueryTree(text))).toBe(true);
        expect(Array.isArray(parseVnextDiagList(text).licenses)).toBe(true);
        onlyCatalogued(() => parseRegFile(damaged));
        expect(() => decodeLicenseFile(damaged)).toThrow(Error);
        cases++;
      }
    }
    expect(cases).toBe((files.length + 1) * 180);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
