import { promises as fs } from 'node:fs';
import { join } from 'node:path';

import type { AutocompleteEntry } from '../../../contract/index.js';
import { writeAtomically } from './manifest.js';

export const AUTOCOMPLETE_STREAM = 'autocomplete.dat';
export const AUTOCOMPLETE_CSV = 'autocomplete.csv';

/**
 * The archive's copy of the autocomplete list: a version-12 stream (Outlook 2010+ reads it as a
 * RoamCache Stream_Autocomplete_*.dat) and a CSV for people, beside the items' folder. Each batch is
 * merged into the files already there, so a re-run or a resume adds nothing twice and loses nothing.
 */
export class DirAutocomplete {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly folders = new Map<string, number>();

  constructor(private readonly root: string) {}

  add(folder: readonly string[], entries: readonly AutocompleteEntry[]): Promise<void> {
    const run = this.tail.then(() => this.merge(folder, entries));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async merge(folder: readonly string[], entries: readonly AutocompleteEntry[]): Promise<void> {
    // Loaded on the first autocomplete item: a mail-only archive (IMAP, eml) never pays for the stream
    // codec and csv-stringify in its memory (issue 15: RSS).
    const [{ autocompleteCsv }, { isX500, mergeAutocomplete, readAutocomplete, writeAutocompleteFile }] = await Promise.all([
      import('../../autocomplete/export.js'),
      import('../../autocomplete/index.js'),
    ]);
    const streamPath = join(this.root, ...folder, AUTOCOMPLETE_STREAM);
    const existing = await fs.readFile(streamPath).then(
      (bytes) => readAutocomplete(new Uint8Array(bytes), streamPath).file,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    const merged = mergeAutocomplete(existing, entries.filter((entry) => !isX500(entry.address)));
    await writeAtomically(streamPath, writeAutocompleteFile(merged.file));
    const { entries: all } = readAutocomplete(writeAutocompleteFile(merged.file));
    await writeAtomically(join(this.root, ...folder, AUTOCOMPLETE_CSV), autocompleteCsv(all));
    this.folders.set(folder.join('/'), all.length);
  }

  async notes(): Promise<string[]> {
    await this.tail;
    return [...this.folders].map(([folder, count]) => `Autocomplete: ${count} entries in ${[folder, AUTOCOMPLETE_STREAM].filter(Boolean).join('/')} and ${AUTOCOMPLETE_CSV}`);
  }
}
