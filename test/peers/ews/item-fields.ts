import libmime from 'libmime';

import type { EwsItemKind, PeerExtendedProp, PeerFolder, PeerItem } from './ews-peer.js';
import { rerenderMime } from './mime-render.js';
import { attr, child, children, childrenNamed, esc, text } from './soap-xml.js';

export const ITEM_CLASS: Record<EwsItemKind, string> = {
  Message: 'IPM.Note',
  Contact: 'IPM.Contact',
  CalendarItem: 'IPM.Appointment',
  Task: 'IPM.Task',
  DistributionList: 'IPM.DistList',
  PostItem: 'IPM.Post',
  Item: 'IPM',
};

export const MSGFLAG_READ = 0x1;
export const MSGFLAG_UNSENT = 0x8;

/** '3591', '0x0E07', '0xe07' -> '0x0e07'. */
export function normaliseTag(tag: string): string {
  const n = /^0x/i.test(tag) ? parseInt(tag.slice(2), 16) : parseInt(tag, 10);
  return Number.isFinite(n) ? `0x${n.toString(16).padStart(4, '0')}` : tag.toLowerCase();
}

export function parseExtendedProperty(el: Element): PeerExtendedProp | undefined {
  const uri = child(el, 'ExtendedFieldURI');
  if (!uri) return undefined;
  const tag = attr(uri, 'PropertyTag');
  const propertyId = attr(uri, 'PropertyId');
  const valuesEl = child(el, 'Values');
  return {
    ...(tag !== undefined ? { tag: normaliseTag(tag) } : {}),
    ...(attr(uri, 'PropertySetId') !== undefined ? { propertySetId: attr(uri, 'PropertySetId')!.toLowerCase() } : {}),
    ...(attr(uri, 'DistinguishedPropertySetId') !== undefined ? { distinguishedPropertySetId: attr(uri, 'DistinguishedPropertySetId')! } : {}),
    ...(attr(uri, 'PropertyName') !== undefined ? { propertyName: attr(uri, 'PropertyName')! } : {}),
    ...(propertyId !== undefined ? { propertyId: Number(propertyId) } : {}),
    type: attr(uri, 'PropertyType') ?? 'String',
    ...(child(el, 'Value') ? { value: text(child(el, 'Value'))! } : {}),
    ...(valuesEl ? { values: childrenNamed(valuesEl, 'Value').map((v) => text(v)!) } : {}),
  };
}

/** Does a stored property answer this ExtendedFieldURI (from GetItem/FindItem/restrictions)? */
export function matchesUri(prop: Omit<PeerExtendedProp, 'value' | 'values'>, uri: Element): boolean {
  const tag = attr(uri, 'PropertyTag');
  if (tag !== undefined) return prop.tag === normaliseTag(tag);
  const set = attr(uri, 'PropertySetId')?.toLowerCase() ?? attr(uri, 'DistinguishedPropertySetId');
  const propSet = prop.propertySetId ?? prop.distinguishedPropertySetId;
  if (set !== propSet) return false;
  const name = attr(uri, 'PropertyName');
  if (name !== undefined) return prop.propertyName === name;
  const id = attr(uri, 'PropertyId');
  return id !== undefined && prop.propertyId === Number(id);
}

/** Properties Exchange computes even when the client did not send them (the draft trap of MIME imports). */
export function effectiveExtendedProps(item: PeerItem): PeerExtendedProp[] {
  const props = [...item.extendedProps];
  if (item.kind === 'Message' && !props.some((p) => p.tag === '0x0e07')) {
    // MIME->MAPI conversion leaves MSGFLAG_UNSENT on: without PR_MESSAGE_FLAGS the import is a draft.
    const flags = (item.mime ? MSGFLAG_UNSENT : 0) | (item.isRead ? MSGFLAG_READ : 0);
    props.push({ tag: '0x0e07', type: 'Integer', value: String(flags) });
  }
  return props;
}

