import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser';

import type { MailItem } from '../../../model/items.js';
import { graphSourceKeyProperty } from '../../exchange/source-key.js';
import { type Base64Part, cutLargeParts, type CutParts, decodePart } from './large-parts.js';
import { type MimeReading, type ReadAttachment, readFacts } from './mime-reading.js';

/**
 * An RFC 5322 message as a Graph JSON message that Exchange stores as a received (or sent) item, not
 * a draft: Graph's MIME import always makes drafts and PR_MESSAGE_FLAGS cannot be changed after the
 * first save (ews-graph.md §5a), so the MIME is parsed (mailparser) and rebuilt as JSON with the MAPI
 * flags and times set at creation. What JSON cannot carry is listed per item (`lost`) for the report.
 * When the source wrote the MIME itself (PST), it hands over what it wrote (model/mime-facts.ts) and
 * those facts are read instead (mime-reading.ts): the same message, without parsing the bytes back.
 */

/** MAPI tags (MS-OXPROPS), as Graph singleValueExtendedProperty ids "{type} 0x{tag}". */
export const messageFlagsId = 'Integer 0x0E07';
export const deliveryTimeId = 'SystemTime 0x0E06';
export const submitTimeId = 'SystemTime 0x0039';
export const lastVerbId = 'Integer 0x1081';
const MSGFLAG_READ = 0x1;
const MSGFLAG_UNSENT = 0x8;

/** Graph takes attachments below 3 MB in one POST; bigger ones through an upload session (GRAPH:outlook-large-attachments). */
export const inlineAttachmentLimit = 3 * 1024 * 1024;
/** Graph's request limit is 4 MB (ews-graph.md §5a); the create stays under it with room for the JSON around. */
export const createRequestLimit = 3_900_000;

export interface GraphAttachment {
  readonly name: string;
  readonly contentType: string;
  /** Decoded on first use when the attachment came from a cut part (`base64`). */
  readonly bytes: Buffer;
  readonly size: number;
  /** Where its base64 lies in the MIME, when it was cut out before parsing (large-parts.ts). */
  readonly base64?: Base64Part;
  readonly isInline: boolean;
  readonly contentId?: string;
}

export interface GraphMessage {
  /** The create body without its attachments: those that fit go in `inlineAttachments` (deep insert, see json-body.ts), the rest in `laterAttachments`. */
  readonly body: Record<string, unknown>;
  readonly inlineAttachments: GraphAttachment[];
  readonly laterAttachments: GraphAttachment[];
  /** What of the original MIME this message could not keep, in words for the report. */
  readonly lost: string[];
}

type Recipient = { emailAddress: { address: string; name?: string } };

function recipients(value: AddressObject | AddressObject[] | undefined): Recipient[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: Recipient[] = [];
  const walk = (entries: AddressObject['value']) => {
    for (const entry of entries) {
      if (entry.group) walk(entry.group);
      else if (entry.address) out.push({ emailAddress: { address: entry.address, ...(entry.name ? { name: entry.name } : {}) } });
    }
  };
  for (const object of list) walk(object.value);
  return out;
}

function headerValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toUTCString();
  if (value && typeof value === 'object' && 'text' in value) return String((value as { text: unknown }).text);
  if (value && typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  return String(value);
}

/** Headers Graph will not take (it accepts only x- headers, at most 5: GRAPH:api/resources/internetmessageheader). */
const rebuiltHeaders = new Set([
  'from', 'sender', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'content-type', 'content-transfer-encoding',
  'mime-version', 'importance', 'x-priority', 'priority', 'content-disposition', 'content-id',
]);

function attachmentOf(attachment: ReadAttachment, index: number, part: Base64Part | undefined): GraphAttachment {
  const embedded = attachment.contentType === 'message/rfc822';
  const name = attachment.filename ?? (embedded ? `message-${index + 1}.eml` : `attachment-${index + 1}`);
  const cid = attachment.cid ?? attachment.contentId?.replace(/^<|>$/g, '');
  const inline = attachment.related === true || (attachment.contentDisposition === 'inline' && cid !== undefined);
  const common = { name, contentType: attachment.contentType || 'application/octet-stream', isInline: inline, ...(cid ? { contentId: cid } : {}) };
  if (!part) return { ...common, bytes: attachment.content, size: attachment.content.length };
  let decoded: Buffer | undefined;
  return {
    ...common,
    size: part.bytes,
    base64: part,
    get bytes(): Buffer {
      decoded ??= decodePart(part);
      return decoded;
    },
  };
}

