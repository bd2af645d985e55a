import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';

import { readAutocomplete } from '../../../electron/engine/autocomplete/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { nk2SourceSpec } from '../../../electron/engine/sources/nk2/nk2-spec.js';
import { dirTargetSpec } from '../../../electron/engine/targets/dir/dir-spec.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { MemorySecrets, silentLog } from '../ews/ews-helpers.js';

const nk2 = path.join(fixturesDir, 'nk2/hughbe_Outlook.NK2');
const dat = path.join(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat');

describe.skipIf(!hasFixtures)('nk2: into dir:: autocomplete.dat and autocomplete.csv', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cw-ac-dir-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function migrate(file: string, out: string) {
    const context = { secrets: new MemorySecrets(), log: silentLog, options: {} };
    const ledger = Ledger.open(path.join(dir, 'ledger.sqlite'));
    try {
      await runJob({
        ledger,
        source: `nk2:${file}`,
        target: `dir:${out}`,
        mailboxes: [{ label: 'archive', source: `nk2:${file}`, target: `dir:${out}`, createSource: () => nk2SourceSpec.create(`nk2:${file}`, context), createTarget: () => dirTargetSpec.create(`dir:${out}`, context) }],
      });
      const job = ledger.findOrCreateJob(`nk2:${file}`, `dir:${out}`);
      return ledger.mailboxes(job.id);
    } finally {
      ledger.close();
    }
  }

  it('writes a version-12 stream and a CSV, merged across sources, with a note for the report', async () => {
    const out = path.join(dir, 'archive');
    await migrate(dat, out);
    const mailboxes = await migrate(nk2, out);
    expect(mailboxes[0]!.note).toBe('Autocomplete: 2 entries in Inbox/autocomplete.dat and autocomplete.csv');
    const { file, entries } = readAutocomplete(new Uint8Array(readFileSync(path.join(out, 'Inbox', 'autocomplete.dat'))));
    expect(file.major).toBe(12);
    // Weights from the fixtures' bytes: NK2 0x3DF = 40960 beats the .dat's 16384; the .dat's second row 14336.
    expect(entries.map(({ address, weight }) => [address, weight])).toEqual([
      ['hughbellars@gmail.com', 40960],
      ['bellamy.hughd@gmail.com', 14336],
    ]);
    const rows = parseCsv(readFileSync(path.join(out, 'Inbox', 'autocomplete.csv')), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row['address'], row['weight']])).toEqual([
      ['hughbellars@gmail.com', '40960'],
      ['bellamy.hughd@gmail.com', '14336'],
    ]);
  });
});