export function extendedPropXml(prop: PeerExtendedProp): string {
  const attrs = [
    prop.distinguishedPropertySetId !== undefined ? `DistinguishedPropertySetId="${esc(prop.distinguishedPropertySetId)}"` : '',
    prop.propertySetId !== undefined ? `PropertySetId="${esc(prop.propertySetId)}"` : '',
    // Exchange answers tags without leading zeros: 0x0E07 -> 0xe07.
    prop.tag !== undefined ? `PropertyTag="0x${parseInt(prop.tag.slice(2), 16).toString(16)}"` : '',
    prop.propertyName !== undefined ? `PropertyName="${esc(prop.propertyName)}"` : '',
    prop.propertyId !== undefined ? `PropertyId="${prop.propertyId}"` : '',
    `PropertyType="${esc(prop.type)}"`,
  ].filter(Boolean);
  const value =
    prop.values !== undefined
      ? `<t:Values>${prop.values.map((v) => `<t:Value>${esc(v)}</t:Value>`).join('')}</t:Values>`
      : `<t:Value>${esc(prop.value ?? '')}</t:Value>`;
  return `<t:ExtendedProperty><t:ExtendedFieldURI ${attrs.join(' ')}/>${value}</t:ExtendedProperty>`;
}

export interface MimeHeaders {
  readonly subject?: string;
  readonly messageId?: string;
}

export function mimeHeaders(mime: Buffer): MimeHeaders {
  const head = mime.subarray(0, Math.min(mime.length, 64 * 1024)).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const unfolded = (end >= 0 ? head.slice(0, end) : head).replace(/\r?\n[ \t]+/g, ' ');
  const get = (name: string): string | undefined => {
    const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded);
    return m ? m[1]!.trim() : undefined;
  };
  const subject = get('Subject');
  const messageId = get('Message-ID');
  return {
    ...(subject !== undefined ? { subject: libmime.decodeWords(Buffer.from(subject, 'latin1').toString('utf8')) } : {}),
    ...(messageId !== undefined ? { messageId } : {}),
  };
}

export interface ItemShape {
  readonly base: 'IdOnly' | 'Default' | 'AllProperties' | 'PcxPeopleSearch';
  readonly includeMime: boolean;
  readonly fieldUris: ReadonlySet<string>;
  readonly extended: readonly Element[];
}

export function parseShape(shapeEl: Element | undefined): ItemShape {
  const base = (text(shapeEl && child(shapeEl, 'BaseShape')) ?? 'Default') as ItemShape['base'];
  const additional = shapeEl ? child(shapeEl, 'AdditionalProperties') : undefined;
  const paths = additional ? children(additional) : [];
  return {
    base,
    includeMime: text(shapeEl && child(shapeEl, 'IncludeMimeContent')) === 'true',
    fieldUris: new Set(paths.filter((p) => p.localName === 'FieldURI').map((p) => attr(p, 'FieldURI')!)),
    extended: paths.filter((p) => p.localName === 'ExtendedFieldURI'),
  };
}

