import { type AutocompleteProperty, type AutocompleteRow, PropType, propertyType } from './stream-format.js';

const utf16 = new TextDecoder('utf-16le');
const ansi = new TextDecoder('windows-1252');

/** The first property with `tag` (a real NK2 repeats PR_NICK_NAME_W in a row: the first one counts). */
export function findProperty(row: AutocompleteRow, tag: number): AutocompleteProperty | undefined {
  return row.properties.find((property) => property.tag === tag);
}

export function decodeString(property: AutocompleteProperty | undefined): string | undefined {
  if (!property?.value) return undefined;
  const type = propertyType(property.tag);
  if (type !== PropType.UNICODE && type !== PropType.STRING8) return undefined;
  const text = type === PropType.UNICODE ? utf16.decode(property.value.subarray(0, property.value.length & ~1)) : ansi.decode(property.value);
  // Values carry their NUL terminator; anything after the first NUL is not part of the string.
  const nul = text.indexOf('\u0000');
  return nul === -1 ? text : text.slice(0, nul);
}

/** A LONG's value: the first 4 bytes of the union (bytes 4..8 of the stored header). */
export function decodeLong(property: AutocompleteProperty | undefined): number | undefined {
  if (!property || propertyType(property.tag) !== PropType.LONG) return undefined;
  return new DataView(property.header.buffer, property.header.byteOffset, property.header.byteLength).getInt32(4, true);
}

export function decodeBoolean(property: AutocompleteProperty | undefined): boolean | undefined {
  if (!property || propertyType(property.tag) !== PropType.BOOLEAN) return undefined;
  return (property.header[4] ?? 0) !== 0 || (property.header[5] ?? 0) !== 0;
}

export function encodeUnicode(text: string): Uint8Array {
  const out = new Uint8Array((text.length + 1) * 2);
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    out[index * 2] = code & 0xff;
    out[index * 2 + 1] = code >> 8;
  }
  return out;
}

export function encodeAnsi(text: string): Uint8Array {
  const out = new Uint8Array(text.length + 1);
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    out[index] = code < 0x100 ? code : 0x3f;
  }
  return out;
}

/** A property header (reserved word zero) with a LONG or BOOLEAN in the union. */
export function fixedHeader(value: number): Uint8Array {
  const header = new Uint8Array(12);
  new DataView(header.buffer).setInt32(4, value, true);
  return header;
}

export function withLong(property: AutocompleteProperty, value: number): AutocompleteProperty {
  // A fresh Uint8Array, never Buffer.slice(): a Buffer's slice shares (pooled) memory, so writing
  // through its .buffer at offset 4 would land elsewhere and the weight would silently not change.
  const header = new Uint8Array(property.header);
  new DataView(header.buffer, header.byteOffset, header.byteLength).setInt32(4, value, true);
  return { tag: property.tag, header };
}
