import { createHash } from 'node:crypto';

import iconv from 'iconv-lite';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type Mail from 'nodemailer/lib/mailer/index.js';
import MimeNode from 'nodemailer/lib/mime-node/index.js';
import * as qp from 'nodemailer/lib/qp/index.js';
import type { PSTMessage } from 'pst-extractor';

import { bagOf, binary, bytesOf, charsetFor, date, decodeBytes, int, str, typeOf, type PropertyBag } from './properties.js';
import { decompressRtf, htmlFromRtf, isEncapsulatedHtml, isEncapsulatedText, textFromRtf } from './rtf.js';
import type { MimeFacts } from '../../model/mime-facts.js';
import { timeConvert } from '../../profile/phase-profile.js';
import { leafRecord, type LeafNode, type LeafRecord, mimeFacts } from './mime-facts.js';

const maxEmbeddingDepth = 32;

type CreateChild = (this: unknown, contentType?: unknown, options?: Record<string, unknown>) => unknown;
const mimeNodePrototype = MimeNode.prototype as unknown as { createChild: CreateChild };
const createChild = mimeNodePrototype.createChild;
/**
 * MimeNode draws 8 random bytes (a getrandom call) for each node's own baseBoundary, yet boundaries only
 * ever use the root's (`rootNode.baseBoundary`): children get a fixed one. randomBytes was ~2 % of the CPU
 * of exporting the fixture corpus. Output bytes are unchanged (boundaries come from our seeded root).
 */
mimeNodePrototype.createChild = function (this: unknown, contentType?: unknown, options?: Record<string, unknown>): unknown {
  if (!options && typeof contentType === 'object' && contentType !== null) {
    return createChild.call(this, undefined, { baseBoundary: 'child', ...(contentType as Record<string, unknown>) });
  }
  return createChild.call(this, contentType, { baseBoundary: 'child', ...options });
};

type NormalizeKey = (this: unknown, key: unknown) => string;
const normalizeHeaderKey = (MimeNode.prototype as unknown as { _normalizeHeaderKey: NormalizeKey })._normalizeHeaderKey;
const normalizedKeys = new Map<string, string>();
/**
 * nodemailer normalizes a header name with four regular expressions each time any header is read or set
 * (~1.5 % of export CPU): its result depends on the name alone, so names are remembered. The names come
 * from nodemailer and from our own fixed list, but the cache is bounded all the same.
 */
(MimeNode.prototype as unknown as { _normalizeHeaderKey: NormalizeKey })._normalizeHeaderKey = function (this: unknown, key: unknown): string {
  if (typeof key !== 'string') return normalizeHeaderKey.call(this, key);
  let normalized = normalizedKeys.get(key);
  if (normalized === undefined) {
    normalized = normalizeHeaderKey.call(this, key);
    if (normalizedKeys.size >= 256) normalizedKeys.clear();
    normalizedKeys.set(key, normalized);
  }
  return normalized;
};

/** A count the library computes by reading a table; a damaged table counts as empty. */
export function countOf(read: () => number, onError?: (error: unknown) => void): number {
  try {
    return read();
  } catch (error) {
    onError?.(error);
    return 0;
  }
}

export interface MimeContext {
  /** Reads the message inside an embedded-message attachment. */
  embedded(attachment: object, parent: PSTMessage): PSTMessage | undefined;
  /** Stable seed for boundaries and for a Message-ID when the item has none. */
  seed: string;
  charset: string | undefined;
  /** Non-fatal problems (an attachment that could not be read), for the log. */
  warnings: string[];
}

/** PST subjects may carry a prefix marker: U+0001 and a length character before the text. */
export function cleanSubject(subject: string | undefined): string {
  if (!subject) return '';
  return subject.charCodeAt(0) === 1 ? subject.slice(2) : subject;
}

interface Address {
  name: string;
  address: string;
}

function address(name: string | undefined, email: string | undefined, type: string | undefined, smtp: string | undefined): Address | undefined {
  const chosen = smtp || (type && type.toUpperCase() !== 'SMTP' && type.toUpperCase() !== '' ? '' : email) || email || '';
  if (!name && !chosen) return undefined;
  return { name: name ?? '', address: chosen };
}

function fromOf(bag: PropertyBag): Address | undefined {
  return address(str(bag, 0x0042), str(bag, 0x0065), str(bag, 0x0064), str(bag, 0x5d02)) ?? senderOf(bag);
}

