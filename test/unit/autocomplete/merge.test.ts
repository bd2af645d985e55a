import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  type AutocompleteRow,
  buildRow,
  mergeAutocomplete,
  readAutocomplete,
  readAutocompleteFile,
  resolveEntries,
  writeAutocompleteStream,
} from '../../../electron/engine/autocomplete/index.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const load = (name: string): Uint8Array => new Uint8Array(readFileSync(resolve(fixturesDir, 'nk2', name)));
const NK2 = 'hughbe_Outlook.NK2';
const DAT = 'Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat';

function unicode(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${text}\u0000`, 'utf16le'));
}
/** An Exchange row as Outlook 2003 kept it: PR_EMAIL_ADDRESS holds the X.500 DN, PR_ADDRTYPE is EX. */
function exchangeRow(dn: string, name: string, weight: number, smtp?: string): AutocompleteRow {
  const text = (tag: number, value: string): AutocompleteRow['properties'][number] => ({ tag, header: new Uint8Array(12), value: unicode(value) });
  const long = new Uint8Array(12);
  new DataView(long.buffer).setInt32(4, weight, true);
  return {
    properties: [
      text(0x6001001f, dn),
      text(0x3001001f, name),
      text(0x3003001f, dn),
      text(0x3002001f, 'EX'),
      ...(smtp ? [text(0x39fe001f, smtp)] : []),
      { tag: 0x60040003, header: long },
    ],
  };
}

describe('X.500 rewrite', () => {
  const ann = '/o=Contoso/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=ann';
  it('rewrites an X.500-only entry from another row that knows its SMTP address, and flags the rest', () => {
    const rows = [exchangeRow(ann, 'Ann Lee', 500), exchangeRow(ann.toUpperCase(), 'Ann', 7000, 'ann@contoso.com'), exchangeRow('/o=Contoso/cn=Recipients/cn=bob', 'Bob', 300)];
    const entries = resolveEntries(rows);
    expect(entries[0]).toMatchObject({ address: 'ann@contoso.com', x500: ann, rewritten: true, unresolved: false, weight: 500 });
    expect(entries[1]).toMatchObject({ address: 'ann@contoso.com', rewritten: false, unresolved: false });
    expect(entries[2]).toMatchObject({ address: '/o=Contoso/cn=Recipients/cn=bob', unresolved: true });
  });

  it('a merge drops unresolved X.500 rows from the incoming side, counts them, and rewrites the rest to SMTP rows', () => {
    const merged = mergeAutocomplete(undefined, [exchangeRow(ann, 'Ann Lee', 500), exchangeRow(ann, 'Ann', 9, 'ann@contoso.com'), exchangeRow('/o=Contoso/cn=bob', 'Bob', 3)]);
    expect(merged.unresolved).toBe(1);
    const back = resolveEntries(merged.file.rows);
    expect(back.map((entry) => entry.address)).toEqual(['ann@contoso.com']);
    expect(back[0]!.weight).toBe(500);
  });
});

describe('X.500 across the two sides of a merge', () => {
  it('an X.500-only entry coming in is rewritten from a row the existing list holds, and merges with it', () => {
    const dn = '/o=Contoso/cn=Recipients/cn=carol';
    const existing = [exchangeRow(dn, 'Carol', 50, 'carol@contoso.com')];
    const result = mergeAutocomplete({ major: 12, minor: 0, rows: existing, extraInfo: new Uint8Array(0), metadata: new Uint8Array(8), trailing: new Uint8Array(0) }, [exchangeRow(dn, 'Carol', 900)]);
    expect({ added: result.added, matched: result.matched, unresolved: result.unresolved }).toEqual({ added: 0, matched: 1, unresolved: 0 });
    expect(resolveEntries(result.file.rows).map(({ address, weight }) => [address, weight])).toEqual([['carol@contoso.com', 900]]);
  });
});

describe.skipIf(!hasFixtures)('merge', () => {
  it('merges the NK2 into the .dat by SMTP address: one row per address, the higher weight kept, sorted', () => {
    const dat = readAutocompleteFile(load(DAT));
    const nk2 = readAutocompleteFile(load(NK2));
    const result = mergeAutocomplete(dat, nk2.rows);
    expect({ added: result.added, matched: result.matched }).toEqual({ added: 0, matched: 1 });
    // hughbellars@gmail.com: 16384 in the .dat, 40960 in the NK2 (see stream.test.ts for the offsets).
    const entries = resolveEntries(result.file.rows);
    expect(entries.map(({ address, weight }) => ({ address, weight }))).toEqual([
      { address: 'hughbellars@gmail.com', weight: 40960 },
      { address: 'bellamy.hughd@gmail.com', weight: 14336 },
    ]);
    // The matched row is still the mailbox's own row (its 23 properties), only the weight changed.
    expect(result.file.rows[0]!.properties).toHaveLength(23);
  });

  it('writeAutocompleteStream turns an NK2 plus new entries into a version-12 stream that reads back', () => {
    const bytes = writeAutocompleteStream([{ address: 'new@example.com', displayName: 'New Person', weight: 99 }], load(NK2), new Date('2026-01-02T03:04:05Z'));
    const { file, entries } = readAutocomplete(bytes);
    expect([file.major, file.minor]).toEqual([12, 0]);
    expect(entries.map(({ address, displayName, weight }) => ({ address, displayName, weight }))).toEqual([
      { address: 'hughbellars@gmail.com', displayName: 'Hugh Bellamy', weight: 40960 },
      { address: 'new@example.com', displayName: 'New Person', weight: 99 },
    ]);
    // FILETIME of 2026-01-02T03:04:05Z: (ms + 11644473600000) * 10000.
    const ticks = new DataView(file.metadata.buffer, file.metadata.byteOffset).getBigUint64(0, true);
    expect(ticks).toBe((BigInt(Date.UTC(2026, 0, 2, 3, 4, 5)) + 11_644_473_600_000n) * 10_000n);
  });

  it('a built row carries what Outlook writes for an SMTP recipient', () => {
    const row = buildRow({ address: 'a@b.example', displayName: 'A B', weight: 5 });
    expect(row.properties[0]!.tag).toBe(0x6001001f);
    expect(row.properties.at(-1)!.tag).toBe(0x60040003);
    const entryId = row.properties.find((property) => property.tag === 0x0fff0102)!.value!;
    // MS-OXCDATA 2.2.5.1: 4 flag bytes, the one-off provider UID, version 0, flags 0x9001 (as in the fixtures).
    expect(Buffer.from(entryId.subarray(4, 24)).toString('hex')).toBe('812b1fa4bea310199d6e00dd010f540200000190');
  });
});
