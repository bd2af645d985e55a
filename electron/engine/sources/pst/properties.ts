import { isAscii } from 'node:buffer';

import iconv from 'iconv-lite';

/**
 * Typed access to any MAPI property of a pst-extractor object, including the ones its getters do not
 * expose (multi-valued, named, 64-bit). A bag is the object's property table plus its subnodes.
 */
export interface TableItem {
  entryValueType: number;
  entryValueReference: number;
  isExternalValueReference: boolean;
  data: Buffer;
}

export interface DescriptorItem {
  getData(): Buffer;
}

export interface PropertyBag {
  items: Map<number, TableItem> | null | undefined;
  local: Map<number, DescriptorItem> | null | undefined;
  /** Code page for 8-bit strings (PR_MESSAGE_CODEPAGE / PR_INTERNET_CPID), as an iconv name. */
  charset?: string;
}

export function bagOf(object: unknown, fallbackCharset?: string): PropertyBag {
  const o = object as { pstTableItems?: Map<number, TableItem>; localDescriptorItems?: Map<number, DescriptorItem> | null };
  const bag: PropertyBag = { items: o.pstTableItems ?? null, local: o.localDescriptorItems ?? null };
  // 8-bit strings are in the writer's Windows code page: PR_MESSAGE_CODEPAGE, else the one of the
  // message locale. PR_INTERNET_CPID names the MIME charset (e.g. iso-2022-jp), not the stored one.
  bag.charset = charsetFor(int(bag, 0x3ffd)) ?? charsetFor(codepageOfLocale(int(bag, 0x3ff1))) ?? fallbackCharset;
  return bag;
}

/** The ANSI code page Windows uses for a locale (LCID), by its primary language. */
export function codepageOfLocale(lcid: number | undefined): number | undefined {
  if (!lcid) return undefined;
  const language = lcid & 0x3ff;
  if (language === 0x04) return lcid === 0x0404 || lcid === 0x0c04 || lcid === 0x1404 ? 950 : 936;
  const table: Record<number, number> = {
    0x11: 932, 0x12: 949, 0x1e: 874, 0x2a: 1258,
    0x19: 1251, 0x22: 1251, 0x02: 1251, 0x23: 1251, 0x2f: 1251,
    0x15: 1250, 0x05: 1250, 0x1b: 1250, 0x0e: 1250, 0x24: 1250, 0x1a: 1250, 0x18: 1250, 0x1c: 1250,
    0x08: 1253, 0x1f: 1254, 0x0d: 1255, 0x01: 1256, 0x29: 1256, 0x25: 1257, 0x26: 1257, 0x27: 1257,
  };
  return table[language] ?? 1252;
}

export function charsetFor(codepage: number | undefined): string | undefined {
  if (!codepage) return undefined;
  if (codepage === 65001) return 'utf8';
  if (codepage === 1200) return 'utf16le';
  if (codepage === 20127) return 'ascii';
  if (codepage === 28591) return 'latin1';
  const name = codepage >= 28592 && codepage <= 28606 ? `iso-8859-${codepage - 28590}` : `cp${codepage}`;
  return iconv.encodingExists(name) ? name : undefined;
}

export function has(bag: PropertyBag, id: number): boolean {
  return bag.items?.has(id) ?? false;
}

export function typeOf(bag: PropertyBag, id: number): number | undefined {
  return bag.items?.get(id)?.entryValueType;
}

/** The raw value bytes of a variable-size property (heap or subnode). */
export function bytesOf(bag: PropertyBag, id: number): Buffer | undefined {
  const item = bag.items?.get(id);
  if (!item) return undefined;
  if (!item.isExternalValueReference) return item.data;
  const local = bag.local?.get(item.entryValueReference);
  if (!local) return item.data.length > 0 ? item.data : undefined;
  return local.getData();
}

export function int(bag: PropertyBag, id: number): number | undefined {
  const item = bag.items?.get(id);
  if (!item) return undefined;
  if (item.entryValueType === 0x0003 || item.entryValueType === 0x000b || item.entryValueType === 0x0002) {
    return item.entryValueReference | 0;
  }
  if (item.entryValueType === 0x0014 && item.data.length >= 8) return Number(item.data.readBigInt64LE(0));
  return undefined;
}