function senderOf(bag: PropertyBag): Address | undefined {
  return address(str(bag, 0x0c1a), str(bag, 0x0c1f), str(bag, 0x0c1e), str(bag, 0x5d01));
}

function recipients(message: PSTMessage, charset: string | undefined): { to: Address[]; cc: Address[]; bcc: Address[] } {
  const result = { to: [] as Address[], cc: [] as Address[], bcc: [] as Address[] };
  const count = countOf(() => message.numberOfRecipients);
  for (let i = 0; i < count; i++) {
    let recipient;
    try {
      recipient = message.getRecipient(i);
    } catch {
      continue;
    }
    if (!recipient) continue;
    const bag = bagOf(recipient, charset);
    const entry = address(str(bag, 0x3001), str(bag, 0x3003), str(bag, 0x3002), str(bag, 0x39fe));
    if (!entry) continue;
    const type = int(bag, 0x0c15) ?? 1;
    (type === 2 ? result.cc : type === 3 ? result.bcc : result.to).push(entry);
  }
  return result;
}

function htmlOf(bag: PropertyBag): string | undefined {
  const type = typeOf(bag, 0x1013);
  if (type === undefined) return undefined;
  if (type === 0x001f || type === 0x001e) return str(bag, 0x1013);
  const data = bytesOf(bag, 0x1013);
  if (!data || data.length === 0) return undefined;
  const charset = charsetFor(int(bag, 0x3fde)) ?? sniffHtmlCharset(data) ?? bag.charset ?? 'cp1252';
  return decodeBytes(data, charset);
}

