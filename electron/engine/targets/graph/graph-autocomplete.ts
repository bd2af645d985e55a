import { type AutocompleteEntry, CloudwardError, toCloudwardError } from '../../../contract/index.js';
import { isX500, mergeAutocomplete, readAutocomplete, writeAutocompleteFile } from '../../autocomplete/index.js';
import type { ItemOutcome } from '../target.js';
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
 * stream (shared/docs/formats.md). As in the EWS target, each batch is read, merged by SMTP address and written
 * back before its items count as done; merges are serialized (two at once would lose one).
 */
export class GraphAutocompleteList {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly written = new Set<string>();
  private readonly collection: string;

  constructor(
    private readonly client: () => GraphClient,
    userPath: string,
    private readonly retrying: <T>(action: () => Promise<T>, signal: AbortSignal) => Promise<T>,
  ) {
    this.collection = `${userPath}/mailFolders/inbox/userConfigurations`;
  }

  add(entries: readonly { key: string; entry: AutocompleteEntry }[], signal: AbortSignal): Promise<ItemOutcome[]> {
    const run = this.tail.then(() => this.merge(entries, signal));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The stored blob, or undefined when the mailbox has no `Autocomplete` configuration yet (404). */
  private async read(signal: AbortSignal): Promise<{ exists: boolean; data?: Uint8Array }> {
    try {
      const current = await this.client().request<UserConfiguration>('GET', `${this.collection}/Autocomplete`, undefined, signal, `reading the mailbox's autocomplete list`, 'beta');
      // A plain Uint8Array copy, not a Buffer: a small Buffer is a view into Node's shared pool, and autocomplete/row-values
      // copies a header with .slice() (a view again for a Buffer) before writing the weight at offset 0 of its .buffer.
      return { exists: true, ...(current.binaryData ? { data: new Uint8Array(Buffer.from(current.binaryData, 'base64')) } : {}) };
    } catch (error) {
      // graph-errors maps a 404 on an item to TARGET_REJECTED "(404 ErrorItemNotFound: ...)"; a missing user fails open() first.
      const cause = toCloudwardError(error);
      if (cause.code === 'TARGET_REJECTED' && /\(404\b/.test(cause.message)) return { exists: false };
      throw error;
    }
  }

  private async merge(entries: readonly { key: string; entry: AutocompleteEntry }[], signal: AbortSignal): Promise<ItemOutcome[]> {
    const outcomes: (ItemOutcome | undefined)[] = entries.map(({ key, entry }) =>
      isX500(entry.address)
        ? { ok: false, error: { code: 'ITEM_UNSUPPORTED', message: `Only an Exchange X.500 address (${entry.address}) and no SMTP address for it: the new mailbox cannot use it`, retryable: false, item: key } }
        : undefined,
    );
    const usable = entries.filter((_entry, index) => outcomes[index] === undefined);
    if (usable.length > 0) {
      try {
        await this.retrying(async () => {
          const current = await this.read(signal);
          // A list we cannot read is left as it is: overwriting it would lose the user's entries.
          const existing = current.data && current.data.length > 0 ? readAutocomplete(current.data, `the mailbox's autocomplete list`).file : undefined;
          const merged = mergeAutocomplete(existing, usable.map(({ entry }) => entry));
          const binaryData = Buffer.from(writeAutocompleteFile(merged.file)).toString('base64');
          const client = this.client();
          if (current.exists) await client.request('PATCH', `${this.collection}/Autocomplete`, { binaryData }, signal, `updating the mailbox's autocomplete list`, 'beta');
          else await client.request('POST', this.collection, { id: 'Autocomplete', binaryData }, signal, `creating the mailbox's autocomplete list`, 'beta');
        }, signal);
      } catch (error) {
        const cause = toCloudwardError(error, 'TARGET_FAILED');
        return outcomes.map((outcome, index) => outcome ?? { ok: false, error: { ...cause.toInfo(), item: entries[index]!.key } });
      }
      for (const { entry } of usable) this.written.add(entry.address.trim().toLowerCase());
    }
    return outcomes.map((outcome, index) => outcome ?? { ok: true, targetId: `autocomplete:${entries[index]!.entry.address.trim().toLowerCase()}` });
  }

  /** Reads the list back once: every address written in this run must be in it. The note is for the report. */
  async finish(signal: AbortSignal): Promise<{ notes: string[] }> {
    await this.tail;
    if (this.written.size === 0) return { notes: [] };
    const current = await this.retrying(() => this.read(signal), signal);
    const entries = current.data ? readAutocomplete(current.data, `the mailbox's autocomplete list`).entries : [];
    const present = new Set(entries.map((entry) => entry.address.toLowerCase()));
    const missing = [...this.written].filter((address) => !present.has(address));
    if (missing.length > 0) {
      throw new CloudwardError('VERIFY_FAILED', `The mailbox's autocomplete list lacks ${missing.length} of the ${this.written.size} entries written (e.g. ${missing[0]})`);
    }
    return { notes: [`Autocomplete: ${this.written.size} entries reached the mailbox's autocomplete list through the Graph beta API (${entries.length} entries in it now)`] };
  }
}
