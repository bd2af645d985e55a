import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

import { PSTFile } from 'pst-extractor';
import { NodeMap } from 'pst-extractor/dist/NodeMap.class.js';
import { PSTMessageStore } from 'pst-extractor/dist/PSTMessageStore.class.js';
import { PSTNodeInputStream } from 'pst-extractor/dist/PSTNodeInputStream.class.js';
import { NodeInfo } from 'pst-extractor/dist/NodeInfo.class.js';
import { PSTTable } from 'pst-extractor/dist/PSTTable.class.js';
import { PSTTableBC } from 'pst-extractor/dist/PSTTableBC.class.js';
import { PSTTable7C } from 'pst-extractor/dist/PSTTable7C.class.js';
import { PSTUtil } from 'pst-extractor/dist/PSTUtil.class.js';
import { PSTMessage } from 'pst-extractor';
import type { PSTFolder } from 'pst-extractor';

import { CloudwardError, toCloudwardError } from '../../../contract/index.js';
import { parseHeader, type PstHeader } from './header.js';
import { BlockMap, PagedFile } from './paged-file.js';
import { BTreeIndex } from './btree.js';
import { bagOf, binary, bytesOf, charsetFor, int, type PropertyBag } from './properties.js';

// The exact copy of `long` that pst-extractor uses, so its own instanceof checks hold.
const requireFromLibrary = createRequire(createRequire(import.meta.url).resolve('pst-extractor'));
const Long = requireFromLibrary('long') as typeof import('long').default;

/** Reads one open operation may make before we call the structure looping (damaged b-tree, cyclic subnodes). */
const defaultReadBudget = 2_000_000;

interface FileHooks {
  view: PagedFile;
  header: PstHeader;
  /** Only for high (cyclic) encryption, which the library refuses: it decodes compressible files itself. */
  blocks: BlockMap | undefined;
  btree: BTreeIndex;
  budget: number;
}

let constructing: FileHooks | undefined;
const hooksOf = new WeakMap<object, FileHooks>();

/**
 * pst-extractor's PSTFile, fed through our reader instead of its own: every read goes through a bounded
 * page cache on one file descriptor; data blocks are decoded here with their own block id (so "high"
 * encryption works, and the library sees an unencrypted file); XBLOCK lengths are checked against the
 * file before the library allocates them; and a read budget turns a looping damaged structure into an error.
 */
class HookedPstFile extends PSTFile {
  constructor(hooks: FileHooks) {
    constructing = hooks;
    try {
      // An empty buffer keeps the library from opening the file itself; readSync below serves every read.
      super(Buffer.alloc(0));
    } finally {
      constructing = undefined;
    }
    hooksOf.set(this, hooks);
  }
}

function hooksFor(file: object): FileHooks {
  const hooks = hooksOf.get(file) ?? constructing;
  if (!hooks) throw new Error('PST reader used without its hooks');
  if (--hooks.budget < 0) {
    throw new CloudwardError('SOURCE_UNREADABLE', `${hooks.view.path}: damaged structure (the reader went in circles)`);
  }
  return hooks;
}

function hookedReadSync(this: object, buffer: Buffer, length: number, position: number): number {
  const hooks = hooksFor(this);
  const got = hooks.view.read(buffer, 0, length, position);
  if (got < length) buffer.fill(0, got, length);
  if (hooks.blocks) {
    // High encryption: hide it from the library (which refuses it) and decode each block with its key.
    const cryptByte = hooks.header.ansi ? 461 : 513;
    if (position <= cryptByte && position + length > cryptByte) buffer[cryptByte - position] = 0;
    hooks.blocks.decode(hooks.header.cryptMethod, buffer, 0, got, position);
  }
  return length;
}
(HookedPstFile.prototype as unknown as { readSync: typeof hookedReadSync }).readSync = hookedReadSync;

