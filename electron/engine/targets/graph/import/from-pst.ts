import type { PSTMessage } from 'pst-extractor';

import { bagOf, bytesOf, decodeString, multi, type PropertyBag } from '../../../sources/pst/properties.js';
import type { PstStore } from '../../../sources/pst/pst-file.js';

import type { FtsMessage, FtsProperty, FtsPropertyName, FtsScalar } from './fts-model.js';

export interface PstConversion {
  message: FtsMessage;
  /** Properties left out, each with why (for the item's caveat). */
  skipped: string[];
}

const fixedMultiSize: Record<number, number> = { 0x1002: 2, 0x1003: 4, 0x1004: 4, 0x1005: 8, 0x1006: 8, 0x1007: 8, 0x1014: 8, 0x1040: 8, 0x1048: 16 };

/**
 * A PST message as FastTransfer content: every property of its property context, recipient table and
 * attachments, named properties by their (GUID, LID/name) from the file's name map. 8-bit strings become
 * PtypString decoded with the message's code page (the stream would otherwise need a code-page type the
 * Graph import has not been seen to accept). Object-typed values are carried structurally (embedded
 * messages) or left out (OLE storage of attach method 6): listed in `skipped`.
 */
export function ftsMessageFromPst(store: PstStore, message: PSTMessage): PstConversion {
  const names = reverseNames(store);
  const skipped: string[] = [];
  return { message: convert(store, message, names, skipped, store.defaultCharset, 0), skipped };
}

function convert(store: PstStore, message: PSTMessage, names: Map<number, FtsPropertyName>, skipped: string[], fallback: string | undefined, depth: number): FtsMessage {
  const bag = bagOf(message, fallback);
  const result: FtsMessage = { properties: propertiesOf(bag, names, skipped, ''), recipients: [], attachments: [] };
  const recipientCount = countOf(() => message.numberOfRecipients);
  for (let i = 0; i < recipientCount; i++) {
    const recipient = attempt(() => message.getRecipient(i));
    if (!recipient) {
      skipped.push(`recipient ${i + 1}: unreadable`);
      continue;
    }
    result.recipients.push(propertiesOf(bagOf(recipient, bag.charset), names, skipped, `recipient ${i + 1} `));
  }
  const attachmentCount = countOf(() => message.numberOfAttachments);
  for (let i = 0; i < attachmentCount; i++) {
    const attachment = attempt(() => message.getAttachment(i));
    if (!attachment) {
      skipped.push(`attachment ${i + 1}: unreadable`);
      continue;
    }
    const attachBag = bagOf(attachment, bag.charset);
    const entry: FtsMessage['attachments'][number] = { properties: propertiesOf(attachBag, names, skipped, `attachment ${i + 1} `) };
    if ((attachBag.items?.get(0x3705)?.entryValueReference ?? 1) === 5 && depth < 32) {
      const inner = attempt(() => store.embeddedMessage(attachment, message));
      if (inner) entry.embedded = convert(store, inner, names, skipped, bag.charset, depth + 1);
      else skipped.push(`attachment ${i + 1}: embedded message unreadable`);
    }
    result.attachments.push(entry);
  }
  return result;
}

export function propertiesOf(bag: PropertyBag, names: Map<number, FtsPropertyName>, skipped: string[], where: string): FtsProperty[] {
  const properties: FtsProperty[] = [];
  for (const [id, item] of bag.items ?? []) {
    const type = item.entryValueType;
    const tag = `${where}0x${((id << 16 | type) >>> 0).toString(16).padStart(8, '0')}`;
    let name: FtsPropertyName | undefined;
    if (id >= 0x8000) {
      name = names.get(id);
      if (!name) {
        skipped.push(`${tag}: named property missing from the file's name map`);
        continue;
      }
    }
    const value = valueOf(bag, id, type, item.entryValueReference, item.data);
    if (value === undefined) {
      // PtypObject is carried as structure; PtypUnspecified (tag 0) is padding some writers leave, not data.
      if (type !== 0x000d && type !== 0x0000) skipped.push(`${tag}: type 0x${type.toString(16)} not carried`);
      continue;
    }
    properties.push({ id, type: type === 0x001e ? 0x001f : type === 0x101e ? 0x101f : type, ...(name ? { name } : {}), value });
  }
  return properties;
}

function valueOf(bag: PropertyBag, id: number, type: number, reference: number, inline: Buffer): FtsScalar | FtsScalar[] | undefined {
  switch (type) {
    case 0x0002:
      return (reference << 16) >> 16;
    case 0x0003:
    case 0x000a:
      return reference | 0;
    case 0x0004: {
      const b = Buffer.alloc(4);
      b.writeInt32LE(reference | 0);
      return b.readFloatLE(0);
    }
    case 0x000b:
      return (reference & 0xff) !== 0;
  }
  const data = bytesOf(bag, id) ?? inline;
  switch (type) {
    case 0x0005:
    case 0x0007:
      return data.length >= 8 ? data.readDoubleLE(0) : undefined;
    case 0x0006:
    case 0x0014:
      return data.length >= 8 ? data.readBigInt64LE(0) : undefined;
    case 0x0040:
      return data.length >= 8 ? data.readBigUInt64LE(0) : undefined;
    case 0x0048:
      return data.length >= 16 ? Buffer.from(data.subarray(0, 16)) : undefined;
    case 0x001e:
    case 0x001f:
      return decodeString(data, type, bag.charset);
    case 0x0102:
    case 0x00fb:
      return Buffer.from(data);
    case 0x101e:
    case 0x101f:
    case 0x1102:
      return multi(bag, id);
  }
  const size = fixedMultiSize[type];
  if (!size || data.length % size !== 0) return undefined;
  const values: FtsScalar[] = [];
  for (let at = 0; at < data.length; at += size) {
    const slice = data.subarray(at, at + size);
    if (type === 0x1002) values.push(slice.readInt16LE(0));
    else if (type === 0x1003) values.push(slice.readInt32LE(0));
    else if (type === 0x1004) values.push(slice.readFloatLE(0));
    else if (type === 0x1005 || type === 0x1007) values.push(slice.readDoubleLE(0));
    else if (type === 0x1040) values.push(slice.readBigUInt64LE(0));
    else if (type === 0x1048) values.push(Buffer.from(slice));
    else values.push(slice.readBigInt64LE(0));
  }
  return values;
}

/** The file's name map turned around: property id → (GUID, LID or name). */
export function reverseNames(store: PstStore): Map<number, FtsPropertyName> {
  const names = new Map<number, FtsPropertyName>();
  for (const [key, id] of store.named) {
    const at = key.indexOf(':');
    const guid = key.slice(0, at);
    const rest = key.slice(at + 1);
    // Keys are `${guid}:${lid}` or `${guid}:${name}`; a LID is always decimal digits, names rarely are.
    names.set(id, /^\d+$/.test(rest) ? { guid, lid: Number(rest) } : { guid, name: rest });
  }
  return names;
}

function countOf(read: () => number): number {
  const count = attempt(read);
  return typeof count === 'number' && count > 0 ? Math.min(count, 100_000) : 0;
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read() ?? undefined;
  } catch {
    return undefined;
  }
}
