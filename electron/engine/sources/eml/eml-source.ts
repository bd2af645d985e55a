import { closeSync, type Dirent, fstatSync, openSync, promises as fs, readSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';

import { CloudwardError } from '../../../contract/index.js';
import { specialFolderByName } from '../../model/folder-names.js';
import type { MailFlags, MailItem, SourceEntry, SourceFolder } from '../../model/items.js';
import type { Source, SourceContext, SourceFolderPreview } from '../source.js';
import { datesOf, maildirTime, type FileTime } from './item-dates.js';
import { readHeaderSummary } from './mail-headers.js';

/** Files larger than this are not read into memory at all: no target takes them (Exchange: 150 MB). */
const maxReadBytes = 256 * 1024 * 1024;
/**
 * Files up to this size are read whole as they are listed; a larger one only its head (the header block the
 * summary reads, at most 256 KB), the whole file when a target asks for it. Otherwise every read-ahead slot
 * of every parallel mailbox could hold a message of up to 256 MB.
 */
const eagerBytes = 1024 * 1024;
const headBytes = 256 * 1024 + 4;
/** Files read ahead of the pipeline, at most this many and (beyond the first) this many bytes per mailbox. */
const readAhead = 8;
const readAheadBytes = 2 * 1024 * 1024;

interface MessageFile {
  path: string;
  key: string;
  flags: MailFlags;
  /** Maildir: the delivery time in the file's name. */
  delivered?: Date;
}

interface FolderPlan {
  folder: SourceFolder;
  files: MessageFile[];
}

/** Names our own dir: target writes, so a backup can be read back without re-importing its manifest. */
const ownFiles = new Set(['manifest.json', '.cloudward']);

/**
 * A folder tree of .eml files (Windows Live Mail / Outlook Express stores, "save as" exports) and
 * Maildir (cur/new, Maildir++ ".Sub.Folder" children). Folder names come from the tree.
 */
export class EmlSource implements Source {
  readonly label: string;

  constructor(private readonly root: string) {
    this.label = root;
  }

  async open(): Promise<void> {
    let stat;
    try {
      stat = await fs.stat(this.root);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CloudwardError('SOURCE_UNREADABLE', code === 'ENOENT' ? `${this.root} does not exist` : `Cannot read ${this.root}: ${code ?? String(error)}`);
    }
    if (!stat.isDirectory()) throw new CloudwardError('SOURCE_UNREADABLE', `${this.root} is not a folder (eml: takes a folder of .eml files or a Maildir)`);
  }

  async estimate(): Promise<{ items: number }> {
    let items = 0;
    for await (const plan of this.plans()) items += plan.files.length;
    return { items };
  }

  /** Counts and file sizes per folder, without reading a message. */
  async preview(signal?: AbortSignal): Promise<SourceFolderPreview[]> {
    const folders: SourceFolderPreview[] = [];
    for await (const plan of this.plans()) {
      signal?.throwIfAborted();
      let bytes = 0;
      for (const file of plan.files) bytes += await fs.stat(file.path).then((stat) => stat.size, () => 0);
      folders.push({ path: plan.folder.path, items: plan.files.length, bytes });
    }
    return folders;
  }

  async *entries(context: SourceContext): AsyncIterable<SourceEntry> {
    for await (const plan of this.plans()) {
      yield { type: 'folder', folder: plan.folder };
      const pending: { entry: SourceEntry | undefined; bytes: number }[] = [];
      let pendingBytes = 0;
      let next = 0;
      const fill = (): void => {
        while (pending.length < readAhead && next < plan.files.length && (pending.length === 0 || pendingBytes < readAheadBytes)) {
          const file = plan.files[next++];
          if (!file) continue;
          const read = this.read(file, plan.folder, context);
          pending.push(read);
          pendingBytes += read.bytes;
        }
      };
      fill();
      while (pending.length > 0) {
        const read = pending.shift()!;
        pendingBytes -= read.bytes;
        fill();
        if (read.entry) yield read.entry;
        if (context.signal.aborted) return;
      }
    }
  }

  async close(): Promise<void> {}

  /** The entry and the bytes it holds in memory until the pipeline takes it. */
  private read(file: MessageFile, folder: SourceFolder, context: SourceContext): { entry: SourceEntry | undefined; bytes: number } {
    if (context.isSettled(file.key)) {
      return { entry: { type: 'item', item: this.item(file, folder, 0, {}, () => readLater(file.path)) }, bytes: 0 };
    }
    try {
      // Synchronous on purpose: for many small local files, four plain syscalls beat four thread-pool
      // round trips by a wide margin, and the engine never runs on the UI thread.
      const { bytes, head, size, mtime } = readFileOrHead(file.path);
      const fileTime: FileTime = file.delivered ? { time: file.delivered, what: 'the delivery time in its Maildir file name' } : { time: mtime, what: "the file's modification time" };
      if (!head) {
        return { entry: { type: 'item', item: this.item(file, folder, size, {}, () => readLater(file.path)) }, bytes: 0 };
      }
      const load = bytes ? () => Promise.resolve(bytes) : () => readLater(file.path);
      return { entry: { type: 'item', item: this.item(file, folder, size, readHeaderSummary(head), load, fileTime) }, bytes: head.length };
    } catch (error) {
      context.reportUnreadable({ key: file.key, folderPath: folder.path, kind: 'mail', reason: `Cannot read ${file.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      return { entry: undefined, bytes: 0 };
    }
  }

  private item(file: MessageFile, folder: SourceFolder, size: number, headers: ReturnType<typeof readHeaderSummary>, load: () => Promise<Uint8Array>, fileTime?: FileTime): MailItem {
    // Dates only when the headers were read: an item settled earlier or too large to read is never sent.
    const dates = fileTime ? datesOf(headers, fileTime) : headers.date ? { sentAt: headers.date } : {};
    return {
      kind: 'mail',
      key: file.key,
      folder,
      size,
      title: headers.subject ?? basename(file.path),
      ...(headers.messageId ? { messageId: headers.messageId } : {}),
      ...(dates.sentAt ? { sentAt: dates.sentAt } : {}),
      ...(dates.receivedAt ? { receivedAt: dates.receivedAt } : {}),
      ...(dates.caveat ? { caveat: dates.caveat } : {}),
      flags: file.flags,
      keywords: [],
      categories: [],
      load,
    };
  }

  /** Every folder with its message files, depth first, in a stable order. */
  private async *plans(): AsyncIterable<FolderPlan> {
    yield* this.walk(this.root, []);
  }

  private async *walk(dir: string, path: string[]): AsyncIterable<FolderPlan> {
    const entries = await readDir(dir);
    const names = new Set(entries.map((entry) => entry.name));
    if (names.has('cur') || names.has('new')) {
      yield* this.maildir(dir, path.length === 0 ? ['Inbox'] : path, entries);
      return;
    }
    const files = entries
      .filter((entry) => entry.isFile() && /\.eml$/i.test(entry.name))
      .map((entry): MessageFile => {
        const full = join(dir, entry.name);
        return { path: full, key: `eml:${toKeyPath(relative(this.root, full))}`, flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false } };
      });
    if (files.length > 0) {
      const folderPath = path.length === 0 ? [basename(this.root)] : path;
      yield { folder: folderOf(folderPath, files.length), files };
    }
    for (const entry of entries) {
      if (entry.isDirectory() && !ownFiles.has(entry.name) && !entry.name.startsWith('.')) {
        yield* this.walk(join(dir, entry.name), [...path, entry.name]);
      }
    }
  }

  private async *maildir(dir: string, path: string[], entries: Dirent[]): AsyncIterable<FolderPlan> {
    const files: MessageFile[] = [];
    for (const sub of ['new', 'cur'] as const) {
      if (!entries.some((entry) => entry.name === sub && entry.isDirectory())) continue;
      for (const entry of await readDir(join(dir, sub))) {
        if (!entry.isFile() || entry.name.startsWith('.')) continue;
        const [unique = entry.name, info = ''] = entry.name.split(':2,');
        const key = `maildir:${toKeyPath(relative(this.root, dir))}/${unique}`;
        const delivered = maildirTime(unique);
        files.push({ path: join(dir, sub, entry.name), key, flags: maildirFlags(sub, info), ...(delivered ? { delivered } : {}) });
      }
    }
    files.sort((a, b) => a.key.localeCompare(b.key));
    yield { folder: folderOf(path, files.length, path.length === 1 && path[0] === 'Inbox' ? 'inbox' : undefined), files };
    // Maildir++: children are dot-named folders of the root maildir (".Sent", ".Work.Clients").
    for (const entry of entries) {
      if (entry.isDirectory() && entry.name.startsWith('.') && entry.name.length > 1 && entry.name !== '.cloudward') {
        const child = entry.name.slice(1).split('.');
        const childEntries = await readDir(join(dir, entry.name));
        yield* this.maildir(join(dir, entry.name), child, childEntries);
      }
    }
  }
}

function folderOf(path: string[], count: number, special = path.length === 1 ? specialFolderByName(path[0] ?? '') : undefined): SourceFolder {
  return { path, holds: 'mail', count, ...(special ? { special } : {}) };
}

function maildirFlags(sub: 'new' | 'cur', info: string): MailFlags {
  return {
    seen: sub === 'cur' && info.includes('S'),
    flagged: info.includes('F'),
    answered: info.includes('R'),
    draft: info.includes('D'),
    forwarded: info.includes('P'),
  };
}

/**
 * Size, modification time and the file's head; `bytes` (the whole file, the head itself) when it is small
 * enough to hold. No head when the file is too large for any target.
 */
function readFileOrHead(path: string): { bytes?: Buffer; head?: Buffer; size: number; mtime: Date } {
  const fd = openSync(path, 'r');
  try {
    const { size, mtime } = fstatSync(fd);
    if (size > maxReadBytes) return { size, mtime };
    const whole = size <= eagerBytes;
    const wanted = whole ? size : headBytes;
    const buffer = Buffer.allocUnsafe(wanted);
    let offset = 0;
    while (offset < wanted) {
      const read = readSync(fd, buffer, offset, wanted - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    const head = offset === wanted ? buffer : buffer.subarray(0, offset);
    return whole ? { bytes: head, head, size: offset, mtime } : { head, size, mtime };
  } finally {
    closeSync(fd);
  }
}

/** A file read when a target asks for it: gone or unreadable by then is the item's failure, said in one line. */
async function readLater(path: string): Promise<Buffer> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    throw new CloudwardError('ITEM_UNREADABLE', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function toKeyPath(path: string): string {
  return path.split(sep).join('/');
}

async function readDir(dir: string): Promise<Dirent[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    throw new CloudwardError('SOURCE_UNREADABLE', `Cannot list ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
