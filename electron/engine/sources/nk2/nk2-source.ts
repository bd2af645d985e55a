import { promises as fs } from 'node:fs';
import { basename } from 'node:path';

import { CloudwardError } from '../../../contract/index.js';
import { readAutocomplete, type ResolvedEntry } from '../../autocomplete/index.js';
import type { AutocompleteItem, SourceEntry, SourceFolder } from '../../model/items.js';
import type { Source, SourceContext } from '../source.js';

/** Real lists hold at most a few thousand rows, well under 10 MB. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Outlook's autocomplete list from an NK2 (Outlook 2003/2007) or a Stream_Autocomplete_*.dat (2010+):
 * one `autocomplete` item per address. The folder is the inbox because that is where Exchange keeps the
 * list (IPM.Configuration.Autocomplete); targets write the entries as one list, not as inbox items.
 */
export class Nk2Source implements Source {
  readonly label: string;
  private entriesRead: ResolvedEntry[] = [];

  constructor(private readonly path: string) {
    this.label = `nk2:${path}`;
  }

  async open(): Promise<void> {
    let bytes: Uint8Array;
    try {
      const stat = await fs.stat(this.path);
      if (!stat.isFile()) throw new CloudwardError('SOURCE_UNREADABLE', `${this.path} is not a file`);
      if (stat.size > MAX_FILE_BYTES) throw new CloudwardError('FORMAT_INVALID', `${this.path}: ${stat.size} bytes is far larger than any autocomplete file`);
      bytes = new Uint8Array(await fs.readFile(this.path));
    } catch (error) {
      if (error instanceof CloudwardError) throw error;
      throw new CloudwardError('SOURCE_UNREADABLE', `Cannot read ${this.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    this.entriesRead = readAutocomplete(bytes, basename(this.path)).entries;
  }

  async estimate(): Promise<{ items: number }> {
    return { items: this.items().length };
  }

  /** One item per address: rows for the same address (an X.500 row rewritten to an SMTP one) become one, with the higher weight. */
  private items(): AutocompleteItem[] {
    const folder: SourceFolder = { path: ['Inbox'], special: 'inbox', holds: 'autocomplete' };
    const byKey = new Map<string, AutocompleteItem>();
    for (const entry of this.entriesRead) {
      const key = entry.unresolved ? `autocomplete:x500:${entry.address.toLowerCase()}` : `autocomplete:${entry.address.toLowerCase()}`;
      const earlier = byKey.get(key);
      if (earlier && (earlier.entry.weight ?? 0) >= (entry.weight ?? 0)) continue;
      const caveat = entry.unresolved
        ? 'Only an Exchange X.500 address, and no SMTP address for it in the same file: a new tenant cannot use it'
        : entry.rewritten
          ? `X.500 address ${entry.x500 ?? ''} rewritten to ${entry.address} (found in the same file)`
          : undefined;
      byKey.set(key, {
        kind: 'autocomplete',
        key,
        folder,
        size: 64 + entry.address.length * 2 + (entry.displayName?.length ?? 0) * 2,
        title: entry.displayName ? `${entry.displayName} <${entry.address}>` : entry.address,
        ...(caveat ? { caveat } : {}),
        entry: {
          address: entry.address,
          ...(entry.displayName ? { displayName: entry.displayName } : {}),
          ...(entry.weight === undefined ? {} : { weight: entry.weight }),
        },
      });
    }
    return [...byKey.values()];
  }

  async *entries(context: SourceContext): AsyncIterable<SourceEntry> {
    const items = this.items();
    if (items.length === 0) return;
    yield { type: 'folder', folder: items[0]!.folder };
    for (const item of items) {
      if (context.signal.aborted) return;
      yield { type: 'item', item };
    }
  }

  async close(): Promise<void> {
    this.entriesRead = [];
  }
}