/** The library reads b-tree pages one byte at a time, through a fresh one-byte buffer each: serve those from the page cache. */
function hookedRead(this: { position: number }, position?: number): number {
  const hooks = hooksFor(this);
  const at = position ? position : this.position;
  let value = hooks.view.byteAt(at);
  if (hooks.blocks && value >= 0) {
    const one = Uint8Array.of(value);
    hooks.blocks.decode(hooks.header.cryptMethod, one, 0, 1, at);
    value = one[0] ?? 0;
  }
  this.position = at + (value >= 0 ? 1 : 0);
  return value < 0 ? 0 : value;
}
(HookedPstFile.prototype as unknown as { read: typeof hookedRead }).read = hookedRead;

/**
 * The library copies every byte of every attachment through a JavaScript loop ("TODO FIX THIS - TOO
 * SLOW", says its source) and decodes compressible blocks the same way: the same, with Buffer.copy and a
 * typed table.
 */
const util = PSTUtil as unknown as {
  arraycopy(src: Buffer, srcPos: number, dest: Buffer, destPos: number, length: number): void;
  decode(data: Buffer): Buffer;
  compEnc: number[];
};
const decodeTable = Uint8Array.from(util.compEnc);
util.arraycopy = (src, srcPos, dest, destPos, length) => {
  const available = Math.max(0, Math.min(length, src.length - srcPos, dest.length - destPos));
  if (available > 0) src.copy(dest, destPos, srcPos, srcPos + available);
  if (available < length && destPos + available < dest.length) dest.fill(0, destPos + available, Math.min(dest.length, destPos + length));
};
util.decode = (data) => {
  for (let i = 0; i < data.length; i++) data[i] = decodeTable[data[i] as number] as number;
  return data;
};

/**
 * The library's readCompletely loops until the target is full, but at the end of a stream its reads
 * return 0 instead of -1 (it compares Long objects with ==), so a damaged length spins forever without
 * reading the file. Here: small nodes are copied straight from the node's buffer, and a read that
 * makes no progress ends in an error.
 */
const inputPrototype = PSTNodeInputStream.prototype as unknown as {
  readCompletely(this: NodeStreamInternals, target: Buffer): void;
};
const endOfStream = 'PSTNodeInputStream::readCompletely unexpected EOF encountered attempting to read from PSTInputStream';
interface NodeStreamInternals {
  readFromOffset(target: Buffer, offset: number, length: number): number;
  allData: Buffer | null;
  _encrypted: boolean;
  _currentLocation: { toNumber(): number; add(n: number): unknown };
}
inputPrototype.readCompletely = function (this: NodeStreamInternals, target: Buffer): void {
  if (this.allData === null) {
    readBlocksCompletely(this as BlockStreamInternals, target);
    return;
  }
  const start = this._currentLocation.toNumber();
  if (start + target.length > this.allData.length) throw new Error(endOfStream);
  this.allData.copy(target, 0, start, start + target.length);
  if (this._encrypted) util.decode(target);
  this._currentLocation = this._currentLocation.add(target.length) as NodeStreamInternals['_currentLocation'];
};

/**
 * Streams that span several blocks: the library reads them through a fresh zero-filled buffer per call
 * and per block, copies each twice, and does its position arithmetic in Long. The same reads, straight
 * from the file into the target.
 */
interface BlockStreamInternals extends NodeStreamInternals {
  _length: { toNumber(): number };
  _pstFile: { readSync(buffer: Buffer, length: number, position: number): number; position: number };
  indexItems: { fileOffset: { toNumber(): number }; size: number }[];
  skipPoints: { toNumber(): number }[];
  currentBlock: number;
}
function readBlocksCompletely(stream: BlockStreamInternals, target: Buffer): void {
  let location = stream._currentLocation.toNumber();
  if (location + target.length > stream._length.toNumber()) throw new Error(endOfStream);
  const items = stream.indexItems;
  let block = Math.max(0, Math.min(stream.currentBlock, items.length - 1));
  let filled = 0;
  while (filled < target.length) {
    let item = items[block];
    let skip = stream.skipPoints[block]?.toNumber();
    if (!item || skip === undefined) throw new Error(endOfStream);
    if (location >= skip + item.size && block + 1 < items.length) {
      block++;
      continue;
    }
    if (location < skip) {
      // Only a damaged skip list gets here: find the block from the start.
      block = 0;
      item = items[0];
      skip = stream.skipPoints[0]?.toNumber();
      if (!item || skip === undefined || location < skip) throw new Error(endOfStream);
      continue;
    }
    const inBlock = location - skip;
    const count = Math.min(target.length - filled, item.size - inBlock);
    if (count <= 0) throw new Error(endOfStream);
    const position = item.fileOffset.toNumber() + inBlock;
    stream._pstFile.readSync(target.subarray(filled, filled + count), count, position);
    stream._pstFile.position = position + count;
    filled += count;
    location += count;
  }
  stream.currentBlock = block;
  if (stream._encrypted) util.decode(target);
  stream._currentLocation = Long.fromNumber(location) as unknown as NodeStreamInternals['_currentLocation'];
}

