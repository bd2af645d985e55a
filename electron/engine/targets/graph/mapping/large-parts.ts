import { randomBytes } from 'node:crypto';

import type { DeferredChunk } from '../../exchange/http-transport.js';

/**
 * mailparser decodes base64 through a JavaScript stream (libbase64: a RegExp pass, string copies,
 * Buffer.concat per chunk); for a message with a 1 MB attachment that was about half of the Graph
 * target's CPU (issue 15 profile). Large base64 leaf parts are therefore cut out before parsing and
 * replaced by a short marker; mailparser still reads their headers (name, type, Content-ID, inline or
 * not) and the part's bytes are decoded natively afterwards. Only plain base64 (alphabet, line breaks,
 * padding at the end) is cut: anything unusual stays with mailparser, whose output is the reference.
 */

/** Parts smaller than this are left to mailparser (the marker saves nothing there). */
export const largePartBytes = 64 * 1024;

/** A part's base64 text where it lies in the MIME, not decoded. */
export interface Base64Part {
  readonly source: Buffer;
  readonly start: number;
  readonly end: number;
  /** Decoded length. */
  readonly bytes: number;
  /** The text without line breaks is exactly the canonical base64 of its bytes (padded, no stray bits): it can be sent as is. */
  readonly canonical: boolean;
}

export interface CutParts {
  /** The MIME with each large part's body replaced by its marker's base64. */
  readonly mime: Buffer;
  /** marker (latin1) → the part. */
  readonly parts: Map<string, Base64Part>;
}

const alphabet = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') alphabet[c.charCodeAt(0)] = 1;
const CR = 13;
const LF = 10;
const EQ = 61;

/** Only the base64 alphabet and CR/LF, with '=' padding only at the very end: its characters and padding, or undefined. */
function plainBase64(mime: Buffer, start: number, end: number): { chars: number; padding: number } | undefined {
  let padding = 0;
  let chars = 0;
  for (let i = start; i < end; i += 1) {
    const c = mime[i] as number;
    if (c === CR || c === LF) continue;
    chars += 1;
    if (c === EQ) {
      padding += 1;
      if (padding > 2) return undefined;
      continue;
    }
    if (padding > 0 || alphabet[c] !== 1) return undefined;
  }
  return { chars, padding };
}

/** The last four characters (line breaks skipped) decode and encode back to themselves. */
function canonicalEnd(mime: Buffer, start: number, end: number): boolean {
  let quantum = '';
  for (let i = end - 1; i >= start && quantum.length < 4; i -= 1) {
    const c = mime[i] as number;
    if (c !== CR && c !== LF) quantum = String.fromCharCode(c) + quantum;
  }
  return quantum.length === 4 && Buffer.from(quantum, 'base64').toString('base64') === quantum;
}

/** The end of the header block starting at `from`: index of the body's first byte, or -1. */
function headerEnd(mime: Buffer, from: number, to: number): { headers: number; body: number } | undefined {
  if (mime[from] === CR && mime[from + 1] === LF) return { headers: from, body: from + 2 };
  if (mime[from] === LF) return { headers: from, body: from + 1 };
  const crlf = mime.indexOf('\r\n\r\n', from, 'latin1');
  const lf = mime.indexOf('\n\n', from, 'latin1');
  const candidates = [crlf >= 0 && crlf < to ? { headers: crlf, body: crlf + 4 } : undefined, lf >= 0 && lf < to ? { headers: lf, body: lf + 2 } : undefined].filter((c) => c !== undefined);
  return candidates.sort((a, b) => a.headers - b.headers)[0];
}

function header(block: string, name: string): string | undefined {
  const match = new RegExp(`^${name}:([^\\n]*(?:\\n[ \\t][^\\n]*)*)`, 'im').exec(block);
  return match?.[1]?.replace(/\r?\n[ \t]+/g, ' ').trim();
}

interface Leaf {
  start: number;
  end: number;
  chars: number;
  padding: number;
}

