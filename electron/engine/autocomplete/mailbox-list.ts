import { type AutocompleteEntry, CloudwardError, toCloudwardError } from '../../contract/index.js';
import type { ItemOutcome } from '../targets/target.js';
import { isX500 } from './entries.js';
import { mergeAutocomplete } from './merge.js';
import { readAutocomplete } from './read.js';
import { writeAutocompleteFile } from './stream-writer.js';

/** Where a mailbox keeps its autocomplete blob: EWS's user configuration or Graph's (beta) one. */
export interface AutocompleteBlobStore {
  /** The stored blob; `exists` false when the mailbox has no `Autocomplete` configuration yet. */
  read(signal: AbortSignal): Promise<{ exists: boolean; data?: Uint8Array | undefined }>;
  /** Writes the whole blob: creates the configuration when it did not exist. */
  write(data: Uint8Array, exists: boolean, signal: AbortSignal): Promise<void>;
}

/**
 * The mailbox's autocomplete list, whatever the protocol: Outlook 2010+ keeps it as one blob
 * (IPM.Configuration.Autocomplete on the inbox; shared/docs/formats.md). Each batch is merged into what the
 * mailbox holds (read, merge by SMTP address, write back) before its items count as done, so a kill between
 * batches loses nothing and a re-run adds nothing twice (a merge of the same entries is a no-op). Merges are
 * serialized: two at once would lose one.
 */
export class MailboxAutocompleteList {
  private tail: Promise<unknown> = Promise.resolve();
  /** Lower-case addresses written in this run, for the read-back in finish(). */
  private readonly written = new Set<string>();

  constructor(
    private readonly store: AutocompleteBlobStore,
    private readonly retrying: <T>(action: () => Promise<T>, signal: AbortSignal) => Promise<T>,
    /** Said in the report's note after the count, e.g. " through the Graph beta API". */
    private readonly via = '',
  ) {}

  add(entries: readonly { key: string; entry: AutocompleteEntry }[], signal: AbortSignal): Promise<ItemOutcome[]> {
    const run = this.tail.then(() => this.merge(entries, signal));
    this.tail = run.catch(() => undefined);
    return run;
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
          const current = await this.store.read(signal);
          // A list we cannot read is left as it is: overwriting it would lose the user's entries.
          const existing = current.data && current.data.length > 0 ? readAutocomplete(current.data, `the mailbox's autocomplete list`).file : undefined;
          const merged = mergeAutocomplete(existing, usable.map(({ entry }) => entry));
          await this.store.write(writeAutocompleteFile(merged.file), current.exists, signal);
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
    const current = await this.retrying(() => this.store.read(signal), signal);
    const entries = current.data ? readAutocomplete(current.data, `the mailbox's autocomplete list`).entries : [];
    const present = new Set(entries.map((entry) => entry.address.toLowerCase()));
    const missing = [...this.written].filter((address) => !present.has(address));
    if (missing.length > 0) {
      throw new CloudwardError('VERIFY_FAILED', `The mailbox's autocomplete list lacks ${missing.length} of the ${this.written.size} entries written (e.g. ${missing[0]})`);
    }
    return { notes: [`Autocomplete: ${this.written.size} entries reached the mailbox's autocomplete list${this.via} (${entries.length} entries in it now)`] };
  }
}
