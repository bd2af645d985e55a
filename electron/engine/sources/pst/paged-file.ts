import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

import { CloudwardError } from '../../../contract/index.js';
import { cryptNone, decodeBlockBytes } from './crypt.js';
import type { PstHeader } from './header.js';

const pageBits = 16;
const pageSize = 1 << pageBits;

/**
 * Positioned reads from a PST through one file descriptor and a small LRU page cache, so memory stays
 * bounded whatever the file's size (pst-extractor itself reads byte by byte, or from a whole-file buffer).
 */
export class PagedFile {
  readonly size: number;
  private fd: number;
  private readonly pages = new Map<number, Buffer>();

  constructor(
    readonly path: string,
    private readonly maxPages = 128,
  ) {
    try {
      this.fd = openSync(path, 'r');
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      throw new CloudwardError('SOURCE_UNREADABLE', `${path}: cannot open (${code || String(error)})`, { cause: error });
    }
  }

  /** Reads into `target[0..length)` from `position`; returns the bytes available (short at end of file). */
  read(target: Uint8Array, targetOffset: number, length: number, position: number): number {
    if (this.fd < 0) throw new CloudwardError('SOURCE_UNREADABLE', `${this.path}: read after close`);
    if (!Number.isFinite(position) || position < 0) return 0;
    const end = Math.min(position + length, this.size);
    let done = 0;
    for (let at = position; at < end; ) {
      const pageNumber = Math.floor(at / pageSize);
      const page = this.page(pageNumber);
      const inPage = at - pageNumber * pageSize;
      const count = Math.min(page.length - inPage, end - at);
      if (count <= 0) break;
      page.copy(target, targetOffset + done, inPage, inPage + count);
      done += count;
      at += count;
    }
    return done;
  }

  private lastNumber = -1;
  private lastPage: Buffer | undefined;

  /** One byte, or -1 past the end: the hot path of b-tree walks. */
  byteAt(position: number): number {
    if (this.fd < 0) throw new CloudwardError('SOURCE_UNREADABLE', `${this.path}: read after close`);
    if (!(position >= 0 && position < this.size)) return -1;
    const pageNumber = Math.floor(position / pageSize);
    const page = pageNumber === this.lastNumber && this.lastPage ? this.lastPage : this.page(pageNumber);
    this.lastNumber = pageNumber;
    this.lastPage = page;
    return page[position - pageNumber * pageSize] ?? -1;
  }

  private page(pageNumber: number): Buffer {
    const cached = this.pages.get(pageNumber);
    if (cached) {
      // Map keeps insertion order: re-inserting marks it most recently used.
      this.pages.delete(pageNumber);
      this.pages.set(pageNumber, cached);
      return cached;
    }
    const start = pageNumber * pageSize;
    const buffer = Buffer.allocUnsafe(Math.min(pageSize, this.size - start));
    let filled = 0;
    while (filled < buffer.length) {
      const got = readSync(this.fd, buffer, filled, buffer.length - filled, start + filled);
      if (got <= 0) break;
      filled += got;
    }
    const page = filled === buffer.length ? buffer : buffer.subarray(0, filled);
    this.pages.set(pageNumber, page);
    if (this.pages.size > this.maxPages) {
      const oldest = this.pages.keys().next().value;
      if (oldest !== undefined) this.pages.delete(oldest);
    }
    return page;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.pages.clear();
    this.lastPage = undefined;
    this.lastNumber = -1;
  }
}

/**
 * Every block of the block b-tree, sorted by file offset: lets a read that lands inside a data block be
 * decoded with that block's own key (high encryption is keyed by the block id, which pst-extractor's
 * streams do not carry), and lets an XBLOCK's claimed length be checked before anyone allocates it.
 */
export class BlockMap {
  private offsets = new Float64Array(0);
  private sizes = new Uint32Array(0);
  private keys = new Uint32Array(0);
  private internal = new Uint8Array(0);
  count = 0;