/** A little-endian integer of up to 8 bytes, without a Long operation per byte. */
const utilLong = PSTUtil as unknown as { convertLittleEndianBytesToLong(data: Uint8Array, start?: number, end?: number): unknown };
const convertBytesToLong = utilLong.convertLittleEndianBytesToLong;
utilLong.convertLittleEndianBytesToLong = (data, start, end) => {
  const from = start ? start : 0;
  const to = end ? end : data.length;
  if (to - from > 8 || to - from < 1 || to > data.length) return convertBytesToLong.call(PSTUtil, data, start, end);
  let low = 0;
  let high = 0;
  for (let i = from; i < to; i++) {
    const shift = (i - from) * 8;
    if (shift < 32) low |= (data[i] as number) << shift;
    else high |= (data[i] as number) << (shift - 32);
  }
  return Long.fromBits(low, high);
};

/** seekAndReadLong allocates a buffer and goes through the stream for every 2-, 4- or 8-byte field. */
const seekPrototype = PSTNodeInputStream.prototype as unknown as {
  seekAndReadLong(this: NodeStreamInternals & { seek(location: unknown): void }, location: unknown, bytes: number): unknown;
};
const seekAndReadLong = seekPrototype.seekAndReadLong;
seekPrototype.seekAndReadLong = function (this: NodeStreamInternals & { seek(location: unknown): void }, location: unknown, bytes: number): unknown {
  const data = this.allData;
  if (data === null || bytes < 1 || bytes > 8) return seekAndReadLong.call(this, location, bytes);
  this.seek(location);
  const start = this._currentLocation.toNumber();
  if (start + bytes > data.length) throw new Error(endOfStream);
  let low = 0;
  let high = 0;
  for (let i = 0; i < bytes; i++) {
    let byte = data[start + i] as number;
    if (this._encrypted) byte = decodeTable[byte] as number;
    if (i < 4) low |= byte << (i * 8);
    else high |= byte << ((i - 4) * 8);
  }
  this._currentLocation = Long.fromNumber(start + bytes) as unknown as NodeStreamInternals['_currentLocation'];
  return Long.fromBits(low, high);
};

/**
 * Where a heap item (HNID) of a table lies ([MS-PST] 2.3.1): the library reads the four 16-bit fields
 * through seekAndReadLong (a Long and a seek each). The same, read straight from a one-block node; any
 * other case (subnode, several blocks, a field outside the data) goes to the library as before.
 */
