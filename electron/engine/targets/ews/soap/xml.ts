/**
 * XML text building for EWS requests. Requests are kept as a list of chunks (strings and
 * buffers) rather than one string, so a 100 MB MIME body is never concatenated into a giant
 * string (ews-javascript-api's 4–5× memory peak on large MIME, ews-graph.md §4).
 */
import type { BodyChunk } from '../../exchange/http-transport.js';

export const NS_SOAP = 'http://schemas.xmlsoap.org/soap/envelope/';
export const NS_TYPES = 'http://schemas.microsoft.com/exchange/services/2006/types';
export const NS_MESSAGES = 'http://schemas.microsoft.com/exchange/services/2006/messages';

/** A request body under construction; `bytes` is kept in step so Content-Length needs no join. */
export class XmlChunks {
  readonly chunks: BodyChunk[] = [];
  bytes = 0;

  push(part: BodyChunk): this {
    this.chunks.push(part);
    this.bytes += typeof part === 'string' ? Buffer.byteLength(part) : Buffer.isBuffer(part) ? part.length : part.bytes;
    return this;
  }

  append(other: XmlChunks): this {
    for (const part of other.chunks) this.push(part);
    return this;
  }

  /** For tests and small requests only. */
  toString(): string {
    return this.chunks.map((part) => {
      const rendered = typeof part === 'string' || Buffer.isBuffer(part) ? part : part.render();
      return typeof rendered === 'string' ? rendered : rendered.toString('utf8');
    }).join('');
  }
}

// XML 1.0 forbids most C0 controls even as character references; drop them instead of failing.
// eslint-disable-next-line no-control-regex
const forbiddenControls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeText(value: string): string {
  return value
    .replace(forbiddenControls, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function escapeAttr(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** `<t:Name>text</t:Name>`, or nothing when the value is absent or empty. */
export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined || value === '') return '';
  return `<${name}>${escapeText(String(value))}</${name}>`;
}

/**
 * Base64 of `bytes` in pieces, each a multiple of 3 input bytes so the pieces concatenate cleanly. Each piece
 * is encoded only when the transport writes it, so the whole base64 copy (4/3 of the MIME) never exists at once.
 */
export function pushBase64(target: XmlChunks, bytes: Uint8Array, pieceBytes = 3 * 16 * 1024): void {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 0; offset < view.length; offset += pieceBytes) {
    const piece = view.subarray(offset, offset + pieceBytes);
    // 64 KB of base64 per piece: its transient string stays below V8's large-object size (128 KB), so a scavenge
    // frees it at once; 1 MB strings lingered in large-object space until a major GC (+40 MB on a 30 MB message).
    // A string, not a Buffer: the socket copies it into memory it frees when the write completes, where 64 KB
    // Buffers (one per piece, ~1.3× every message) waited for V8 to notice external memory and collect them.
    target.push({ bytes: base64Length(piece.length), render: () => piece.toString('base64') });
  }
}

/** Length of base64 text for `n` bytes (padding included). */
export function base64Length(n: number): number {
  return Math.ceil(n / 3) * 4;
}

/** UTC xs:dateTime without milliseconds, the form Exchange prints back. */
export function utcDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
