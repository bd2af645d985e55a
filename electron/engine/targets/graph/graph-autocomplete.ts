import { toCloudwardError } from '../../../contract/index.js';
import { type AutocompleteBlobStore, MailboxAutocompleteList } from '../../autocomplete/index.js';
import type { GraphClient } from './graph-client.js';

/** The reason an autocomplete item is skipped when the beta switch is off (the report shows it). */
export const autocompleteSwitchReason =
  'Microsoft Graph writes the autocomplete list only through its beta user configuration API; run again with --graph-autocomplete-beta (spec option graphAutocompleteBeta) or use the ews: target';

interface UserConfiguration {
  binaryData?: string | null;
}

/**
 * The mailbox's autocomplete list through Graph's beta user configuration API (GRAPH:api/resources/userconfiguration,
 * userconfiguration-get, userconfiguration-update, mailfolder-post-userconfigurations; beta since 2026-01-28):
 * the item `Autocomplete` in the inbox, its `binaryData` (Edm.Binary, base64 in JSON) holding the version-12
 * stream (shared/docs/formats.md). The merge itself is the engine's, as for EWS.
 */
export class GraphAutocompleteList extends MailboxAutocompleteList {
  constructor(client: () => GraphClient, userPath: string, retrying: <T>(action: () => Promise<T>, signal: AbortSignal) => Promise<T>) {
    super(graphStore(client, `${userPath}/mailFolders/inbox/userConfigurations`), retrying, ' through the Graph beta API');
  }
}

function graphStore(client: () => GraphClient, collection: string): AutocompleteBlobStore {
  return {
    async read(signal) {
      try {
        const current = await client().request<UserConfiguration>('GET', `${collection}/Autocomplete`, undefined, signal, `reading the mailbox's autocomplete list`, 'beta');
        // A plain Uint8Array copy, not a Buffer: a small Buffer is a view into Node's shared pool, and autocomplete/row-values
        // copies a header with .slice() (a view again for a Buffer) before writing the weight at offset 0 of its .buffer.
        return { exists: true, ...(current.binaryData ? { data: new Uint8Array(Buffer.from(current.binaryData, 'base64')) } : {}) };
      } catch (error) {
        // graph-errors maps a 404 on an item to TARGET_REJECTED "(404 ErrorItemNotFound: ...)"; a missing user fails open() first.
        const cause = toCloudwardError(error);
        if (cause.code === 'TARGET_REJECTED' && /\(404\b/.test(cause.message)) return { exists: false };
        throw error;
      }
    },
    async write(data, exists, signal) {
      const binaryData = Buffer.from(data).toString('base64');
      if (exists) await client().request('PATCH', `${collection}/Autocomplete`, { binaryData }, signal, `updating the mailbox's autocomplete list`, 'beta');
      else await client().request('POST', collection, { id: 'Autocomplete', binaryData }, signal, `creating the mailbox's autocomplete list`, 'beta');
    },
  };
}