interface TableInternals {
  pstNodeInputStream: NodeStreamInternals;
  subNodeDescriptorItems?: Map<number, unknown> | null;
  arrayBlocks: { toNumber(): number }[];
}
const tableBase = PSTTable.prototype as unknown as { getNodeInfo(this: TableInternals, hnid: number): unknown };
const getNodeInfo = tableBase.getNodeInfo;
tableBase.getNodeInfo = function (this: TableInternals, hnid: number): unknown {
  const stream = this.pstNodeInputStream;
  const data = stream.allData;
  if (hnid === 0 || (hnid & 0x1f) !== 0 || data === null || this.subNodeDescriptorItems?.has(hnid)) return getNodeInfo.call(this, hnid);
  const whichBlock = hnid >>> 16;
  if (whichBlock > this.arrayBlocks.length) return getNodeInfo.call(this, hnid);
  const blockOffset = whichBlock > 0 ? (this.arrayBlocks[whichBlock - 1] as { toNumber(): number }).toNumber() : 0;
  const index = (hnid & 0xffff) >> 5;
  const encrypted = stream._encrypted;
  const u16 = (at: number): number => {
    if (at < 0 || at + 2 > data.length) return -1;
    const low = data[at] as number;
    const high = data[at + 1] as number;
    return encrypted ? (decodeTable[low] as number) | ((decodeTable[high] as number) << 8) : low | (high << 8);
  };
  const pageMap = u16(blockOffset);
  const allocations = pageMap < 0 ? -1 : u16(pageMap + blockOffset);
  if (allocations < 0 || index >= allocations + 1) return getNodeInfo.call(this, hnid);
  const at = pageMap + blockOffset + 2 * index + 2;
  const start = u16(at);
  const end = u16(at + 2);
  if (start < 0 || end < 0) return getNodeInfo.call(this, hnid);
  return new NodeInfo(start + blockOffset, end + blockOffset, stream as unknown as PSTNodeInputStream);
};

/** Every table item starts with a fresh empty Buffer the parser then replaces: share one instead. */
const tableItemModule = requireFromLibrary('./PSTTableItem.class.js') as { PSTTableItem: { prototype: object } };
const noData = Buffer.alloc(0);
function SharedEmptyTableItem(this: Record<string, unknown>): void {
  this._itemIndex = 0;
  this._entryType = Long.ZERO;
  this._isExternalValueReference = false;
  this._entryValueReference = 0;
  this._entryValueType = 0;
  this._data = noData;
}
SharedEmptyTableItem.prototype = tableItemModule.PSTTableItem.prototype;
tableItemModule.PSTTableItem = SharedEmptyTableItem as unknown as { prototype: object };

/** PSTMessage re-parses its whole attachment (or recipient) table for every attachment it returns. */
const tablePrototype = PSTTable7C.prototype as unknown as {
  getItems(this: { allRows?: unknown }, start?: number, count?: number): unknown;
};
const getItems = tablePrototype.getItems;
tablePrototype.getItems = function (this: { allRows?: unknown }, start?: number, count?: number): unknown {
  if (start !== undefined || count !== undefined) return getItems.call(this, start, count);
  this.allRows ??= getItems.call(this);
  return this.allRows;
};

/**
 * An XBLOCK/XXBLOCK says how long the data it lists is; the library then allocates that much. Check
 * the claim against the file before anyone does (a damaged length would otherwise allocate gigabytes).
 */
const streamPrototype = PSTNodeInputStream.prototype as unknown as {
  loadFromOffsetItem(this: StreamInternals, item: unknown): void;
};
interface StreamInternals {
  _length: { toNumber(): number };
  _pstFile: object;
}
const loadFromOffsetItem = streamPrototype.loadFromOffsetItem;
streamPrototype.loadFromOffsetItem = function (this: StreamInternals, item: unknown): void {
  loadFromOffsetItem.call(this, item);
  const hooks = hooksOf.get(this._pstFile) ?? constructing;
  if (!hooks) return;
  const length = this._length.toNumber();
  const limit = hooks.header.format === 'OST' ? hooks.view.size * 64 : hooks.view.size;
  if (length > limit) {
    throw new CloudwardError('SOURCE_UNREADABLE', `${hooks.view.path}: damaged data tree (claims ${length} bytes)`);
  }
};