function sniffHtmlCharset(data: Buffer): string | undefined {
  const head = data.subarray(0, 2048).toString('latin1');
  const match = /charset\s*=\s*["']?([A-Za-z0-9_.:-]+)/i.exec(head);
  const name = match?.[1]?.toLowerCase();
  return name && iconv.encodingExists(name) ? name : undefined;
}

export interface Bodies {
  text?: string;
  html?: string;
  rtf?: Buffer;
}

/** The plain-text body alone (what bodiesOf(bag).text gives), without recovering HTML when there is text. */
export function bodyTextOf(bag: PropertyBag): string | undefined {
  return str(bag, 0x1000) || bodiesOf(bag).text;
}

/** Plain, HTML and RTF bodies: HTML recovered from the RTF where Outlook kept only that. */
export function bodiesOf(bag: PropertyBag): Bodies {
  const bodies: Bodies = {};
  const text = str(bag, 0x1000);
  if (text) bodies.text = text;
  const html = htmlOf(bag);
  if (html) bodies.html = html;
  const compressed = binary(bag, 0x1009);
  if (compressed && compressed.length >= 16 && !bodies.html) {
    try {
      const rtf = decompressRtf(compressed);
      if (isEncapsulatedHtml(rtf)) {
        bodies.html = htmlFromRtf(rtf);
      } else if (isEncapsulatedText(rtf)) {
        if (!bodies.text) bodies.text = textFromRtf(rtf);
      } else {
        if (!bodies.text) bodies.text = textFromRtf(rtf);
        bodies.rtf = rtf;
      }
    } catch {
      // A damaged RTF body leaves whatever plain text there is.
    }
  }
  return bodies;
}

function formatAddress(a: Address): Mail.Address | string {
  return a.address ? { name: a.name, address: a.address } : a.name;
}

/** Transport headers minus the MIME structure ones, which the rebuilt body brings itself. */
function originalHeaders(headers: string): string | undefined {
  const text = headers.replace(/\r?\n/g, '\r\n').replace(/^(\r\n)+/, '');
  const end = text.indexOf('\r\n\r\n');
  const block = end >= 0 ? text.slice(0, end) : text.replace(/(\r\n)+$/, '');
  if (!/^[\x21-\x39\x3b-\x7e]+:/.test(block)) return undefined;
  const fields: string[] = [];
  for (const field of block.split(/\r\n(?![ \t])/)) {
    const name = field.slice(0, field.indexOf(':')).trim().toLowerCase();
    if (!name || name === 'content-type' || name === 'content-transfer-encoding' || name === 'mime-version' || name === 'content-disposition') continue;
    fields.push(field);
  }
  return fields.length > 0 ? fields.join('\r\n') : undefined;
}

function attachmentName(bag: PropertyBag, index: number): string {
  return str(bag, 0x3707) || str(bag, 0x3704) || str(bag, 0x3001) || `attachment-${index + 1}`;
}

async function attachmentsOf(message: PSTMessage, context: MimeContext, depth: number): Promise<Mail.Attachment[]> {
  const result: Mail.Attachment[] = [];
  const count = countOf(() => message.numberOfAttachments, (error) => context.warnings.push(`attachment table unreadable: ${(error as Error).message}`));
  for (let i = 0; i < count; i++) {
    try {
      const attachment = message.getAttachment(i);
      const bag = bagOf(attachment, context.charset);
      const method = int(bag, 0x3705) ?? 1;
      const name = attachmentName(bag, i);
      const contentId = str(bag, 0x3712)?.replace(/^<|>$/g, '');
      const mimeType = str(bag, 0x370e)?.trim();
      if (method === 5) {
        const embedded = context.embedded(attachment, message);
        if (!embedded) {
          context.warnings.push(`embedded message ${i + 1} unreadable`);
          continue;
        }
        if (depth >= maxEmbeddingDepth) {
          context.warnings.push('embedded messages nested too deep');
          continue;
        }
        const inner = await buildMime(embedded, { ...context, seed: `${context.seed}/${i}` }, depth + 1);
        const subject = cleanSubject(str(bagOf(embedded, context.charset), 0x0037));
        result.push({
          filename: `${(subject || str(bag, 0x3001) || 'message').replace(/[\\/:*?"<>|]/g, '_')}.eml`,
          content: Buffer.isBuffer(inner) ? inner : Buffer.from(inner),
          contentType: 'message/rfc822',
          contentDisposition: 'attachment',
        });
        continue;
      }
      if (method === 2 || method === 3 || method === 4 || method === 7) {
        // By reference: the file lived elsewhere; keep where it pointed as a shortcut.
        const target = str(bag, 0x370d) || str(bag, 0x3708) || name;
        result.push({
          filename: `${name}.url`,
          content: Buffer.from(`[InternetShortcut]\r\nURL=file:///${target.replace(/\\/g, '/')}\r\n`),
          contentType: 'application/internet-shortcut',
        });
        continue;
      }
      // The library hands out a fresh buffer per read and serialize() reads it synchronously: no copy needed.
      const data = bytesOf(bag, 0x3701) ?? Buffer.alloc(0);
      const entry: Mail.Attachment = {
        filename: name,
        content: data,
        contentType: mimeType || undefined,
      };
      if (contentId) {
        entry.cid = contentId;
        entry.contentDisposition = 'inline';
      }
      result.push(entry);
    } catch (error) {
      context.warnings.push(`attachment ${i + 1} unreadable: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return result;
}

const importanceHeader = ['low', 'normal', 'high'] as const;
const sensitivityHeader = ['Normal', 'Personal', 'Private', 'Company-Confidential'] as const;

/** One message (or embedded message) as RFC 5322 bytes. */
export async function buildMime(message: PSTMessage, context: MimeContext, depth = 0): Promise<Uint8Array> {
  return (await composeMime(message, context, depth, false)).mime;
}

/** A message as RFC 5322 bytes with what was written into them (model/mime-facts.ts), for targets that would parse them again. */
export async function buildMimeWithFacts(message: PSTMessage, context: MimeContext): Promise<{ mime: Buffer; facts: MimeFacts }> {
  const built = await composeMime(message, context, 0, true);
  return { mime: built.mime, facts: built.facts as MimeFacts };
}

async function composeMime(message: PSTMessage, context: MimeContext, depth: number, withFacts: boolean): Promise<{ mime: Buffer; facts?: MimeFacts }> {
  const bag = bagOf(message, context.charset);
  const charset = bag.charset ?? context.charset;
  const inner: MimeContext = { ...context, charset };
  const subject = cleanSubject(str(bag, 0x0037));
  const bodies = timeConvert(() => bodiesOf(bag));
  const attachments = await attachmentsOf(message, inner, depth);
  if (bodies.rtf) {
    attachments.push({ filename: 'body.rtf', content: bodies.rtf, contentType: 'application/rtf' });
  }
  const hash = createHash('sha256').update(context.seed).digest('hex');
  const sent = date(bag, 0x0039) ?? date(bag, 0x0e06) ?? date(bag, 0x3007);
  const options: Mail.Options & { baseBoundary?: string; keepBcc?: boolean } = {
    subject,
    attachments,
    keepBcc: true,
    baseBoundary: hash.slice(0, 24),
  };
  if (bodies.text !== undefined) options.text = bodies.text;
  if (bodies.html !== undefined) options.html = bodies.html;
  if (bodies.text === undefined && bodies.html === undefined) options.text = '';
  const from = fromOf(bag);
  const sender = senderOf(bag);
  const { to, cc, bcc } = recipients(message, charset);
  if (from) options.from = formatAddress(from);
  if (sender && from && sender.address && sender.address.toLowerCase() !== from.address.toLowerCase()) {
    options.sender = formatAddress(sender);
  }
  if (to.length) options.to = to.map(formatAddress);
  if (cc.length) options.cc = cc.map(formatAddress);
  if (bcc.length) options.bcc = bcc.map(formatAddress);
  options.date = sent ?? new Date(0);
  options.messageId = str(bag, 0x1035) || `<${hash.slice(0, 32)}@pst.cloudward.invalid>`;
  const inReplyTo = str(bag, 0x1042);
  if (inReplyTo) options.inReplyTo = inReplyTo;
  const references = str(bag, 0x1039);
  if (references) options.references = references.split(/\s+/).filter(Boolean);
  const headers: Record<string, string> = {};
  const importance = int(bag, 0x0017);
  if (importance !== undefined && importance !== 1 && importanceHeader[importance]) headers.Importance = importanceHeader[importance];
  const sensitivity = int(bag, 0x0036);
  if (sensitivity && sensitivityHeader[sensitivity]) headers.Sensitivity = sensitivityHeader[sensitivity];
  if (Object.keys(headers).length > 0) options.headers = headers;
  const transport = str(bag, 0x007d);
  const original = transport ? originalHeaders(transport) : undefined;
  const leaves: LeafRecord[] | undefined = withFacts ? [] : undefined;
  const chunks = timeConvert(() => serialize(new MailComposer(options).compile(), leaves));
  if (original) {
    // The headers the message arrived with; fields they lack (partial headers are common in Exchange-era
    // PSTs) come from the MAPI properties. The root's header block is the first chunk (serializeNode).
    const fields = (chunks[0] ?? Buffer.alloc(0)).toString('latin1').replace(/\r\n\r\n$/, '').split(/\r\n(?![ \t])/);
    const present = new Set(original.split(/\r\n(?![ \t])/).map((field) => field.slice(0, field.indexOf(':')).trim().toLowerCase()));
    const added = fields.filter((field) => {
      const name = field.slice(0, field.indexOf(':')).trim().toLowerCase();
      return structural.has(name) || (!present.has(name) && supplemented.has(name));
    });
    chunks[0] = Buffer.from(`${original}\r\n${added.join('\r\n')}\r\n\r\n`, 'utf8');
  }
  // One copy of the whole message, here; everything before it is pieces.
  const mime = Buffer.concat(chunks);
  return leaves ? { mime, facts: mimeFacts(mime, chunks, leaves) } : { mime };
}

const structural = new Set(['mime-version', 'content-type', 'content-transfer-encoding']);
const supplemented = new Set(['from', 'sender', 'to', 'cc', 'bcc', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'importance', 'sensitivity']);



/** The parts of nodemailer's MimeNode the serializer below uses (all public in its source). */
interface MimeNodeInternals extends LeafNode {
  content?: string | Buffer;
  contentType?: string;
  multipart?: string | false;
  boundary?: string;
  childNodes: MimeNodeInternals[];
  getHeader(key: string): unknown;
  buildHeaders(): string;
}

interface QpEncoderInternals {
  options: { lineLength: number; binary: boolean };
  _curLine: string;
  _remainingBytes: Buffer | false;
  _lastByte: number | undefined;
  inputBytes: number;
  outputBytes: number;
  push(chunk: string, encoding?: BufferEncoding): boolean;
  _transform(chunk: Buffer, encoding: string, done: () => void): void;
  _flush(done: () => void): void;
}

/**
 * MimeNode.build(), without its streams: the same bytes (headers from nodemailer's own buildHeaders,
 * base64 and quoted-printable exactly as its encoders write them), but synchronously. The stream
 * version costs a pipeline, several setImmediate turns and an AbortError per part, which was most
 * of the time spent exporting a message.
 */
function serialize(root: unknown, leaves?: LeafRecord[]): Buffer[] {
  const chunks: Buffer[] = [];
  serializeNode(root as MimeNodeInternals, chunks, leaves, []);
  const last = chunks.length > 0 ? (chunks[chunks.length - 1] as Buffer) : undefined;
  const lastByte = last && last.length > 0 ? last[last.length - 1] : undefined;
  // nodemailer's LastNewline: the message always ends with a line break.
  if (lastByte === 0x0d) chunks.push(Buffer.from('\n'));
  else if (lastByte !== 0x0a) chunks.push(Buffer.from('\r\n'));
  return chunks;
}

function serializeNode(node: MimeNodeInternals, chunks: Buffer[], leaves: LeafRecord[] | undefined, within: readonly string[]): void {
  // buildHeaders works out the transfer encoding and sets the header to it (unless it is none): read it
  // back instead of scanning the content a second time.
  chunks.push(Buffer.from(`${node.buildHeaders()}\r\n\r\n`, 'utf8'));
  const encoding = String(node.getHeader('Content-Transfer-Encoding') ?? '').toLowerCase().trim();
  if (leaves && !node.multipart) leaves.push(leafRecord(node, encoding, within, chunks.length - 1));
  if (node.content) {
    const content = typeof node.content === 'string' ? Buffer.from(node.content, 'utf8') : node.content;
    if (encoding === 'base64') chunks.push(base64Lines(content));
    else if (encoding === 'quoted-printable') chunks.push(quotedPrintable(content, !/^text\//i.test(node.contentType ?? '')));
    else chunks.push(content);
  }
  if (!node.multipart) return;
  const inside = leaves ? [...within, node.contentType ?? ''] : within;
  node.childNodes.forEach((child, index) => {
    chunks.push(Buffer.from(`${index > 0 ? '\r\n' : ''}--${node.boundary ?? ''}\r\n`, 'utf8'));
    serializeNode(child, chunks, leaves, inside);
  });
  chunks.push(Buffer.from(`\r\n--${node.boundary ?? ''}--\r\n`, 'utf8'));
}

const base64BlockLines = 512;

/**
 * Base64 in lines of 76 characters, CRLF between lines and none after the last (as nodemailer's encoder).
 * Written in place: each block of 512 lines is encoded straight into the output where it ends up, then its
 * lines are moved apart (last first) to make room for the line breaks. No intermediate buffer, and no
 * string longer than a block (large base64 strings cost more than the copies they replace).
 */
export function base64Lines(content: Buffer): Buffer {
  const length = Math.ceil(content.length / 3) * 4;
  const lines = Math.ceil(length / 76);
  if (lines <= 1) return Buffer.from(content.toString('base64'), 'latin1');
  const output = Buffer.allocUnsafe(length + (lines - 1) * 2);
  for (let first = 0; first < lines; first += base64BlockLines) {
    const inStart = first * 57;
    const inEnd = Math.min(inStart + base64BlockLines * 57, content.length);
    const start = first * 78;
    const written = output.write(content.toString('base64', inStart, inEnd), start, 'latin1');
    for (let line = Math.ceil(written / 76) - 1; line >= 0; line--) {
      const from = start + line * 76;
      const to = start + line * 78;
      if (line > 0) output.copyWithin(to, from, Math.min(from + 76, start + written));
      if (first + line > 0) {
        output[to - 2] = 0x0d;
        output[to - 1] = 0x0a;
      }
    }
  }
  return output;
}

/** nodemailer's quoted-printable encoder, driven synchronously with the whole content as its one chunk. */
function quotedPrintable(content: Buffer, binary: boolean): Buffer {
  const parts: Buffer[] = [];
  const encoder = Object.create(qp.Encoder.prototype) as QpEncoderInternals;
  encoder.options = { lineLength: 76, binary };
  encoder._curLine = '';
  encoder._remainingBytes = false;
  encoder._lastByte = undefined;
  encoder.inputBytes = 0;
  encoder.outputBytes = 0;
  encoder.push = (chunk, encoding) => {
    parts.push(Buffer.from(chunk, encoding ?? 'utf8'));
    return true;
  };
  const done = (): void => undefined;
  if (content.length > 0) encoder._transform(content, 'buffer', done);
  encoder._flush(done);
  return Buffer.concat(parts);
}
