import { promises as fs } from 'node:fs';
import { join } from 'node:path';

import { CloudwardError } from '../../../contract/index.js';
import type { AutocompleteItem, PreparedItem, SourceFolder } from '../../model/items.js';
import type { ItemOutcome, Target, TargetCapabilities } from '../target.js';
import { DirAutocomplete } from './autocomplete-files.js';
import { itemFileName, safeName, shortHash } from './file-names.js';
import { Manifest, type ManifestEntry, writeAtomically } from './manifest.js';

/**
 * A local archive: the folder tree mirrored on disk, mail as .eml byte-identical to the source MIME,
 * contacts as .vcf, events and tasks as .ics, and manifest.json. File names depend only on the source
 * item, so re-runs overwrite rather than duplicate. It doubles as the customer's offline backup.
 */
export class DirTarget implements Target {
  readonly label: string;
  readonly capabilities: TargetCapabilities = {
    kinds: ['mail', 'contact', 'distlist', 'event', 'task', 'note', 'journal', 'autocomplete'],
    maxItemBytes: 1024 * 1024 * 1024,
    // Writes are synchronous (see writeAtomically): more or bigger batches in flight would only hold
    // more message bytes in memory, not write faster (1 MB: issue 15 measured no loss against 4 MB).
    maxBatchItems: 32,
    maxBatchBytes: 1024 * 1024,
    budget: { bytesPerWindow: Number.MAX_SAFE_INTEGER, windowMs: 1_000, maxConcurrent: 2 },
  };
  private readonly manifest: Manifest;
  /** Lower-cased target path → the source path that claimed it: case-insensitive file systems merge the rest. */
  private readonly claimed = new Map<string, string>();
  private opened = false;
  private readonly autocomplete: DirAutocomplete;

  constructor(private readonly root: string) {
    this.label = `dir:${root}`;
    this.manifest = new Manifest(root);
    this.autocomplete = new DirAutocomplete(root);
  }

  async open(): Promise<void> {
    try {
      await fs.mkdir(this.root, { recursive: true });
      await fs.access(this.root, fs.constants.W_OK);
    } catch (error) {
      throw new CloudwardError('TARGET_UNREACHABLE', `Cannot write to ${this.root}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    await this.manifest.load();
    this.opened = true;
  }

  async ensureFolder(_folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    const path: string[] = [];
    for (const [index, segment] of mappedPath.entries()) {
      let name = safeName(segment);
      const original = mappedPath.slice(0, index + 1).join('\u0000');
      const claimKey = [...path, name].join('/').toLocaleLowerCase('en');
      const owner = this.claimed.get(claimKey);
      // "Work" and "work", or "a/b" and "a_b", would merge into one folder on disk: the later one is told apart.
      if (owner !== undefined && owner !== original) name = `${name} ~${shortHash(original, 6)}`;
      this.claimed.set([...path, name].join('/').toLocaleLowerCase('en'), original);
      path.push(name);
    }
    const directory = join(this.root, ...path);
    await fs.mkdir(directory, { recursive: true });
    await this.removeLeftovers(directory);
    return { targetId: path.join('/'), path };
  }

  async write(batch: readonly PreparedItem[]): Promise<ItemOutcome[]> {
    const entries: ManifestEntry[] = [];
    const outcomes = await Promise.all(
      batch.map(async (prepared): Promise<ItemOutcome> => {
        try {
          const { file, data } = await this.render(prepared);
          const relative = [...prepared.targetFolder.path, file].join('/');
          await writeAtomically(join(this.root, ...prepared.targetFolder.path, file), data);
          const date = prepared.item.kind === 'mail' ? (prepared.item.sentAt ?? prepared.item.receivedAt) : undefined;
          entries.push({
            file: relative,
            folder: [...prepared.item.folder.path],
            kind: prepared.item.kind,
            sourceKey: prepared.item.key,
            sha256: prepared.contentHash,
            size: prepared.size,
            ...(prepared.item.title ? { title: prepared.item.title } : {}),
            ...(date ? { date: date.toISOString() } : {}),
          });
          return { ok: true, targetId: relative };
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          const full = code === 'ENOSPC' || code === 'EDQUOT';
          return {
            ok: false,
            error: { code: 'TARGET_FAILED', message: `Cannot write ${prepared.item.key}: ${code ?? (error as Error).message}${full ? ' (disk full)' : ''}`, retryable: !full },
          };
        }
      }),
    );
    await this.manifest.record(entries);
    await this.mergeAutocomplete(batch, outcomes);
    return outcomes;
  }

  /** Autocomplete entries also go into the folder's list (autocomplete.dat, .csv); an entry is done only once it is there. */
  private async mergeAutocomplete(batch: readonly PreparedItem[], outcomes: ItemOutcome[]): Promise<void> {
    const byFolder = new Map<string, { folder: readonly string[]; indexes: number[] }>();
    batch.forEach((prepared, index) => {
      if (prepared.item.kind !== 'autocomplete' || !outcomes[index]?.ok) return;
      const key = prepared.targetFolder.path.join('/');
      const group = byFolder.get(key) ?? { folder: prepared.targetFolder.path, indexes: [] };
      group.indexes.push(index);
      byFolder.set(key, group);
    });
    for (const { folder, indexes } of byFolder.values()) {
      try {
        await this.autocomplete.add(folder, indexes.map((index) => (batch[index]!.item as AutocompleteItem).entry));
      } catch (error) {
        const message = `Cannot update the autocomplete list in ${folder.join('/')}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
        for (const index of indexes) outcomes[index] = { ok: false, error: { code: 'TARGET_FAILED', message, retryable: false, item: batch[index]!.item.key } };
      }
    }
  }

  async finishMailbox(): Promise<{ notes: string[] }> {
    return { notes: await this.autocomplete.notes() };
  }

  async reconcile(items: readonly PreparedItem[]): Promise<(string | undefined)[]> {
    return Promise.all(
      items.map(async (prepared) => {
        const { file } = await this.render(prepared);
        const relative = [...prepared.targetFolder.path, file].join('/');
        const entry = this.manifest.get(relative);
        return entry?.sha256 === prepared.contentHash ? relative : undefined;
      }),
    );
  }

  async close(): Promise<void> {
    // A manifest that was never loaded must not be saved: it would replace the archive's with an empty one.
    if (this.opened) await this.manifest.save();
  }

  private async render(prepared: PreparedItem): Promise<{ file: string; data: Uint8Array | string }> {
    const { item } = prepared;
    if (item.kind === 'mail') {
      if (!prepared.mime) throw new CloudwardError('INTERNAL', 'mail item without content');
      return { file: itemFileName(item.key, item.title, item.sentAt ?? item.receivedAt, 'eml'), data: prepared.mime };
    }
    // vCard/iCalendar (ical.js) load with the first such item: a mail-only run never holds them (issue 15: RSS).
    const { renderTypedItem } = await import('../../formats/render-item.js');
    const rendered = renderTypedItem(item);
    const date = item.kind === 'event' ? item.event.start : item.kind === 'task' ? (item.task.due ?? null) : null;
    return { file: itemFileName(item.key, item.title, date, rendered.extension.replace(/^\./, '')), data: rendered.content };
  }

  /** Temporary files of a run that was killed mid-write. */
  private async removeLeftovers(directory: string): Promise<void> {
    const names = await fs.readdir(directory).catch(() => [] as string[]);
    await Promise.all(names.filter((name) => name.endsWith('.cwtmp')).map((name) => fs.rm(join(directory, name), { force: true })));
  }
}
