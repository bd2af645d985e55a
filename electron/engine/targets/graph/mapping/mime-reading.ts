import libmime from 'libmime';
import { type AddressObject, type HeaderLines, type Headers, MailParser, type ParsedMail } from 'mailparser';

import type { MimeFacts, MimeLeaf } from '../../../model/mime-facts.js';
import { type Base64Part, largePartBytes } from './large-parts.js';

/** What graphMessage reads of an attachment: mailparser's fields, or the same taken from the source's facts. */
export interface ReadAttachment {
  contentType: string;
  filename?: string;
  cid?: string;
  contentId?: string;
  related?: boolean;
  contentDisposition?: string;
  content: Buffer;
}

/** What graphMessage reads of a message: mailparser's ParsedMail, or the same taken from the source's facts. */
export interface MimeReading {
  readonly parsed: Pick<ParsedMail, 'subject' | 'html' | 'text' | 'from' | 'to' | 'cc' | 'bcc' | 'replyTo' | 'messageId' | 'date' | 'headers' | 'headerLines'> & {
    readonly attachments: ReadAttachment[];
  };
  /** Attachments whose bytes stay base64 in the MIME until needed (large-parts.ts); their content is not set. */
  readonly parts: Map<ReadAttachment, Base64Part>;
}

/**
 * The header fields graphMessage reads: mailparser decodes each header line on its own, so decoding
 * only these gives the same values for them, without decoding every Received line.
 */
const readHeaders = new Set([
  'subject', 'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'message-id', 'date', 'content-type',
  'priority', 'x-priority', 'x-msmail-priority', 'importance', 'disposition-notification-to',
]);

type ProcessHeaders = (lines: HeaderLines) => Headers;
let headerDecoder: ProcessHeaders | undefined;

/**
 * mailparser's own header decoding (encoded words, address lists, priority, dates), so that values
 * are the ones a parse of the MIME gives. processHeaders is internal to mailparser 3.14.2, which
 * package.json pins exactly for that reason; one parser instance serves every call (it keeps no state
 * between calls).
 */
function decodeHeaders(lines: HeaderLines): Headers {
  if (!headerDecoder) {
    const parser = new MailParser() as unknown as { processHeaders: ProcessHeaders };
    headerDecoder = parser.processHeaders.bind(parser);
  }
  return headerDecoder(lines);
}

/** A header block as mailsplit splits it into lines (@zone-eu/mailsplit Headers._parseHeaders: folded lines kept whole). */
function headerLinesOf(block: string): HeaderLines {
  const raw = block.replace(/[\r\n]+$/, '').split(/\r?\n/);
  const folded = (line: string): boolean => line.startsWith(' ') || line.startsWith('\t');
  let i = 1;
  let first = raw[0] ?? '';
  while (i < raw.length && folded(raw[i] as string)) first += `\r\n${raw[i++] as string}`;
  // A key is what comes before the first colon; a line without one has an empty key until a continuation brings one.
  const keyOf = (line: string): string => (line.indexOf(':') < 0 ? '' : line.slice(0, line.indexOf(':'))).toLowerCase().trim();
  const lines: { key: string; line: string }[] = [{ key: keyOf(first), line: first }];
  let keyPending = false;
  for (; i < raw.length; i++) {
    const current = raw[i] as string;
    const last = lines[lines.length - 1] as { key: string; line: string };
    if (folded(current)) {
      const colon = current.indexOf(':');
      if (keyPending && colon >= 0) {
        last.key = `${last.line}\r\n${current.slice(0, colon)}`.toLowerCase().trim();
        keyPending = false;
      }
      last.line += `\r\n${current}`;
      continue;
    }
    lines.push({ key: keyOf(current), line: current });
    keyPending = current.indexOf(':') < 0;
  }
  return lines;
}

const textTypes = new Set(['text/plain', 'text/html', 'message/delivery-status']);

/** The charsets mailparser reads text in without converting it. */
function plainCharset(charset: string | undefined): boolean {
  return ['ascii', 'usascii', 'utf8'].includes((charset ?? 'utf-8').toLowerCase().replace(/[^a-z0-9]+/g, ''));
}