function hookedFindBtreeItem(this: object, index: { toString(): string }, descTree: boolean): Buffer {
  const hooks = hooksFor(this);
  // Long.toString builds the decimal string digit group by digit group: take its two halves instead.
  const long = index as unknown as { low?: number; high?: number };
  const key = typeof long.low === 'number' && typeof long.high === 'number'
    ? (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0)
    : BigInt(index.toString());
  const found = hooks.btree.find(key, descTree);
  if (!found) throw new Error(`${descTree ? 'node' : 'block'} ${index.toString()} is not in the index`);
  return found;
}
// The library's own name-to-id map is static, drops unknown GUIDs and its last entry, and fails on
// empty stores; PstStore.loadNamedProperties reads the map per file instead.
(HookedPstFile.prototype as unknown as { processNameToIDMap(): void }).processNameToIDMap = () => undefined;
(HookedPstFile.prototype as unknown as { findBtreeItem: typeof hookedFindBtreeItem }).findBtreeItem = hookedFindBtreeItem;

export interface NamedPropertyKey {
  guid: string;
  id: number | string;
}

/** An open PST: the library's objects plus what we know about the file. */
export class PstStore {
  readonly file: PSTFile;
  readonly header: PstHeader;
  readonly nodeMap: NodeMap;
  /** (GUID, LID or name) → property id in this file. */
  readonly named = new Map<string, number>();
  /** Code page of 8-bit strings that carry none of their own (ANSI files), when the store names one. */
  defaultCharset: string | undefined;
  private readonly hooks: FileHooks;

  private constructor(file: PSTFile, hooks: FileHooks, nodeMap: NodeMap) {
    this.file = file;
    this.hooks = hooks;
    this.header = hooks.header;
    this.nodeMap = nodeMap;
  }

  static open(path: string): PstStore {
    const view = new PagedFile(path);
    try {
      const headerBytes = Buffer.alloc(564);
      view.read(headerBytes, 0, 564, 0);
      const header = parseHeader(headerBytes.subarray(0, Math.min(564, view.size)), view.size, path);
      checkRootPages(view, header);
      const blocks = header.cryptMethod === 2 ? BlockMap.build(view, header) : undefined;
      const hooks: FileHooks = { view, header, blocks, btree: new BTreeIndex(view, header), budget: defaultReadBudget };
      // The library keeps its name-to-id map in a static: give every file its own and switch on use.
      const statics = PSTFile as unknown as { nodeMap: NodeMap };
      statics.nodeMap = new NodeMap();
      let file: PSTFile;
      try {
        file = new HookedPstFile(hooks);
      } catch (error) {
        throw wrap(error, path, 'cannot read the file structure');
      }
      const store = new PstStore(file, hooks, statics.nodeMap);
      store.loadNamedProperties();
      const storeBag = bagOf(store.messageStore());
      store.defaultCharset = charsetFor(int(storeBag, 0x66c3) ?? int(storeBag, 0x3ffd) ?? int(storeBag, 0x3fde));
      if (!store.defaultCharset && header.ansi) store.defaultCharset = store.sampleCharset();
      return store;
    } catch (error) {
      view.close();
      throw error;
    }
  }

  get path(): string {
    return this.hooks.view.path;
  }

  get size(): number {
    return this.hooks.view.size;
  }

  /** Makes this file the library's current one (its static name map) and refills the read budget. */
  activate(budget = defaultReadBudget): void {
    (PSTFile as unknown as { nodeMap: NodeMap }).nodeMap = this.nodeMap;
    this.hooks.budget = budget;
  }

  messageStore(): PSTMessageStore {
    this.activate();
    try {
      return new PSTMessageStore(this.file, this.file.getDescriptorIndexNode(Long.fromNumber(0x21)));
    } catch (error) {
      throw wrap(error, this.path, 'cannot read the message store');
    }
  }

  rootFolder(): PSTFolder {
    this.activate();
    try {
      return this.file.getRootFolder();
    } catch (error) {
      throw wrap(error, this.path, 'cannot read the root folder');
    }
  }

  /**
   * Messages read while walking a folder, kept until their item is loaded (the pipeline loads soon
   * after it is offered), so a message's tables are not parsed twice. Bounded; taken out on use.
   */
  private readonly recent = new Map<number, PSTMessage>();

  remember(nid: number, message: PSTMessage): void {
    this.recent.set(nid, message);
    if (this.recent.size > 32) {
      const oldest = this.recent.keys().next().value;
      if (oldest !== undefined) this.recent.delete(oldest);
    }
  }