export function bool(bag: PropertyBag, id: number): boolean | undefined {
  const value = int(bag, id);
  return value === undefined ? undefined : value !== 0;
}

export function float(bag: PropertyBag, id: number): number | undefined {
  const item = bag.items?.get(id);
  if (!item) return undefined;
  if (item.entryValueType === 0x0005 && item.data.length >= 8) return item.data.readDoubleLE(0);
  if (item.entryValueType === 0x0004) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(item.entryValueReference | 0);
    return b.readFloatLE(0);
  }
  return undefined;
}

const filetimeEpochOffset = 11644473600000n;

export function filetimeToDate(value: bigint): Date | undefined {
  if (value <= 0n || value >= 0x7fffffffffffffffn) return undefined;
  const ms = value / 10000n - filetimeEpochOffset;
  // Outlook's "none" dates (4501-01-01) and anything beyond are not dates.
  if (ms > 8_000_000_000_000n || ms < -11_000_000_000_000n) return undefined;
  return new Date(Number(ms));
}

export function date(bag: PropertyBag, id: number): Date | undefined {
  const item = bag.items?.get(id);
  if (!item || item.entryValueType !== 0x0040) return undefined;
  const data = item.isExternalValueReference ? bytesOf(bag, id) : item.data;
  if (!data || data.length < 8) return undefined;
  return filetimeToDate(data.readBigUInt64LE(0));
}

/** Code pages whose first 128 byte values are ASCII (multi-byte ones like ISO-2022-JP are not: escapes). */
const asciiCompatible = /^(?:cp125\d|windows-?125\d|iso-?8859-\d+|latin1|ascii|us-ascii|utf-?8)$/i;

/** 8-bit text in a code page; text that is plain ASCII skips iconv (the result is the same). */
export function decodeBytes(data: Buffer, charset: string): string {
  if (asciiCompatible.test(charset) && isAscii(data)) return data.toString('latin1');
  return iconv.encodingExists(charset) ? iconv.decode(data, charset) : data.toString('latin1');
}

export function decodeString(data: Buffer, type: number, charset: string | undefined): string {
  let text: string;
  if ((type & 0x0fff) === 0x001f) {
    text = data.toString('utf16le', 0, data.length - (data.length % 2));
  } else {
    text = decodeBytes(data, charset ?? 'cp1252');
  }
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

export function str(bag: PropertyBag, id: number): string | undefined {
  const item = bag.items?.get(id);
  if (!item) return undefined;
  if (item.entryValueType !== 0x001f && item.entryValueType !== 0x001e) return undefined;
  const data = bytesOf(bag, id);
  if (!data) return '';
  return decodeString(data, item.entryValueType, bag.charset);
}

export function binary(bag: PropertyBag, id: number): Buffer | undefined {
  const item = bag.items?.get(id);
  if (!item || item.entryValueType !== 0x0102) return undefined;
  return bytesOf(bag, id);
}

/** Multi-valued strings or binaries ([MS-PST] 2.3.3.4.2: count, offsets, then the values). */
export function multi(bag: PropertyBag, id: number): (string | Buffer)[] {
  const item = bag.items?.get(id);
  if (!item) return [];
  const type = item.entryValueType;
  if (type !== 0x101f && type !== 0x101e && type !== 0x1102) return [];
  const data = bytesOf(bag, id);
  if (!data || data.length < 4) return [];
  const count = data.readUInt32LE(0);
  if (count > (data.length - 4) / 4) return [];
  const values: (string | Buffer)[] = [];
  for (let i = 0; i < count; i++) {
    const start = data.readUInt32LE(4 + i * 4);
    const end = i + 1 < count ? data.readUInt32LE(8 + i * 4) : data.length;
    if (start > end || end > data.length) return values;
    const slice = data.subarray(start, end);
    values.push(type === 0x1102 ? slice : decodeString(slice, type, bag.charset));
  }
  return values;
}

export function strings(bag: PropertyBag, id: number): string[] {
  const single = str(bag, id);
  if (single !== undefined) return single ? [single] : [];
  return multi(bag, id).filter((value): value is string => typeof value === 'string' && value.length > 0);
}
