import { promises as fs } from 'node:fs';

import { CloudwardError } from '../../contract/index.js';
import { autocompleteCsv, autocompleteVcards, entryStatus } from '../../engine/autocomplete/export.js';
import {
  type AutocompleteFile,
  mergeAutocomplete,
  readAutocomplete,
  resolveEntries,
  writeAutocompleteFile,
} from '../../engine/autocomplete/index.js';
import { parse, requireOption } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { exitCodes } from '../exit-codes.js';

export const autocompleteUsage =
  'cloudward autocomplete read <file> [--json|--csv] | export <file> --vcf OUT | convert <nk2> --out <file.dat> | merge <file>... --out <file>';

/** Largest file read: real lists hold at most a few thousand rows (well under 10 MB). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function load(path: string): Promise<{ file: AutocompleteFile; entries: ReturnType<typeof resolveEntries> }> {
  let bytes: Uint8Array;
  try {
    const stat = await fs.stat(path);
    if (stat.size > MAX_FILE_BYTES) throw new CloudwardError('FORMAT_INVALID', `${path}: ${stat.size} bytes is far larger than any autocomplete file`);
    bytes = new Uint8Array(await fs.readFile(path));
  } catch (error) {
    if (error instanceof CloudwardError) throw error;
    throw new CloudwardError('SOURCE_UNREADABLE', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return readAutocomplete(bytes, path);
}

async function save(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await fs.writeFile(path, data);
  } catch (error) {
    throw new CloudwardError('TARGET_FAILED', `Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { retryable: false });
  }
}

function bad(): never {
  throw new CloudwardError('BAD_ARGUMENTS', `Usage: ${autocompleteUsage}`);
}

/** Outlook's autocomplete list (NK2, Stream_Autocomplete_*.dat, a mailbox blob): read, export, convert, merge. */
export async function autocompleteCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'read': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, csv: { type: 'boolean' } }, 1);
      const { file, entries } = await load(positionals[0] ?? bad());
      if (values.json && values.csv) throw new CloudwardError('BAD_ARGUMENTS', '--json and --csv: choose one');
      if (values.csv) io.stdout.write(autocompleteCsv(entries));
      else if (values.json) {
        const summary = { version: file.major, minor: file.minor, rows: file.rows.length, trailingBytes: file.trailing.length };
        const list = entries.map(({ row: _row, ...entry }) => ({ ...entry, status: entryStatus(entry) }));
        io.stdout.write(JSON.stringify({ ...summary, entries: list }, null, 2) + '\n');
      } else {
        io.stdout.write(`${positionals[0]}: ${file.major === 10 ? 'NK2 (Outlook 2003/2007)' : 'autocomplete stream (Outlook 2010+)'}, ${entries.length} entries\n`);
        for (const entry of entries) {
          const flag = entry.unresolved ? '  [X.500 only: no SMTP address known]' : entry.rewritten ? '  [X.500 rewritten]' : '';
          io.stdout.write(`  ${String(entry.weight ?? '').padStart(8)}  ${entry.address}${entry.displayName ? `  (${entry.displayName})` : ''}${flag}\n`);
        }
      }
      return exitCodes.ok;
    }
    case 'export': {
      const { values, positionals } = parse(rest, { vcf: { type: 'string' } }, 1);
      const out = requireOption(values.vcf, '--vcf');
      const { entries } = await load(positionals[0] ?? bad());
      const { vcf, written, skipped } = autocompleteVcards(entries);
      await save(out, vcf);
      io.stdout.write(`${written} contacts written to ${out}${skipped ? `; ${skipped} X.500-only entries left out (no SMTP address known)` : ''}\n`);
      return exitCodes.ok;
    }
    case 'convert': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } }, 1);
      const out = requireOption(values.out, '--out');
      const { file } = await load(positionals[0] ?? bad());
      // Same rows, verbatim, as a version-12 stream; the trailing leftovers are not carried over.
      const stream: AutocompleteFile = { ...file, major: 12, minor: file.major === 12 ? file.minor : 0, trailing: new Uint8Array(0) };
      await save(out, writeAutocompleteFile(stream));
      io.stdout.write(`${file.rows.length} entries written to ${out} (version 12)\n`);
      return exitCodes.ok;
    }
    case 'merge': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } }, 64);
      const out = requireOption(values.out, '--out');
      if (positionals.length < 1) bad();
      // All rows in one merge, so an X.500 address one file holds is rewritten from another file that knows it.
      const files = [];
      for (const path of positionals) files.push((await load(path)).file);
      const first = files[0]!;
      const base: AutocompleteFile = { ...first, major: 12, minor: first.major === 12 ? first.minor : 0, rows: [] };
      const result = mergeAutocomplete(base, files.flatMap((file) => file.rows));
      await save(out, writeAutocompleteFile(result.file));
      io.stdout.write(
        `${result.file.rows.length} entries from ${positionals.length} files written to ${out}${result.unresolved ? `; ${result.unresolved} X.500-only entries left out (no SMTP address known)` : ''}\n`,
      );
      return exitCodes.ok;
    }
    default:
      return bad();
  }
}
