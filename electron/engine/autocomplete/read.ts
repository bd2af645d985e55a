import { fileEntries, type ResolvedEntry } from './entries.js';
import type { AutocompleteFile } from './stream-format.js';
import { readAutocompleteFile } from './stream-reader.js';

/** Reads an NK2, a .dat or a mailbox blob: the parsed file and its entries resolved to SMTP. */
export function readAutocomplete(bytes: Uint8Array, label?: string): { file: AutocompleteFile; entries: ResolvedEntry[] } {
  const file = readAutocompleteFile(bytes, label === undefined ? {} : { label });
  return { file, entries: fileEntries(file) };
}
