import { promises as fs } from 'node:fs';

import { type autocompleteCommands, CloudwardError, type ServiceHandlers } from '../../contract/index.js';
import { entryStatus } from './export.js';
import { readAutocomplete } from './index.js';

export type AutocompleteHandlers = Pick<ServiceHandlers, keyof typeof autocompleteCommands>;

/** Real lists hold at most a few thousand rows, well under 10 MB. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The autocomplete room's service handlers. */
export function createAutocompleteHandlers(): AutocompleteHandlers {
  return {
    async 'autocomplete:read'({ path }) {
      let bytes: Uint8Array;
      try {
        const stat = await fs.stat(path);
        if (stat.size > MAX_FILE_BYTES) throw new CloudwardError('FORMAT_INVALID', `${path}: ${stat.size} bytes is far larger than any autocomplete file`);
        bytes = new Uint8Array(await fs.readFile(path));
      } catch (error) {
        if (error instanceof CloudwardError) throw error;
        throw new CloudwardError('SOURCE_UNREADABLE', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      const { file, entries } = readAutocomplete(bytes, path);
      return {
        path,
        version: file.major,
        entries: entries.map((entry) => ({
          address: entry.address,
          ...(entry.displayName ? { displayName: entry.displayName } : {}),
          ...(entry.weight === undefined ? {} : { weight: entry.weight }),
          ...(entry.x500 ? { x500: entry.x500 } : {}),
          status: entryStatus(entry) as 'ok' | 'x500-rewritten' | 'x500-unresolved',
        })),
      };
    },
  };
}
