import { CloudwardError } from '../../contract/index.js';
import {
  type AutocompleteFile,
  type AutocompleteProperty,
  type AutocompleteRow,
  fixedTypes,
  hex,
  PropType,
  propertyType,
  STREAM_MAGIC,
  variableTypes,
} from './stream-format.js';

const PROPERTY_HEADER = 16;
const CLSID_BYTES = 16;
/**
 * Outlook keeps at most about a thousand entries of some 25 properties each; these caps sit twenty times
 * above that and stop a small hostile file (16 bytes per property) from costing gigabytes of objects.
 */
export const MAX_ROWS = 20_000;
export const MAX_PROPERTIES = 500_000;

/**
 * A bounds-checked cursor. Every count and length is checked against the bytes that remain before
 * anything is allocated or looped over, so a lying length cannot cause a huge allocation or a long loop.
 */
class Cursor {
  offset = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(what: string, at = this.offset): never {
    throw new CloudwardError('FORMAT_INVALID', `${this.label}: ${what} at offset ${at} (0x${at.toString(16)})`);
  }

  u32(what: string): number {
    if (this.remaining < 4) this.fail(`truncated: ${what} needs 4 bytes, ${this.remaining} left`);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  take(length: number, what: string): Uint8Array {
    if (length > this.remaining) this.fail(`${what} says ${length} bytes but only ${this.remaining} remain`);
    // A view, not a copy: one allocation per property would make a hostile file of tiny properties slow.
    const slice = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  /** A count of things each at least `minBytes` long must fit in what remains. */
  count(what: string, minBytes: number): number {
    const at = this.offset;
    const value = this.u32(what);
    if (value * minBytes > this.remaining) this.fail(`${what} ${value} cannot fit in the ${this.remaining} bytes left`, at);
    return value;
  }
}

export interface ReadOptions {
  /** Names the file in error messages. */
  label?: string;
}

/**
 * Reads an NK2 file, an Outlook 2010+ autocomplete .dat file or a mailbox's autocomplete blob.
 * Throws FORMAT_INVALID (with the offset) for anything that is not one; tolerates trailing bytes.
 */
export function readAutocompleteFile(bytes: Uint8Array, options: ReadOptions = {}): AutocompleteFile {
  const cursor = new Cursor(bytes, options.label ?? 'autocomplete stream');
  if (bytes.length < 12) cursor.fail(`too short for a header (${bytes.length} bytes)`, 0);
  const magic = cursor.u32('magic');
  if (magic !== STREAM_MAGIC) cursor.fail(`not an autocomplete file (magic ${hex(magic)}, expected 0xBAADF00D)`, 0);
  const major = cursor.u32('major version');
  const minor = cursor.u32('minor version');
  // Outlook 2003/2007 write 10, Outlook 2010+ 12; others are not known to exist.
  if (major !== 10 && major !== 12) cursor.fail(`unknown major version ${major}`, 4);
  const rowCount = cursor.count('row count', 4);
  if (rowCount > MAX_ROWS) cursor.fail(`row count ${rowCount} is more than any Outlook list holds (limit ${MAX_ROWS})`, 12);
  const rows: AutocompleteRow[] = [];
  let properties = 0;
  for (let index = 0; index < rowCount; index += 1) {
    const row = readRow(cursor, index);
    properties += row.properties.length;
    if (properties > MAX_PROPERTIES) cursor.fail(`more than ${MAX_PROPERTIES} properties in all (row ${index})`);
    rows.push(row);
  }
  const extraInfo = cursor.take(cursor.u32('extra-info length'), 'extra-info length');
  const metadata = cursor.take(8, 'footer metadata');
  const trailing = cursor.bytes.subarray(cursor.offset);
  return { major, minor, rows, extraInfo, metadata, trailing };
}

function readRow(cursor: Cursor, index: number): AutocompleteRow {
  const count = cursor.count(`row ${index} property count`, PROPERTY_HEADER);
  const properties: AutocompleteProperty[] = [];
  for (let property = 0; property < count; property += 1) properties.push(readProperty(cursor));
  return { properties };
}

function readProperty(cursor: Cursor): AutocompleteProperty {
  const start = cursor.offset;
  const tag = cursor.u32('property tag');
  const header = cursor.take(12, 'property header');
  const type = propertyType(tag);
  if (fixedTypes.has(type)) return { tag, header };
  if (variableTypes.has(type)) return { tag, header, value: cursor.take(cursor.u32('value length'), `property ${hex(tag)} length`) };
  // Microsoft's page: a CLSID is 16 bytes with no length prefix (libnk2 disagrees; no sample has one).
  if (type === PropType.CLSID) return { tag, header, value: cursor.take(CLSID_BYTES, `property ${hex(tag)} CLSID`) };
  if (type & PropType.MV_FLAG && variableTypes.has(type & ~PropType.MV_FLAG)) {
    const items = cursor.count(`property ${hex(tag)} value count`, 4);
    const values: Uint8Array[] = [];
    for (let item = 0; item < items; item += 1) values.push(cursor.take(cursor.u32('value length'), `property ${hex(tag)} value ${item} length`));
    return { tag, header, values };
  }
  return cursor.fail(`unsupported property type 0x${type.toString(16).padStart(4, '0')} (tag ${hex(tag)})`, start);
}
