import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { type AutocompleteRow, emptyStream, writeAutocompleteFile } from '../../../electron/engine/autocomplete/index.js';
import type { AutocompleteItem } from '../../../electron/engine/model/items.js';
import { Nk2Source } from '../../../electron/engine/sources/nk2/nk2-source.js';
import { FakeSourceContext } from '../../support/fake-source-context.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const text = (tag: number, value: string): AutocompleteRow['properties'][number] => ({ tag, header: new Uint8Array(12), value: new Uint8Array(Buffer.from(`${value}\u0000`, 'utf16le')) });
function row(dn: string, name: string, weight: number, smtp?: string): AutocompleteRow {
  const long = new Uint8Array(12);
  new DataView(long.buffer).setInt32(4, weight, true);
  return { properties: [text(0x6001001f, dn), text(0x3001001f, name), text(0x3003001f, dn), text(0x3002001f, 'EX'), ...(smtp ? [text(0x39fe001f, smtp)] : []), { tag: 0x60040003, header: long }] };
}

async function read(path: string): Promise<{ items: AutocompleteItem[]; folders: number }> {
  const source = new Nk2Source(path);
  await source.open();
  const items: AutocompleteItem[] = [];
  let folders = 0;
  for await (const entry of source.entries(new FakeSourceContext())) {
    if (entry.type === 'folder') folders += 1;
    else if (entry.item.kind === 'autocomplete') items.push(entry.item);
  }
  await source.close();
  return { items, folders };
}

describe('nk2: source', () => {
  it.skipIf(!hasFixtures)('yields one autocomplete item per address of the .dat, in the inbox', async () => {
    const { items, folders } = await read(resolve(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat'));
    expect(folders).toBe(1);
    expect(items.map((item) => [item.key, item.entry.address, item.entry.weight, item.folder.special])).toEqual([
      ['autocomplete:hughbellars@gmail.com', 'hughbellars@gmail.com', 16384, 'inbox'],
      ['autocomplete:bellamy.hughd@gmail.com', 'bellamy.hughd@gmail.com', 14336, 'inbox'],
    ]);
  });

  it('rewrites X.500 entries it can, merges them with their SMTP twin, and flags the rest with a caveat', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-nk2-'));
    const ann = '/o=Contoso/ou=First Administrative Group/cn=Recipients/cn=ann';
    const file = { ...emptyStream(), major: 10, minor: 1, rows: [row(ann, 'Ann Lee', 700), row(ann, 'Ann', 20, 'ann@contoso.com'), row('/o=Contoso/cn=Recipients/cn=bob', 'Bob', 5)] };
    const path = join(dir, 'Outlook.NK2');
    writeFileSync(path, writeAutocompleteFile(file));
    const { items } = await read(path);
    expect(items.map((item) => ({ key: item.key, weight: item.entry.weight, caveat: item.caveat }))).toEqual([
      { key: 'autocomplete:ann@contoso.com', weight: 700, caveat: `X.500 address ${ann} rewritten to ann@contoso.com (found in the same file)` },
      { key: 'autocomplete:x500:/o=contoso/cn=recipients/cn=bob', weight: 5, caveat: expect.stringMatching(/^Only an Exchange X.500 address/) },
    ]);
  });

  it('a damaged file fails open() with one FORMAT_INVALID line; a missing one with SOURCE_UNREADABLE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-nk2-'));
    writeFileSync(join(dir, 'bad.nk2'), Buffer.from([0x0d, 0xf0, 0xad, 0xba, 10, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]));
    await expect(new Nk2Source(join(dir, 'bad.nk2')).open()).rejects.toThrow(/^bad\.nk2: row count 4294967295 cannot fit in the 0 bytes left at offset 12/);
    const missing = await new Nk2Source(join(dir, 'none.nk2')).open().catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(CloudwardError);
    expect((missing as CloudwardError).code).toBe('SOURCE_UNREADABLE');
  });
});
