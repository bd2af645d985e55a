/**
 * The autocomplete stream shared by Outlook 2003/2007 NK2 files (major version 10) and Outlook 2010+
 * (major version 12: RoamCache `Stream_Autocomplete_*.dat` and the mailbox's IPM.Configuration.Autocomplete
 * item). Layout per Microsoft's "Autocomplete Stream" page and shared/docs/formats.md; little-endian.
 *
 * Properties keep their 16-byte header verbatim (the reserved word and the union are junk for variable
 * types in real files) and variable values as raw bytes, so reading then writing reproduces a file.
 */

export const STREAM_MAGIC = 0xbaadf00d;
export const NK2_MAJOR = 10;
export const STREAM_MAJOR = 12;

export interface AutocompleteProperty {
  /** Low 16 bits the type, high 16 bits the id. */
  readonly tag: number;
  /** The 4 bytes after the tag and the 8-byte value union, as found (16-byte header minus the tag). */
  readonly header: Uint8Array;
  /** Variable-size value (STRING8, UNICODE, BINARY): the bytes after the length prefix, NUL included. */
  readonly value?: Uint8Array;
  /** Multi-valued properties: each item's bytes. */
  readonly values?: readonly Uint8Array[];
}

export interface AutocompleteRow {
  readonly properties: readonly AutocompleteProperty[];
}

export interface AutocompleteFile {
  readonly major: number;
  readonly minor: number;
  readonly rows: readonly AutocompleteRow[];
  /** The footer's extra-info bytes (empty in every known file); a writer keeps them. */
  readonly extraInfo: Uint8Array;
  /** The footer's last 8 bytes (a FILETIME of the last write in every known file). */
  readonly metadata: Uint8Array;
  /** Bytes after the footer: leftovers of an earlier, longer write. Never written back. */
  readonly trailing: Uint8Array;
}

export const PropType = {
  NULL: 0x0001,
  I2: 0x0002,
  LONG: 0x0003,
  R4: 0x0004,
  DOUBLE: 0x0005,
  CURRENCY: 0x0006,
  APPTIME: 0x0007,
  ERROR: 0x000a,
  BOOLEAN: 0x000b,
  I8: 0x0014,
  STRING8: 0x001e,
  UNICODE: 0x001f,
  SYSTIME: 0x0040,
  CLSID: 0x0048,
  BINARY: 0x0102,
  MV_FLAG: 0x1000,
} as const;

/** Types whose value lives in the 8-byte union (no data after the header). */
export const fixedTypes: ReadonlySet<number> = new Set([
  PropType.NULL,
  PropType.I2,
  PropType.LONG,
  PropType.R4,
  PropType.DOUBLE,
  PropType.CURRENCY,
  PropType.APPTIME,
  PropType.ERROR,
  PropType.BOOLEAN,
  PropType.I8,
  PropType.SYSTIME,
]);

/** Types followed by a u32 byte count and that many bytes. */
export const variableTypes: ReadonlySet<number> = new Set([PropType.STRING8, PropType.UNICODE, PropType.BINARY]);

export const Tag = {
  NICK_NAME_W: 0x6001001f,
  NEW_NICK_NAME: 0x6002000b,
  DROPDOWN_DISPLAY_NAME_W: 0x6003001f,
  NICK_NAME_WEIGHT: 0x60040003,
  DISPLAY_NAME_W: 0x3001001f,
  /** PidTagRecipientDisplayName (MS-OXPROPS): the bare name, without the address Outlook appends. */
  RECIPIENT_DISPLAY_NAME_W: 0x5ff6001f,
  DISPLAY_NAME_A: 0x3001001e,
  ADDRTYPE_W: 0x3002001f,
  EMAIL_ADDRESS_W: 0x3003001f,
  EMAIL_ADDRESS_A: 0x3003001e,
  SEARCH_KEY: 0x300b0102,
  SMTP_ADDRESS_W: 0x39fe001f,
  SMTP_ADDRESS_A: 0x39fe001e,
  ENTRYID: 0x0fff0102,
  OBJECT_TYPE: 0x0ffe0003,
  DISPLAY_TYPE: 0x39000003,
} as const;

export function propertyType(tag: number): number {
  return tag & 0xffff;
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}