export function messageFlags(item: MailItem): number {
  // Leaving MSGFLAG_UNSENT out is what makes the item "not a draft"; a source draft stays one.
  return (item.flags.seen ? MSGFLAG_READ : 0) | (item.flags.draft ? MSGFLAG_UNSENT : 0);
}

/** IMAP keywords that are labels rather than system flags ($Forwarded, \Seen ...). */
function labelKeywords(keywords: readonly string[]): string[] {
  return keywords.filter((keyword) => !keyword.startsWith('$') && !keyword.startsWith('\\') && !/^(junk|nonjunk|notjunk)$/i.test(keyword));
}

/**
 * skipHtmlToText: the plain text mailparser would make of an HTML-only message is not a plain-text
 * alternative the message had (reporting it as lost was wrong), and html-to-text was the costliest step.
 */
export const parseOptions = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true, skipHtmlToText: true } as const;

/** Finds each cut part's attachment by its marker; undefined if the markers did not map one to one. */
function findParts(attachments: Attachment[], parts: CutParts['parts']): Map<Attachment, Base64Part> | undefined {
  const seen = new Set<string>();
  const hits = new Map<Attachment, Base64Part>();
  for (const attachment of attachments) {
    if (attachment.content.length > 64) continue;
    const marker = attachment.content.toString('latin1');
    const part = parts.get(marker);
    if (!part) continue;
    if (seen.has(marker)) return undefined;
    seen.add(marker);
    hits.set(attachment, part);
  }
  return seen.size === parts.size ? hits : undefined;
}

/** mailparser's reading, with each cut part's attachment mapped to its base64 in the MIME (content still the marker). */
async function parseCut(mime: Uint8Array, minPartBytes?: number): Promise<{ parsed: ParsedMail; parts: Map<Attachment, Base64Part> } & MimeReading> {
  const source = Buffer.from(mime.buffer, mime.byteOffset, mime.byteLength);
  const cut = cutLargeParts(source, minPartBytes);
  if (cut) {
    const parsed = await simpleParser(cut.mime, parseOptions);
    const parts = findParts(parsed.attachments, cut.parts);
    if (parts) return { parsed, parts };
  }
  return { parsed: await simpleParser(source, parseOptions), parts: new Map() };
}

/** mailparser's reading of the MIME, with large base64 parts decoded natively (large-parts.ts); the same result. */
export async function parseMime(mime: Uint8Array, minPartBytes?: number): Promise<ParsedMail> {
  const { parsed, parts } = await parseCut(mime, minPartBytes);
  for (const [attachment, part] of parts) {
    attachment.content = decodePart(part);
    attachment.size = attachment.content.length;
  }
  return parsed;
}