function receivedTime(item: PeerItem): string {
  const p = item.extendedProps.find((e) => e.tag === '0x0e06');
  return p?.value ?? new Date(item.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The item element of a GetItem/FindItem answer, children in types.xsd order. */
export function itemXml(item: PeerItem, folder: PeerFolder | undefined, shape: ItemShape, allowMime: boolean): string {
  const all = shape.base === 'AllProperties';
  const dflt = all || shape.base === 'Default';
  const want = (uri: string, inDefault = false): boolean => shape.fieldUris.has(uri) || all || (inDefault && dflt);
  const parts: string[] = [];
  if (allowMime && item.mime && (shape.includeMime || shape.fieldUris.has('item:MimeContent'))) {
    // Rebuilt from properties, as Exchange does: not the bytes that were sent (mime-render.ts).
    parts.push(`<t:MimeContent CharacterSet="${esc(item.mimeCharacterSet ?? 'UTF-8')}">${rerenderMime(item.mime).toString('base64')}</t:MimeContent>`);
  }
  parts.push(`<t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/>`);
  if (want('item:ParentFolderId') && folder) parts.push(`<t:ParentFolderId Id="${folder.id}" ChangeKey="${folder.changeKey}"/>`);
  if (want('item:ItemClass')) parts.push(`<t:ItemClass>${esc(item.itemClass)}</t:ItemClass>`);
  if (want('item:Subject', true) && item.subject !== undefined) parts.push(`<t:Subject>${esc(item.subject)}</t:Subject>`);
  if (want('item:DateTimeReceived', true)) parts.push(`<t:DateTimeReceived>${esc(receivedTime(item))}</t:DateTimeReceived>`);
  if (want('item:Size', true)) parts.push(`<t:Size>${item.mime ? item.mime.length : Buffer.byteLength(item.xml)}</t:Size>`);
  if (want('item:Categories') && item.categories.length > 0) {
    parts.push(`<t:Categories>${item.categories.map((c) => `<t:String>${esc(c)}</t:String>`).join('')}</t:Categories>`);
  }
  const sent = item.extendedProps.find((e) => e.tag === '0x0039');
  if (want('item:DateTimeSent') && sent?.value) parts.push(`<t:DateTimeSent>${esc(sent.value)}</t:DateTimeSent>`);
  const props = effectiveExtendedProps(item);
  for (const uri of shape.extended) {
    const p = props.find((prop) => matchesUri(prop, uri));
    if (p) parts.push(extendedPropXml(p));
  }
  if (want('item:Flag') && item.flag) {
    const order = ['FlagStatus', 'StartDate', 'DueDate', 'CompleteDate'];
    parts.push(`<t:Flag>${order.filter((k) => item.flag![k] !== undefined).map((k) => `<t:${k}>${esc(item.flag![k]!)}</t:${k}>`).join('')}</t:Flag>`);
  }
  if (item.kind === 'CalendarItem') parts.push(...calendarFields(item, want));
  if (item.kind === 'Message') {
    if (want('message:InternetMessageId') && item.internetMessageId) parts.push(`<t:InternetMessageId>${esc(item.internetMessageId)}</t:InternetMessageId>`);
    if (want('message:IsRead', true)) parts.push(`<t:IsRead>${item.isRead ? 'true' : 'false'}</t:IsRead>`);
  }
  return `<t:${item.kind}>${parts.join('')}</t:${item.kind}>`;
}

/** Value of a FieldURI/ExtendedFieldURI on an item, for restrictions. */
export function itemValue(item: PeerItem, path: Element): string | undefined {
  if (path.localName === 'ExtendedFieldURI') {
    const p = effectiveExtendedProps(item).find((prop) => matchesUri(prop, path));
    return p?.value ?? p?.values?.join(',');
  }
  switch (attr(path, 'FieldURI')) {
    case 'message:InternetMessageId':
      return item.internetMessageId;
    case 'item:Subject':
      return item.subject;
    case 'item:ItemClass':
      return item.itemClass;
    case 'message:IsRead':
      return item.kind === 'Message' ? String(Boolean(item.isRead)) : undefined;
    case 'item:DateTimeReceived':
      return receivedTime(item);
    case 'item:Categories':
      return item.categories.join(',');
    default: {
      const local = attr(path, 'FieldURI')?.split(':')[1];
      return local ? item.fields[local] : undefined;
    }
  }
}

const RECURRENCE_XML = /<(?:[\w-]+:)?Recurrence[\s>][\s\S]*?<\/(?:[\w-]+:)?Recurrence>/;

/**
 * CalendarItem fields in types.xsd order. Every item Cloudward creates makes the mailbox owner its organizer, and
 * for the organizer Exchange answers IsRecurring=false on a recurring master (EWSREF:isrecurring: "IsRecurring ...
 * is false for the recurring master of the organizer", documented as a known issue); CalendarItemType says
 * RecurringMaster and Recurrence is there.
 */
function calendarFields(item: PeerItem, want: (uri: string, inDefault?: boolean) => boolean): string[] {
  const out: string[] = [];
  const field = (uri: string, local: string, inDefault = false) => {
    const value = item.fields[local];
    if (want(uri, inDefault) && value !== undefined) out.push(`<t:${local}>${esc(value)}</t:${local}>`);
  };
  const recurrence = RECURRENCE_XML.exec(item.xml)?.[0];
  field('calendar:UID', 'UID');
  field('calendar:Start', 'Start', true);
  field('calendar:End', 'End', true);
  field('calendar:IsAllDayEvent', 'IsAllDayEvent');
  field('calendar:Location', 'Location', true);
  if (want('calendar:IsRecurring')) out.push('<t:IsRecurring>false</t:IsRecurring>');
  if (want('calendar:CalendarItemType', true)) out.push(`<t:CalendarItemType>${recurrence ? 'RecurringMaster' : 'Single'}</t:CalendarItemType>`);
  if (want('calendar:Recurrence') && recurrence) out.push(recurrence);
  return out;
}
