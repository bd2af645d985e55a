import { stringify } from 'csv-stringify/sync';

import { renderContact } from '../formats/vcard.js';
import type { ResolvedEntry } from './entries.js';

const csvColumns = ['address', 'displayName', 'weight', 'x500', 'status'] as const;

export function entryStatus(entry: Pick<ResolvedEntry, 'unresolved' | 'rewritten'>): string {
  return entry.unresolved ? 'x500-unresolved' : entry.rewritten ? 'x500-rewritten' : 'ok';
}

/** CSV as Excel opens it (BOM, CRLF): one row per entry, highest weight first as in the file. */
export function autocompleteCsv(entries: readonly ResolvedEntry[]): string {
  const rows = entries.map((entry) => [entry.address, entry.displayName ?? '', entry.weight ?? '', entry.x500 ?? '', entryStatus(entry)]);
  return '\ufeff' + stringify([[...csvColumns], ...rows], { record_delimiter: 'windows' });
}

/**
 * vCards for people who want the list as contacts. X.500-only entries are left out: a new tenant cannot
 * mail them, and a contact that cannot be mailed is worse than none.
 */
export function autocompleteVcards(entries: readonly ResolvedEntry[]): { vcf: string; written: number; skipped: number } {
  const usable = entries.filter((entry) => !entry.unresolved);
  const vcf = usable
    .map((entry) =>
      renderContact(
        {
          ...(entry.displayName ? { displayName: entry.displayName } : {}),
          emails: [{ address: entry.address, ...(entry.displayName ? { name: entry.displayName } : {}) }],
          phones: [],
          addresses: [],
          categories: ['Autocomplete'],
        },
        `autocomplete:${entry.address.toLowerCase()}`,
      ),
    )
    .join('');
  return { vcf, written: usable.length, skipped: entries.length - usable.length };
}