  static build(file: PagedFile, header: PstHeader): BlockMap {
    const map = new BlockMap();
    const entries: { offset: number; size: number; bid: number; internal: boolean }[] = [];
    const page = Buffer.alloc(header.pageSize);
    const layout = pageLayout(header);
    const maxPages = Math.ceil(file.size / header.pageSize) + 1;
    let visited = 0;
    const walk = (offset: number, expectedLevel: number | undefined, depth: number): void => {
      if (depth > 12 || ++visited > maxPages) throw new CloudwardError('SOURCE_UNREADABLE', `${file.path}: block index loops`);
      if (offset <= 0 || offset + header.pageSize > file.size) {
        throw new CloudwardError('SOURCE_UNREADABLE', `${file.path}: block index page at ${offset} lies outside the file`);
      }
      file.read(page, 0, header.pageSize, offset);
      if (page[layout.ptype] !== 0x80) throw new CloudwardError('SOURCE_UNREADABLE', `${file.path}: damaged block index page at ${offset}`);
      const entryCount = layout.wideCount ? page.readUInt16LE(layout.count) : (page[layout.count] ?? 0);
      const entrySize = page[layout.entrySize] ?? 0;
      const level = page[layout.level] ?? 0;
      if (expectedLevel !== undefined && level !== expectedLevel) {
        throw new CloudwardError('SOURCE_UNREADABLE', `${file.path}: damaged block index page at ${offset}`);
      }
      if (entrySize === 0 || entryCount * entrySize > layout.count) {
        throw new CloudwardError('SOURCE_UNREADABLE', `${file.path}: damaged block index page at ${offset}`);
      }
      const children: number[] = [];
      for (let i = 0; i < entryCount; i++) {
        const at = i * entrySize;
        if (level > 0) {
          children.push(header.ansi ? page.readUInt32LE(at + 8) : Number(page.readBigUInt64LE(at + 16)));
        } else {
          const bid = header.ansi ? page.readUInt32LE(at) : Number(page.readBigUInt64LE(at) & 0xffffffffn);
          const blockOffset = header.ansi ? page.readUInt32LE(at + 4) : Number(page.readBigUInt64LE(at + 8));
          const size = header.ansi ? page.readUInt16LE(at + 8) : page.readUInt16LE(at + 16);
          entries.push({ offset: blockOffset, size, bid: bid >>> 0, internal: (bid & 0x2) !== 0 });
        }
      }
      for (const child of children) walk(child, level - 1, depth + 1);
    };
    walk(header.bbtOffset, undefined, 0);
    entries.sort((a, b) => a.offset - b.offset);
    map.count = entries.length;
    map.offsets = Float64Array.from(entries, (e) => e.offset);
    map.sizes = Uint32Array.from(entries, (e) => e.size);
    map.keys = Uint32Array.from(entries, (e) => e.bid);
    map.internal = Uint8Array.from(entries, (e) => (e.internal ? 1 : 0));
    return map;
  }

  /** Index of the last block starting at or before `position`, or -1. */
  private find(position: number): number {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if ((this.offsets[mid] as number) <= position) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  }

  /** Decodes, in place, the parts of `data` (read from `position`) that belong to encrypted data blocks. */
  decode(method: number, data: Uint8Array, offset: number, length: number, position: number): void {
    if (method === cryptNone || length <= 0) return;
    let index = this.find(position);
    if (index < 0) index = 0;
    for (; index < this.count; index++) {
      const start = this.offsets[index] as number;
      if (start >= position + length) break;
      const end = start + (this.sizes[index] as number);
      if (end <= position || this.internal[index]) continue;
      const from = Math.max(start, position);
      const to = Math.min(end, position + length);
      decodeBlockBytes(method, this.keys[index] as number, data, offset + (from - position), offset + (to - position), from - start);
    }
  }
}

function pageLayout(header: PstHeader): { ptype: number; count: number; entrySize: number; level: number; wideCount: boolean } {
  if (header.pageSize === 4096) return { ptype: 4072, count: 4056, entrySize: 4060, level: 4061, wideCount: true };
  if (header.ansi) return { ptype: 500, count: 496, entrySize: 498, level: 499, wideCount: false };
  return { ptype: 496, count: 488, entrySize: 490, level: 491, wideCount: false };
}