/** Large plain-base64 leaves of the entity in [from, to), depth-first in document order. */
function leaves(mime: Buffer, from: number, to: number, depth: number, out: Leaf[], minBytes: number): boolean {
  if (depth > 8) return false;
  const split = headerEnd(mime, from, to);
  if (!split) return true;
  const block = mime.toString('latin1', from, split.headers);
  const type = (header(block, 'content-type') ?? 'text/plain').toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(header(block, 'content-type') ?? '');
    const value = boundary?.[1] ?? boundary?.[2];
    if (!value) return false;
    const delimiter = `--${value}`;
    const starts: number[] = [];
    let closed = -1;
    for (let at = mime.indexOf(delimiter, split.body, 'latin1'); at >= 0 && at < to; at = mime.indexOf(delimiter, at + delimiter.length, 'latin1')) {
      // A delimiter counts only at the start of a line.
      if (at !== split.body && mime[at - 1] !== LF) continue;
      const after = at + delimiter.length;
      if (mime[after] === 45 && mime[after + 1] === 45) {
        closed = at;
        break;
      }
      starts.push(at);
    }
    if (starts.length === 0 || closed < 0) return false;
    const bounds = [...starts, closed];
    for (let i = 0; i < starts.length; i += 1) {
      const lineEnd = mime.indexOf('\n', bounds[i] as number, 'latin1');
      const next = bounds[i + 1] as number;
      // The line break before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      const partEnd = mime[next - 2] === CR ? next - 2 : next - 1;
      if (lineEnd < 0 || lineEnd + 1 > partEnd) continue;
      if (!leaves(mime, lineEnd + 1, partEnd, depth + 1, out, minBytes)) return false;
    }
    return true;
  }
  const encoding = (header(block, 'content-transfer-encoding') ?? '').toLowerCase();
  if (encoding !== 'base64' || type.startsWith('text/') || type.startsWith('message/')) return true;
  const plain = to - split.body >= minBytes ? plainBase64(mime, split.body, to) : undefined;
  if (plain) out.push({ start: split.body, end: to, ...plain });
  return true;
}

/**
 * Base64 in [start, end) (plain: checked by plainBase64) decoded into one Buffer of its exact size,
 * 64 KB of text at a time: a 30 MB part never exists as one 30 MB string beside its bytes.
 */
export function decodePart(part: Base64Part): Buffer {
  const { source: mime, start, end } = part;
  const out = Buffer.allocUnsafe(part.bytes);
  let written = 0;
  let carry = '';
  for (let at = start; at < end; at += 64 * 1024) {
    const text = carry + mime.toString('latin1', at, Math.min(end, at + 64 * 1024)).replace(/[\r\n=]/g, '');
    const whole = at + 64 * 1024 >= end ? text.length : text.length - (text.length % 4);
    written += out.write(text.slice(0, whole), written, 'base64');
    carry = text.slice(whole);
  }
  return written === out.length ? out : out.subarray(0, written);
}

/** The MIME with its large base64 parts cut out, or undefined when there are none (or the structure is unclear). */
export function cutLargeParts(mime: Buffer, minBytes = largePartBytes): CutParts | undefined {
  const found: Leaf[] = [];
  if (!leaves(mime, 0, mime.length, 0, found, minBytes) || found.length === 0) return undefined;
  const tag = randomBytes(9).toString('hex');
  const pieces: Buffer[] = [];
  const parts = new Map<string, Base64Part>();
  let at = 0;
  found.forEach((leaf, index) => {
    const marker = `cloudward-part-${tag}-${index}`;
    pieces.push(mime.subarray(at, leaf.start), Buffer.from(Buffer.from(marker, 'latin1').toString('base64'), 'latin1'));
    const bytes = Math.floor(((leaf.chars - leaf.padding) * 3) / 4);
    parts.set(marker, { source: mime, start: leaf.start, end: leaf.end, bytes, canonical: leaf.chars % 4 === 0 && canonicalEnd(mime, leaf.start, leaf.end) });
    at = leaf.end;
  });
  pieces.push(mime.subarray(at));
  return { mime: Buffer.concat(pieces), parts };
}

/**
 * A canonical part's base64 as chunks of at most 64 KB of MIME, line breaks dropped when each is
 * written: the JSON carries the MIME's own base64, with no decoded copy and no re-encoding.
 */
export function partPieces(part: Base64Part): DeferredChunk[] {
  const pieces: DeferredChunk[] = [];
  for (let at = part.start; at < part.end; at += 64 * 1024) {
    const from = at;
    const to = Math.min(part.end, at + 64 * 1024);
    let bytes = 0;
    for (let i = from; i < to; i += 1) if (part.source[i] !== CR && part.source[i] !== LF) bytes += 1;
    pieces.push({
      bytes,
      render: () => {
        const out = Buffer.allocUnsafe(bytes);
        let o = 0;
        for (let i = from; i < to; i += 1) {
          const c = part.source[i] as number;
          if (c !== CR && c !== LF) out[o++] = c;
        }
        return out;
      },
    });
  }
  return pieces;
}
