import { promises as fs, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface ManifestEntry {
  /** Path of the file relative to the archive root, with "/" separators. */
  file: string;
  folder: string[];
  kind: string;
  sourceKey: string;
  sha256: string;
  size: number;
  title?: string;
  date?: string;
}

/**
 * The archive's table of contents. Entries are appended to a journal as files are written (so a kill
 * loses none), and the journal is folded into manifest.json, keyed by file, when the target closes.
 */
export class Manifest {
  private readonly entries = new Map<string, ManifestEntry>();
  private readonly journal: string;
  private readonly manifest: string;

  constructor(private readonly root: string) {
    this.journal = join(root, '.cloudward', 'journal.jsonl');
    this.manifest = join(root, 'manifest.json');
  }

  async load(): Promise<void> {
    const previous = await fs.readFile(this.manifest, 'utf8').catch(() => undefined);
    if (previous !== undefined) {
      try {
        for (const entry of (JSON.parse(previous) as { items?: ManifestEntry[] }).items ?? []) this.entries.set(entry.file, entry);
      } catch {
        // A damaged manifest is rebuilt from the journal and from what this run writes.
      }
    }
    const journal = await fs.readFile(this.journal, 'utf8').catch(() => '');
    for (const line of journal.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = JSON.parse(line) as ManifestEntry;
        this.entries.set(entry.file, entry);
      } catch {
        // The last line of a killed run may be cut short; everything before it stands.
      }
    }
  }

  async record(entries: readonly ManifestEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const entry of entries) this.entries.set(entry.file, entry);
    await fs.mkdir(dirname(this.journal), { recursive: true });
    await fs.appendFile(this.journal, entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
  }

  get(file: string): ManifestEntry | undefined {
    return this.entries.get(file);
  }

  async save(): Promise<void> {
    const items = [...this.entries.values()].sort((a, b) => a.file.localeCompare(b.file));
    const body = JSON.stringify({ generator: 'Cloudward', format: 1, updated: new Date().toISOString(), count: items.length, items }, null, 1);
    await writeAtomically(this.manifest, body);
    await writeAtomically(this.journal, items.map((entry) => JSON.stringify(entry)).join('\n') + (items.length > 0 ? '\n' : ''));
  }
}

/**
 * Write to a temporary name, then rename: a kill leaves the old file or the new one, never half of one.
 * The temporary name is fixed per process: writes are synchronous, so two never overlap, and ext4
 * creates a file at a name it just renamed away about ten times faster than at a fresh random name
 * (measured: 5,000 files in 0.23 s against 1.7–2.9 s). Synchronous, too, because for small files
 * two syscalls beat two thread-pool round trips, and the engine never runs on the UI thread.
 */
export async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.cloudward-${process.pid}.cwtmp`);
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
