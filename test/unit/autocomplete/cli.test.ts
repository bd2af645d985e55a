import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';

import ICAL from 'ical.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';

import type { CliIo } from '../../../electron/cli/cli-io.js';
import { autocompleteCommand } from '../../../electron/cli/commands/autocomplete.js';
import { main } from '../../../electron/cli/main.js';
import { CloudwardError } from '../../../electron/contract/index.js';
import { readAutocomplete } from '../../../electron/engine/autocomplete/index.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const nk2 = resolve(fixturesDir, 'nk2/hughbe_Outlook.NK2');
const dat = resolve(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat');

function io(): CliIo & { out: () => string } {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return { stdout, stderr: new PassThrough() as unknown as NodeJS.WriteStream, environment: {}, out: () => out };
}

describe.skipIf(!hasFixtures)('cloudward autocomplete', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-ac-cli-'));

  it('read --json lists the entries with weights', async () => {
    const sink = io();
    expect(await autocompleteCommand(['read', dat, '--json'], sink)).toBe(0);
    const parsed = JSON.parse(sink.out()) as { version: number; entries: { address: string; weight: number; status: string }[] };
    expect(parsed.version).toBe(12);
    expect(parsed.entries.map(({ address, weight, status }) => [address, weight, status])).toEqual([
      ['hughbellars@gmail.com', 16384, 'ok'],
      ['bellamy.hughd@gmail.com', 14336, 'ok'],
    ]);
  });

  it('read --csv opens as a CSV with a header row', async () => {
    const sink = io();
    await autocompleteCommand(['read', nk2, '--csv'], sink);
    const rows = parseCsv(sink.out(), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toEqual([{ address: 'hughbellars@gmail.com', displayName: 'Hugh Bellamy', weight: '40960', x500: '', status: 'ok' }]);
  });

  it('export --vcf writes contacts a vCard reader reads', async () => {
    const out = join(dir, 'contacts.vcf');
    await autocompleteCommand(['export', dat, '--vcf', out], io());
    const text = readFileSync(out, 'utf8');
    const cards = text.split(/(?=BEGIN:VCARD)/).map((card) => new ICAL.Component(ICAL.parse(card)));
    expect(cards.map((card) => card.getFirstPropertyValue('email'))).toEqual(['hughbellars@gmail.com', 'bellamy.hughd@gmail.com']);
  });

  it('convert NK2 → version-12 stream keeps every row byte for byte', async () => {
    const out = join(dir, 'converted.dat');
    await autocompleteCommand(['convert', nk2, '--out', out], io());
    const written = new Uint8Array(readFileSync(out));
    const original = new Uint8Array(readFileSync(nk2));
    expect(new DataView(written.buffer).getUint32(4, true)).toBe(12);
    // Rows start after the 12-byte header and the row count; the NK2's run to its footer at 0x3E7.
    expect(Buffer.compare(Buffer.from(written.subarray(12, 0x3e7)), Buffer.from(original.subarray(12, 0x3e7)))).toBe(0);
    expect(readAutocomplete(written).entries[0]).toMatchObject({ address: 'hughbellars@gmail.com', weight: 40960 });
  });

  it('merge combines files by SMTP address keeping the highest weight', async () => {
    const out = join(dir, 'merged.dat');
    const sink = io();
    await autocompleteCommand(['merge', dat, nk2, '--out', out], sink);
    expect(sink.out()).toMatch(/^2 entries from 2 files/);
    const { entries } = readAutocomplete(new Uint8Array(readFileSync(out)));
    expect(entries.map(({ address, weight }) => [address, weight])).toEqual([
      ['hughbellars@gmail.com', 40960],
      ['bellamy.hughd@gmail.com', 14336],
    ]);
  });

  it('a damaged file is refused with one line naming the file and the offset', async () => {
    const bad = join(dir, 'bad.dat');
    const bytes = readFileSync(dat);
    bytes.writeUInt32LE(0x7fffffff, 0x24);
    writeFileSync(bad, bytes);
    const error = await autocompleteCommand(['read', bad], io()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CloudwardError);
    expect((error as CloudwardError).code).toBe('FORMAT_INVALID');
    expect((error as CloudwardError).message).toBe(`${bad}: property 0x6001001F length says 2147483647 bytes but only 2172 remain at offset 40 (0x28)`);
  });

  it('is reachable as `cloudward autocomplete`, and a damaged file is one line on stderr with a failure exit code', async () => {
    const sink = io();
    expect(await main(['autocomplete', 'read', nk2, '--json'], sink)).toBe(0);
    expect(JSON.parse(sink.out())).toMatchObject({ version: 10, trailingBytes: 20 });
    const bad = join(dir, 'truncated.nk2');
    writeFileSync(bad, readFileSync(nk2).subarray(0, 500));
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const code = await main(['autocomplete', 'read', bad], { ...io(), stderr: stderr as unknown as NodeJS.WriteStream });
    expect(code).toBe(5);
    expect(err).toMatch(/^cloudward: .*truncated\.nk2: .* offset \d+ \(0x[0-9a-f]+\)\n$/);
  });
});
