import type { PstHeader } from './header.js';
import type { PagedFile } from './paged-file.js';

/**
 * Lookups in the node and block b-trees ([MS-PST] 2.2.2.7). Replaces pst-extractor's findBtreeItem,
 * which compares 32-bit keys as strings (so it cannot read ANSI files at all), reads byte by byte,
 * and follows a damaged page's pointers forever. Returns the raw leaf entry, the shape the library parses.
 */
export class BTreeIndex {
  private readonly page: Buffer;
  private readonly cache = new Map<string, Buffer>();
  private readonly layout: { ptype: number; count: number; entrySize: number; level: number; wide: boolean };

  constructor(
    private readonly file: PagedFile,
    private readonly header: PstHeader,
  ) {
    this.page = Buffer.alloc(header.pageSize);
    if (header.pageSize === 4096) this.layout = { ptype: 4072, count: 4056, entrySize: 4060, level: 4061, wide: true };
    else if (header.ansi) this.layout = { ptype: 500, count: 496, entrySize: 498, level: 499, wide: false };
    else this.layout = { ptype: 496, count: 488, entrySize: 490, level: 491, wide: false };
  }

  /** `nodes` true: the node b-tree (NBT), keyed by node id; false: the block b-tree (BBT), keyed by block id. */
  find(key: bigint, nodes: boolean): Buffer | undefined {
    const cacheKey = `${nodes ? 'n' : 'b'}${key}`;
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const found = this.search(key, nodes);
    if (found) {
      this.cache.set(cacheKey, found);
      if (this.cache.size > 8192) {
        const oldest = this.cache.keys().next().value;
        if (oldest !== undefined) this.cache.delete(oldest);
      }
    }
    return found;
  }

  /** Node ids in the node b-tree, in order, up to `limit` (bounded walk: a damaged tree cannot loop). */
  nodeIds(limit: number): number[] {
    const { header, layout } = this;
    const found: number[] = [];
    const page = Buffer.alloc(header.pageSize);
    let pages = 0;
    const walk = (offset: number, depth: number): void => {
      if (found.length >= limit || depth > 12 || ++pages > 4096) return;
      if (offset <= 0 || offset + header.pageSize > this.file.size) return;
      this.file.read(page, 0, header.pageSize, offset);
      if (page[layout.ptype] !== 0x81) return;
      const count = layout.wide ? page.readUInt16LE(layout.count) : (page[layout.count] ?? 0);
      const entrySize = page[layout.entrySize] ?? 0;
      const level = page[layout.level] ?? 0;
      if (entrySize === 0 || count * entrySize > layout.count) return;
      const children: number[] = [];
      for (let i = 0; i < count && found.length < limit; i++) {
        const at = i * entrySize;
        if (level > 0) children.push(header.ansi ? page.readUInt32LE(at + 8) : Number(page.readBigUInt64LE(at + 16)));
        else found.push(page.readUInt32LE(at));
      }
      for (const child of children) walk(child, depth + 1);
    };
    walk(header.nbtOffset, 0);
    return found;
  }

  private search(key: bigint, nodes: boolean): Buffer | undefined {
    const { header, layout, page } = this;
    const ansi = header.ansi;
    // Block ids: bit 0 is reserved and not part of the key.
    const wanted = nodes ? key & 0xffffffffn : key & ~1n;
    let offset = nodes ? header.nbtOffset : header.bbtOffset;
    let expectedLevel: number | undefined;
    for (let depth = 0; depth < 16; depth++) {
      if (offset <= 0 || offset + header.pageSize > this.file.size) return undefined;
      if (this.file.read(page, 0, header.pageSize, offset) < header.pageSize) return undefined;
      if (page[layout.ptype] !== (nodes ? 0x81 : 0x80)) return undefined;
      const count = layout.wide ? page.readUInt16LE(layout.count) : (page[layout.count] ?? 0);
      const entrySize = page[layout.entrySize] ?? 0;
      const level = page[layout.level] ?? 0;
      if (entrySize === 0 || count * entrySize > layout.count) return undefined;
      if (expectedLevel !== undefined && level !== expectedLevel) return undefined;
      const keyAt = (at: number): bigint => {
        if (ansi) return BigInt(nodes ? page.readUInt32LE(at) : page.readUInt32LE(at) & ~1);
        const value = page.readBigUInt64LE(at);
        return nodes ? value & 0xffffffffn : value & ~1n;
      };
      if (level > 0) {
        // Last entry whose key is <= the wanted key.
        let chosen = -1;
        for (let i = 0; i < count; i++) {
          if (keyAt(i * entrySize) <= wanted) chosen = i;
          else break;
        }
        if (chosen < 0) return undefined;
        const at = chosen * entrySize;
        offset = ansi ? page.readUInt32LE(at + 8) : Number(page.readBigUInt64LE(at + 16));
        expectedLevel = level - 1;
        continue;
      }
      for (let i = 0; i < count; i++) {
        if (keyAt(i * entrySize) === wanted) return Buffer.from(page.subarray(i * entrySize, (i + 1) * entrySize));
      }
      return undefined;
    }
    return undefined;
  }
}