  /** The remembered message, or a fresh read. */
  take(nid: number): PSTMessage {
    const kept = this.recent.get(nid);
    if (kept) {
      this.recent.delete(nid);
      this.activate();
      return kept;
    }
    return this.message(nid);
  }

  /** One message by node id, always as a plain PSTMessage: we read its properties ourselves. */
  message(nid: number): PSTMessage {
    this.activate();
    // Given only the node, the library reads its property table and subnodes once (given a table as
    // well, it would read the node anyway and then use the table: twice the work).
    return new PSTMessage(this.file, this.file.getDescriptorIndexNode(Long.fromNumber(nid)));
  }

  /**
   * ANSI files keep 8-bit strings in the writer's code page and say so only on messages: take the code
   * page the first messages name (folder names and the like were written with the same one).
   */
  private sampleCharset(): string | undefined {
    const counts = new Map<string, number>();
    let sampled = 0;
    for (const nid of this.hooks.btree.nodeIds(5000)) {
      if ((nid & 0x1f) !== 0x04) continue;
      if (++sampled > 12) break;
      try {
        const bag = bagOf(this.message(nid));
        const charset = bag.charset;
        if (charset) counts.set(charset, (counts.get(charset) ?? 0) + 1);
        // Three messages that agree are enough.
        if (charset && (counts.get(charset) ?? 0) >= 3) break;
      } catch {
        continue;
      }
    }
    let best: string | undefined;
    for (const [charset, count] of counts) if (!best || count > (counts.get(best) ?? 0)) best = charset;
    return best;
  }

  /**
   * The message inside an "embedded message" attachment (attach method 5). The library returns null
   * for these whenever the attachment has no node of its own, which is always: read the subnode here.
   */
  embeddedMessage(attachment: object, parent: PSTMessage): PSTMessage | undefined {
    this.activate();
    const a = attachment as { pstTableItems?: Map<number, { entryValueType: number; data: Buffer }>; localDescriptorItems?: Map<number, { subNodeOffsetIndexIdentifier: number }> | null };
    const item = a.pstTableItems?.get(0x3701);
    if (!item || item.entryValueType !== 0x000d || item.data.length < 4) return undefined;
    const nested = a.localDescriptorItems?.get(item.data.readUInt32LE(0));
    if (!nested) return undefined;
    const stream = new PSTNodeInputStream(this.file, nested as never);
    const table = new PSTTableBC(stream);
    const local = nested.subNodeOffsetIndexIdentifier > 0
      ? this.file.getPSTDescriptorItems(Long.fromNumber(nested.subNodeOffsetIndexIdentifier))
      : undefined;
    // No node of its own: passing the parent's would make the library parse the parent again.
    void parent;
    return new PSTMessage(this.file, null as never, table, local);
  }

  /** Where a node's main data block lies in the file (for diagnostics and damage tests). */
  dataBlockOf(nid: number): { offset: number; size: number } {
    this.activate();
    const node = this.file.getDescriptorIndexNode(Long.fromNumber(nid));
    const block = this.file.getOffsetIndexNode(node.dataOffsetIndexIdentifier);
    return { offset: block.fileOffset.toNumber(), size: block.size };
  }

  /** The record key of the store: distinct per PST file, stable across runs. */
  recordKey(): string {
    const key = binary(bagOf(this.messageStore()), 0x0ff9);
    return key && key.length > 0 ? key.toString('hex') : createHash('sha256').update(this.path).digest('hex').slice(0, 32);
  }

  namedId(guid: string, id: number | string): number | undefined {
    return this.named.get(`${guid}:${id}`);
  }