function attachmentOf(leaf: MimeLeaf, parts: Map<ReadAttachment, Base64Part>): ReadAttachment {
  let contentType = leaf.contentType;
  if (contentType === 'application/octet-stream' && leaf.filename) contentType = libmime.detectMimeType(leaf.filename) || 'application/octet-stream';
  const attachment: ReadAttachment = { contentType, content: Buffer.alloc(0) };
  if (leaf.disposition) attachment.contentDisposition = leaf.disposition;
  if (leaf.filename) attachment.filename = leaf.filename;
  if (leaf.contentId !== undefined) {
    attachment.contentId = leaf.contentId.trim();
    attachment.cid = attachment.contentId.replace(/^<|>$/g, '').trim();
    if (leaf.within.includes('multipart/related')) attachment.related = true;
  }
  // The same parts the parse path cuts out (large-parts.ts): large base64 leaves that are not text or messages.
  const base64 = leaf.base64;
  if (base64 && !/^(text|message)\//.test(leaf.contentType) && base64.end - base64.start >= largePartBytes) {
    parts.set(attachment, { source: base64.source, start: base64.start, end: base64.end, bytes: leaf.size, canonical: true });
  } else attachment.content = leaf.content();
  return attachment;
}

/**
 * The source's facts read as mailparser reads the MIME they describe (simpleParser with
 * parseOptions in mail.ts): which parts are text and which attachments, how text parts are joined,
 * the header values. Undefined where that reading is not mirrored here (a text part in a charset
 * other than UTF-8 or ASCII): the caller parses the MIME then.
 */
export function readFacts(facts: MimeFacts): MimeReading | undefined {
  const parts = new Map<ReadAttachment, Base64Part>();
  const attachments: ReadAttachment[] = [];
  const texts: { leaf: MimeLeaf; content: string }[] = [];
  let hasText = false;
  let hasHtml = false;
  for (const leaf of facts.parts) {
    const type = leaf.contentType;
    let disposition = leaf.disposition;
    if (disposition && disposition !== 'attachment' && disposition !== 'inline') disposition = 'attachment';
    disposition = !disposition && !textTypes.has(type) ? 'attachment' : (disposition ?? 'inline');
    if (!textTypes.has(type) || disposition !== 'inline') {
      attachments.push(attachmentOf(leaf, parts));
      continue;
    }
    if (!plainCharset(leaf.charset)) return undefined;
    if (type === 'text/html') hasHtml = true;
    else hasText = true;
    texts.push({ leaf, content: leaf.content().toString().replace(/\r?\n/g, '\n') });
  }
  const text: string[] = [];
  const html: string[] = [];
  for (const { leaf, content } of texts) {
    if (!content) continue;
    const alternative = leaf.within.includes('multipart/alternative');
    if (leaf.contentType === 'text/html') {
      // skipHtmlToText: mailparser stands an empty text in for the HTML's.
      if ((!alternative && hasText) || (leaf.root && !hasText)) text.push('');
      html.push(content);
    } else {
      text.push(content);
      // skipTextToHtml: the text's HTML rendering is empty.
      if (!alternative && hasHtml) html.push('');
    }
  }
  const headerLines = headerLinesOf(facts.header);
  const headers = decodeHeaders(headerLines.filter((line) => readHeaders.has(line.key)));
  const field = <T>(key: string): T | undefined => (headers.has(key) ? (headers.get(key) as T) : undefined);
  const joinedHtml = html.join('<br/>\n');
  return {
    parsed: {
      headers,
      headerLines,
      attachments,
      html: joinedHtml === '' ? false : joinedHtml,
      ...(text.length > 0 ? { text: text.join('\n') } : {}),
      subject: field<string>('subject'),
      from: field<AddressObject>('from'),
      to: field<AddressObject | AddressObject[]>('to'),
      cc: field<AddressObject | AddressObject[]>('cc'),
      bcc: field<AddressObject | AddressObject[]>('bcc'),
      replyTo: field<AddressObject>('reply-to'),
      messageId: field<string>('message-id'),
      date: field<Date>('date'),
    },
    parts,
  };
}