export async function graphMessage(item: MailItem, mime: Uint8Array, keyHash: string): Promise<GraphMessage> {
  // A source that wrote the MIME itself (PST) says what is in it: no need to parse it back.
  const facts = item.facts?.(mime);
  const { parsed, parts } = (facts && readFacts(facts)) || (await parseCut(mime));
  const lost: string[] = [];
  const body: Record<string, unknown> = {};
  if (parsed.subject !== undefined) body.subject = parsed.subject;
  if (typeof parsed.html === 'string' && parsed.html !== '') {
    body.body = { contentType: 'html', content: parsed.html };
    if (parsed.text) lost.push('plain-text alternative (the HTML body is kept)');
  } else {
    body.body = { contentType: 'text', content: parsed.text ?? '' };
  }
  const from = recipients(parsed.from);
  if (from[0]) body.from = from[0];
  const sender = parsed.headers.get('sender');
  const senderList = sender && typeof sender === 'object' && 'value' in sender ? recipients(sender as AddressObject) : [];
  if (senderList[0]) body.sender = senderList[0];
  for (const [field, value] of [
    ['toRecipients', parsed.to],
    ['ccRecipients', parsed.cc],
    ['bccRecipients', parsed.bcc],
    ['replyTo', parsed.replyTo],
  ] as const) {
    const list = recipients(value);
    if (list.length > 0) body[field] = list;
  }
  if (parsed.messageId) body.internetMessageId = parsed.messageId;
  // mailparser folds Importance, X-Priority and X-MSMail-Priority into one 'priority' header.
  const priority = parsed.headers.get('priority');
  const importance = item.importance ?? (priority === 'high' || priority === 'low' ? priority : undefined);
  if (importance) body.importance = importance;
  const categories = [...new Set([...item.categories, ...labelKeywords(item.keywords)].map((c) => c.trim()).filter((c) => c !== ''))];
  if (categories.length > 0) body.categories = categories;
  if (item.flags.flagged) body.flag = { flagStatus: 'flagged' };
  if (parsed.headers.has('disposition-notification-to')) body.isReadReceiptRequested = true;

  const custom: { name: string; value: string }[] = [];
  const dropped = new Set<string>();
  for (const line of parsed.headerLines) {
    const name = line.key.toLowerCase();
    if (rebuiltHeaders.has(name)) continue;
    const value = line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    if (name.startsWith('x-') && custom.length < 5) custom.push({ name: line.line.slice(0, line.line.indexOf(':')).trim(), value });
    else dropped.add(name);
  }
  if (custom.length > 0) body.internetMessageHeaders = custom;
  if (dropped.size > 0) lost.push(`headers Graph cannot set: ${[...dropped].slice(0, 8).join(', ')}${dropped.size > 8 ? ` and ${dropped.size - 8} more` : ''}`);
  if (/^multipart\/signed|application\/(x-)?pkcs7-mime/i.test(headerValue(parsed.headers.get('content-type') ?? ''))) lost.push('S/MIME signature or encryption (the content is rebuilt, so a signature no longer verifies)');

  const flags = messageFlags(item);
  const properties: { id: string; value: string }[] = [{ id: messageFlagsId, value: String(flags) }];
  const received = item.receivedAt ?? item.sentAt ?? parsed.date;
  const sent = item.sentAt ?? parsed.date;
  if (received) properties.push({ id: deliveryTimeId, value: received.toISOString() });
  if (sent) properties.push({ id: submitTimeId, value: sent.toISOString() });
  // 102 = replied to sender, 104 = forwarded: Outlook's reply/forward icons (MS-OXOMSG PidTagLastVerbExecuted).
  if (item.flags.answered) properties.push({ id: lastVerbId, value: '102' });
  else if (item.flags.forwarded) properties.push({ id: lastVerbId, value: '104' });
  properties.push(graphSourceKeyProperty(keyHash));
  body.singleValueExtendedProperties = properties;

  const attachments = parsed.attachments.map((attachment, index) => attachmentOf(attachment, index, parts.get(attachment)));
  if (parsed.attachments.some((a) => a.contentType === 'message/rfc822')) lost.push('attached messages are kept as .eml files, not as Outlook items');
  const inlineNow: GraphAttachment[] = [];
  const later: GraphAttachment[] = [];
  let size = Buffer.byteLength(JSON.stringify(body));
  for (const attachment of attachments) {
    const encoded = Math.ceil(attachment.size / 3) * 4 + 300;
    if (attachment.size < inlineAttachmentLimit && size + encoded < createRequestLimit) {
      inlineNow.push(attachment);
      size += encoded;
    } else later.push(attachment);
  }
  return { body, inlineAttachments: inlineNow, laterAttachments: later, lost };
}

/** A fileAttachment's JSON without its contentBytes (which always come last). */
export function attachmentMeta(attachment: GraphAttachment): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.fileAttachment',
    name: attachment.name,
    contentType: attachment.contentType,
    isInline: attachment.isInline,
    ...(attachment.contentId ? { contentId: attachment.contentId } : {}),
  };
}

export function attachmentJson(attachment: GraphAttachment): Record<string, unknown> {
  return { ...attachmentMeta(attachment), contentBytes: attachment.bytes.toString('base64') };
}
