import type { AutocompleteEntry } from '../../contract/index.js';
import { mergeAutocomplete } from './merge.js';
import type { AutocompleteFile } from './stream-format.js';
import { readAutocompleteFile } from './stream-reader.js';
import { writeAutocompleteFile } from './stream-writer.js';

export { buildRow, isX500, resolveEntries, rowRecord, type AutocompleteRecord, type ResolvedEntry } from './entries.js';
export { emptyStream, fileTime, mergeAutocomplete, mergeRows, type MergeResult } from './merge.js';
export { NK2_MAJOR, STREAM_MAJOR, type AutocompleteFile, type AutocompleteProperty, type AutocompleteRow } from './stream-format.js';
export { readAutocompleteFile } from './stream-reader.js';
export { writeAutocompleteFile } from './stream-writer.js';
export { readAutocomplete } from './read.js';
export { MailboxAutocompleteList, type AutocompleteBlobStore } from './mailbox-list.js';


/**
 * A version-12 stream (a .dat file or the mailbox's IPM.Configuration.Autocomplete blob) holding
 * `entries`, merged into `template` (the mailbox's current blob) when given so nothing there is lost.
 */
export function writeAutocompleteStream(entries: readonly AutocompleteEntry[], template?: Uint8Array | AutocompleteFile, now: Date = new Date()): Uint8Array {
  const base = template instanceof Uint8Array ? readAutocompleteFile(template, { label: 'existing autocomplete stream' }) : template;
  // A version-10 (NK2) template becomes a version-12 stream: Outlook 2010+ reads only those.
  const existing = base ? { ...base, major: 12, minor: base.major === 12 ? base.minor : 0 } : undefined;
  return writeAutocompleteFile(mergeAutocomplete(existing, entries, now).file);
}