  /** The name-to-id map ([MS-PST] 2.4.7), read per file with full GUIDs (the library drops unknown GUIDs). */
  private loadNamedProperties(): void {
    this.activate();
    try {
      const node = this.file.getDescriptorIndexNode(Long.fromNumber(0x61));
      const local = node.localDescriptorsOffsetIndexIdentifier.toNumber() !== 0
        ? this.file.getPSTDescriptorItems(node.localDescriptorsOffsetIndexIdentifier)
        : undefined;
      const stream = new PSTNodeInputStream(this.file, this.file.getOffsetIndexNode(node.dataOffsetIndexIdentifier));
      const table = new PSTTableBC(stream);
      const bag: PropertyBag = { items: table.getItems(), local };
      const guids = bytesOf(bag, 0x0002) ?? Buffer.alloc(0);
      const entries = bytesOf(bag, 0x0003) ?? Buffer.alloc(0);
      const strings = bytesOf(bag, 0x0004) ?? Buffer.alloc(0);
      for (let at = 0; at + 8 <= entries.length; at += 8) {
        const value = entries.readUInt32LE(at);
        const guidField = entries.readUInt16LE(at + 4);
        const propId = 0x8000 + entries.readUInt16LE(at + 6);
        const guidIndex = guidField >>> 1;
        let guid: string;
        if (guidIndex === 1) guid = psMapi;
        else if (guidIndex === 2) guid = psPublicStrings;
        else {
          const start = (guidIndex - 3) * 16;
          if (start + 16 > guids.length) continue;
          guid = guidString(guids.subarray(start, start + 16));
        }
        if ((guidField & 1) === 0) {
          this.named.set(`${guid}:${value}`, propId);
        } else if (value + 4 <= strings.length) {
          const length = strings.readUInt32LE(value);
          if (value + 4 + length > strings.length) continue;
          const name = strings.toString('utf16le', value + 4, value + 4 + length);
          this.named.set(`${guid}:${name}`, propId);
        }
      }
    } catch (error) {
      // A store without a readable name map still has its mail; named properties are simply absent.
      if (error instanceof CloudwardError && /went in circles/.test(error.message)) throw error;
    }
  }

  close(): void {
    this.recent.clear();
    this.hooks.view.close();
  }
}

/** The roots of both b-trees must be b-tree pages of their kind: a cheap early check of a damaged file. */
function checkRootPages(view: PagedFile, header: PstHeader): void {
  const page = Buffer.alloc(header.pageSize);
  const ptypeAt = header.pageSize === 4096 ? 4072 : header.ansi ? 500 : 496;
  for (const [offset, ptype, what] of [
    [header.bbtOffset, 0x80, 'block index'],
    [header.nbtOffset, 0x81, 'node index'],
  ] as const) {
    if (view.read(page, 0, header.pageSize, offset) < header.pageSize || page[ptypeAt] !== ptype || page[ptypeAt + 1] !== ptype) {
      throw new CloudwardError('SOURCE_UNREADABLE', `${view.path}: damaged ${what} (its root page at ${offset} is not a b-tree page)`);
    }
  }
}

export const psMapi = '00020328-0000-0000-C000-000000000046';
export const psPublicStrings = '00020329-0000-0000-C000-000000000046';
export const psetidAppointment = '00062002-0000-0000-C000-000000000046';
export const psetidTask = '00062003-0000-0000-C000-000000000046';
export const psetidAddress = '00062004-0000-0000-C000-000000000046';
export const psetidCommon = '00062008-0000-0000-C000-000000000046';
export const psetidLog = '0006200A-0000-0000-C000-000000000046';
export const psetidNote = '0006200E-0000-0000-C000-000000000046';

export function guidString(bytes: Uint8Array): string {
  const b = Buffer.from(bytes);
  const hex = (from: number, to: number): string => b.subarray(from, to).toString('hex');
  return [
    b.readUInt32LE(0).toString(16).padStart(8, '0'),
    b.readUInt16LE(4).toString(16).padStart(4, '0'),
    b.readUInt16LE(6).toString(16).padStart(4, '0'),
    hex(8, 10),
    hex(10, 16),
  ]
    .join('-')
    .toUpperCase();
}

export function wrap(error: unknown, path: string, what: string): CloudwardError {
  if (error instanceof CloudwardError) return error;
  const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return toCloudwardError(new CloudwardError('SOURCE_UNREADABLE', `${path}: ${what} (${detail})`, { cause: error }));
}
