import { type AutocompleteFile, type AutocompleteProperty, STREAM_MAGIC } from './stream-format.js';

/**
 * Writes an autocomplete file as read: same header, rows, properties (headers verbatim), extra-info and
 * footer metadata. Trailing bytes after the footer are not written (they are leftovers, not data).
 */
export function writeAutocompleteFile(file: AutocompleteFile): Uint8Array {
  let size = 12 + 4 + 4 + file.extraInfo.length + 8;
  for (const row of file.rows) {
    size += 4;
    for (const property of row.properties) size += propertySize(property);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let offset = 0;
  const u32 = (value: number): void => {
    view.setUint32(offset, value >>> 0, true);
    offset += 4;
  };
  const put = (bytes: Uint8Array): void => {
    out.set(bytes, offset);
    offset += bytes.length;
  };
  u32(STREAM_MAGIC);
  u32(file.major);
  u32(file.minor);
  u32(file.rows.length);
  for (const row of file.rows) {
    u32(row.properties.length);
    for (const property of row.properties) {
      u32(property.tag);
      put(property.header);
      if (property.values) {
        u32(property.values.length);
        for (const value of property.values) {
          u32(value.length);
          put(value);
        }
      } else if (property.value) {
        // CLSID values carry no length prefix (Microsoft's "Autocomplete Stream" page).
        if ((property.tag & 0xffff) !== 0x0048) u32(property.value.length);
        put(property.value);
      }
    }
  }
  u32(file.extraInfo.length);
  put(file.extraInfo);
  put(file.metadata.length === 8 ? file.metadata : new Uint8Array(8));
  return out;
}

function propertySize(property: AutocompleteProperty): number {
  if (property.values) return 16 + 4 + property.values.reduce((sum, value) => sum + 4 + value.length, 0);
  if (property.value) return 16 + ((property.tag & 0xffff) === 0x0048 ? 0 : 4) + property.value.length;
  return 16;
}
