import { randomUUID } from 'node:crypto';

import { windowsToIana } from '../../../electron/engine/model/windows-time-zones.js';

import type { Csdl } from './csdl.js';
import { validateBody } from './body-validator.js';
import { type FolderKind, type GraphMailbox, normalisePropertyId, type StoredEvent, type StoredFolder, type StoredItem, type StoredMessage } from './mailbox-store.js';
import { expandedPropertyIds, parseFilter } from './odata-query.js';

/**
 * The Graph REST resources the peer serves, each checked against the CSDL and behaving as Microsoft
 * documents. Doc shorthand: GRAPH:x = learn.microsoft.com/en-us/graph/x.
 */
export interface RouteRequest {
  readonly method: string;
  /** Segments after /users/{id} (or /me). */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly bodyBytes: number;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  readonly csdl: Csdl;
  readonly mailbox: GraphMailbox;
  readonly origin: string;
  readonly skipValidation?: boolean;
  violate(kind: string, detail: string): void;
  schemaError(path: string, problems: string[]): void;
  openUploadSession(message: StoredMessage, item: { name: string; size: number; contentType?: string; isInline: boolean; contentId?: string }): string;
}

export function graphError(status: number, code: string, message: string, headers?: Record<string, string>): RouteAnswer {
  return { status, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': randomUUID() } } }, ...(headers ? { headers } : {}) };
}

const MSGFLAG_READ = 0x1;
const MSGFLAG_UNSENT = 0x8;
const threeMb = 3 * 1024 * 1024;
const uploadMax = 150 * 1024 * 1024;

function validated(ctx: RouteContext, typeName: string, body: unknown, path: string): RouteAnswer | undefined {
  if (ctx.skipValidation) return undefined;
  const problems = validateBody(ctx.csdl, typeName, body);
  if (problems.length === 0) return undefined;
  ctx.schemaError(path, problems.map((problem) => `${problem.path}: ${problem.message}`));
  return graphError(400, 'RequestBodyRead', problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '));
}

/**
 * Properties the service computes; a client that sends them is told so (message resource, "read-only"
 * in GRAPH:api/resources/message and GRAPH:api/resources/event). The CSDL cannot say this (types-we-use.md).
 */
const readOnly: Record<string, readonly string[]> = {
  'microsoft.graph.message': ['id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'parentFolderId', 'conversationId', 'webLink', 'bodyPreview', 'hasAttachments', 'uniqueBody'],
  'microsoft.graph.contact': ['id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'parentFolderId'],
  'microsoft.graph.event': ['id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'seriesMasterId', 'type', 'webLink', 'iCalUId', 'isOrganizer', 'cancelledOccurrences', 'originalStart', 'bodyPreview', 'hasAttachments'],
  'microsoft.graph.todoTask': ['id', 'createdDateTime', 'lastModifiedDateTime', 'bodyLastModifiedDateTime', 'hasAttachments'],
};

function refuseReadOnly(ctx: RouteContext, typeName: string, body: Record<string, unknown>, path: string): RouteAnswer | undefined {
  const sent = (readOnly[typeName] ?? []).filter((name) => name in body);
  if (sent.length === 0) return undefined;
  ctx.schemaError(path, sent.map((name) => `/${name}: read-only`));
  return graphError(400, 'ErrorInvalidProperty', `Read-only properties cannot be set: ${sent.join(', ')}`);
}

function extendedFrom(body: Record<string, unknown>): Map<string, string> {
  const map = new Map<string, string>();
  const list = body.singleValueExtendedProperties;
  if (Array.isArray(list)) {
    for (const entry of list as { id?: unknown; value?: unknown }[]) {
      if (typeof entry.id === 'string' && typeof entry.value === 'string') map.set(normalisePropertyId(entry.id), entry.value);
    }
  }
  return map;
}

/** Property ids Graph accepts: "{type} 0x{tag}", "{type} {guid} Name {name}", "{type} {guid} Id 0x{id}" (GRAPH:api/resources/extended-properties-overview). */
const propertyId = /^(Binary|Boolean|Currency|CLSID|Double|Float|Integer|Long|Object|Short|String|SystemTime)\s+(0x[0-9a-f]{1,4}|\{[0-9a-f-]{36}\}\s+(Name\s+\S.*|Id\s+0x[0-9a-f]+))$/i;

function badPropertyIds(body: Record<string, unknown>): string[] {
  const list = body.singleValueExtendedProperties;
  if (!Array.isArray(list)) return [];
  return (list as { id?: unknown }[]).filter((entry) => typeof entry.id !== 'string' || !propertyId.test(entry.id)).map((entry) => String(entry.id));
}

function folderJson(folder: StoredFolder, mailbox: GraphMailbox): Record<string, unknown> {
  const children = mailbox.folders.filter((child) => child.parentId === folder.id).length;
  const base = { id: folder.id, displayName: folder.displayName, ...(folder.parentId ? { parentFolderId: folder.parentId } : {}) };
  if (folder.kind === 'mail') return { ...base, childFolderCount: children, totalItemCount: mailbox.items.filter((item) => item.folderId === folder.id).length };
  if (folder.kind === 'calendar') return { id: folder.id, name: folder.displayName };
  if (folder.kind === 'todo') return { id: folder.id, displayName: folder.displayName, wellknownListName: folder.wellKnown === 'defaultList' ? 'defaultList' : 'none' };
  return base;
}

function expandedProperties(item: StoredItem, ids: string[] | undefined): Record<string, unknown> {
  if (ids === undefined) return {};
  const out = ids.flatMap((id) => {
    const value = item.extended.get(normalisePropertyId(id));
    // Graph answers with its own spelling of the id (tags lower-case without leading zeros).
    return value === undefined ? [] : [{ id: normalisePropertyId(id).replace(/^(\w)/, (c) => c.toUpperCase()), value }];
  });
  return { singleValueExtendedProperties: out };
}

export function messageJson(message: StoredMessage, ids?: string[]): Record<string, unknown> {
  const posted = message.posted;
  const pick = (name: string) => (posted[name] === undefined ? {} : { [name]: posted[name] });
  return {
    id: message.id,
    parentFolderId: message.folderId,
    createdDateTime: message.createdAt.toISOString(),
    isDraft: message.isDraft,
    isRead: message.isRead,
    receivedDateTime: message.receivedDateTime,
    sentDateTime: message.sentDateTime,
    hasAttachments: message.attachments.some((attachment) => !attachment.isInline),
    importance: posted.importance ?? 'normal',
    categories: posted.categories ?? [],
    ...['subject', 'body', 'from', 'sender', 'toRecipients', 'ccRecipients', 'bccRecipients', 'replyTo', 'internetMessageId', 'internetMessageHeaders', 'flag', 'isReadReceiptRequested', 'isDeliveryReceiptRequested'].reduce((acc, name) => ({ ...acc, ...pick(name) }), {}),
    ...expandedProperties(message, ids),
  };
}

function itemJson(item: StoredItem, ids?: string[]): Record<string, unknown> {
  if (item.kind === 'message') return messageJson(item, ids);
  const posted = { ...item.posted };
  delete posted.singleValueExtendedProperties;
  delete posted.attachments;
  const extra = item.kind === 'event' ? { cancelledOccurrences: item.cancelledOccurrences, type: posted.recurrence ? 'seriesMaster' : 'singleInstance' } : {};
  return { id: item.id, parentFolderId: item.folderId, ...posted, ...extra, ...expandedProperties(item, ids) };
}

function filterItems(ctx: RouteContext, items: StoredItem[], query: URLSearchParams, segments: readonly string[]): RouteAnswer {
  const filterText = query.get('$filter');
  let selected = items;
  if (filterText !== null) {
    const filter = parseFilter(filterText);
    if ('error' in filter) return graphError(400, 'BadRequest', filter.error);
    if (filter.kind !== 'extended') return graphError(400, 'BadRequest', `Cannot filter items by ${filter.property}`);
    selected = items.filter((item) => filter.clauses.some((clause) => item.extended.get(normalisePropertyId(clause.id)) === clause.value));
  }
  const ids = expandedPropertyIds(query.get('$expand'));
  if (ids !== undefined && !Array.isArray(ids)) return graphError(400, 'BadRequest', ids.error);
  const top = Math.min(1000, Number(query.get('$top') ?? '10'));
  const skip = Number(query.get('$skip') ?? '0');
  const page = selected.slice(skip, skip + top);
  return {
    status: 200,
    body: {
      value: page.map((item) => itemJson(item, ids)),
      ...(skip + top < selected.length ? { '@odata.nextLink': nextLink(ctx, segments, query, skip + top) } : {}),
    },
  };
}

function nextLink(ctx: RouteContext, segments: readonly string[], query: URLSearchParams, skip: number): string {
  const next = new URLSearchParams(query);
  next.set('$skip', String(skip));
  return `${ctx.origin}/v1.0/users/${encodeURIComponent(ctx.mailbox.address)}/${segments.map(encodeURIComponent).join('/')}?${next.toString()}`;
}

function listFolders(ctx: RouteContext, kind: FolderKind, parentId: string | undefined, query: URLSearchParams): RouteAnswer {
  let folders = kind === 'mail' ? ctx.mailbox.folders.filter((folder) => folder.kind === 'mail' && folder.parentId === parentId) : ctx.mailbox.folders.filter((folder) => folder.kind === kind && folder.parentId === parentId);
  const filterText = query.get('$filter');
  if (filterText !== null) {
    const filter = parseFilter(filterText);
    if ('error' in filter) return graphError(400, 'BadRequest', filter.error);
    const property = kind === 'calendar' ? 'name' : 'displayName';
    if (filter.kind !== 'eq' || filter.property !== property) return graphError(400, 'BadRequest', `Filter on ${property} only`);
    // Exchange compares folder names without case.
    folders = folders.filter((folder) => folder.displayName.toLowerCase() === filter.value.toLowerCase());
  }
  return { status: 200, body: { value: folders.map((folder) => folderJson(folder, ctx.mailbox)) } };
}

function createFolder(ctx: RouteContext, kind: FolderKind, parentId: string | undefined, body: unknown, path: string): RouteAnswer {
  const typeName = { mail: 'microsoft.graph.mailFolder', contacts: 'microsoft.graph.contactFolder', calendar: 'microsoft.graph.calendar', todo: 'microsoft.graph.todoTaskList' }[kind];
  const invalid = validated(ctx, typeName, body, path);
  if (invalid) return invalid;
  const record = body as Record<string, unknown>;
  const name = (kind === 'calendar' ? record.name : record.displayName) as string | undefined;
  if (typeof name !== 'string' || name.trim() === '') return graphError(400, 'ErrorInvalidParameter', 'A folder needs a name');
  // GRAPH:api/mailfolder-post-childfolders — a second folder of the same name under one parent: 409 ErrorFolderExists.
  const siblings = ctx.mailbox.folders.filter((folder) => folder.kind === kind && folder.parentId === parentId);
  if (siblings.some((folder) => folder.displayName.toLowerCase() === name.toLowerCase())) {
    return graphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  }
  const folder = ctx.mailbox.addFolder(kind, name, parentId);
  return { status: 201, body: folderJson(folder, ctx.mailbox) };
}

function createMessage(ctx: RouteContext, folder: StoredFolder, body: unknown, path: string): RouteAnswer {
  const invalid = validated(ctx, 'microsoft.graph.message', body, path);
  if (invalid) return invalid;
  const record = body as Record<string, unknown>;
  const readOnlyProblem = refuseReadOnly(ctx, 'microsoft.graph.message', record, path);
  if (readOnlyProblem) return readOnlyProblem;
  const badIds = badPropertyIds(record);
  if (badIds.length > 0) return graphError(400, 'ErrorInvalidProperty', `Invalid extended property id: ${badIds.join(', ')}`);
  // GRAPH:api/resources/internetmessageheader, GRAPH:api/user-sendmail: only custom x- headers, at most 5 per message.
  const headers = (record.internetMessageHeaders ?? []) as { name?: string }[];
  if (headers.some((header) => !/^x-/i.test(header.name ?? ''))) return graphError(400, 'InvalidInternetMessageHeader', "The internet message header name should start with 'x-' or 'X-'.");
  if (headers.length > 5) return graphError(400, 'InvalidInternetMessageHeaderCollection', 'Maximum number of headers in one message should be less than or equal to 5.');
  // Inline attachments in the create: GRAPH:api/user-post-messages allows them; each must be a concrete type (validator) below 3 MB.
  const attachments = Array.isArray(record.attachments) ? (record.attachments as Record<string, unknown>[]) : [];
  for (const attachment of attachments) {
    const size = Buffer.from(String(attachment.contentBytes ?? ''), 'base64').length;
    if (size > threeMb) return graphError(413, 'ErrorRequestEntityTooLarge', 'Attachments of 3 MB or more go through an upload session (GRAPH:outlook-large-attachments).');
  }
  const extended = extendedFrom(record);
  const flagsText = extended.get('integer 0xe07');
  const flags = flagsText === undefined ? undefined : Number(flagsText);
  // PR_MESSAGE_FLAGS is honoured only at creation. Without it, an item created through REST is a draft
  // (MSGFLAG_UNSENT; GRAPH:api/user-post-messages "create a draft"; ews-graph.md §5a).
  const isDraft = flags === undefined ? true : (flags & MSGFLAG_UNSENT) !== 0;
  const flagRead = flags === undefined ? undefined : (flags & MSGFLAG_READ) !== 0;
  if (typeof record.isRead === 'boolean' && flagRead !== undefined && record.isRead !== flagRead) ctx.violate('isread-contradicts-message-flags', `isRead=${String(record.isRead)} but PR_MESSAGE_FLAGS=${flagsText ?? ''}`);
  const now = new Date().toISOString();
  // receivedDateTime/sentDateTime in the body are ignored by Exchange on create; the MAPI times are what count.
  const received = extended.get('systemtime 0xe06');
  const sent = extended.get('systemtime 0x39');
  const message: StoredMessage = {
    kind: 'message',
    id: `msg-${randomUUID()}`,
    folderId: folder.id,
    posted: record,
    extended,
    createdAt: new Date(),
    isDraft,
    isRead: flagRead ?? (typeof record.isRead === 'boolean' ? record.isRead : true),
    receivedDateTime: received ? new Date(received).toISOString() : now,
    sentDateTime: sent ? new Date(sent).toISOString() : isDraft ? null : now,
    attachments: attachments.map((attachment) => {
      const bytes = Buffer.from(String(attachment.contentBytes ?? ''), 'base64');
      return {
        id: `att-${randomUUID()}`,
        name: String(attachment.name ?? ''),
        ...(typeof attachment.contentType === 'string' ? { contentType: attachment.contentType } : {}),
        size: bytes.length,
        isInline: attachment.isInline === true,
        ...(typeof attachment.contentId === 'string' ? { contentId: attachment.contentId } : {}),
        bytes,
        viaUploadSession: false,
      };
    }),
  };
  ctx.mailbox.items.push(message);
  return { status: 201, body: messageJson(message) };
}

function addAttachment(ctx: RouteContext, message: StoredMessage, body: unknown, path: string): RouteAnswer {
  const invalid = validated(ctx, 'microsoft.graph.attachment', body, path);
  if (invalid) return invalid;
  const record = body as Record<string, unknown>;
  if (record['@odata.type'] !== '#microsoft.graph.fileAttachment') return graphError(400, 'ErrorInvalidParameter', 'Only file attachments are simulated');
  const bytes = Buffer.from(String(record.contentBytes ?? ''), 'base64');
  // GRAPH:api/message-post-attachments: "the size of the attachment must be under 3 MB".
  if (bytes.length > threeMb) return graphError(413, 'ErrorRequestEntityTooLarge', 'The attachment is 3 MB or larger: use createUploadSession.');
  const attachment = {
    id: `att-${randomUUID()}`,
    name: String(record.name ?? ''),
    ...(typeof record.contentType === 'string' ? { contentType: record.contentType } : {}),
    size: bytes.length,
    isInline: record.isInline === true,
    ...(typeof record.contentId === 'string' ? { contentId: record.contentId } : {}),
    bytes,
    viaUploadSession: false,
  };
  message.attachments.push(attachment);
  return { status: 201, body: { '@odata.type': '#microsoft.graph.fileAttachment', id: attachment.id, name: attachment.name, size: attachment.size, isInline: attachment.isInline } };
}

function createUploadSession(ctx: RouteContext, message: StoredMessage, body: unknown, path: string): RouteAnswer {
  // The action's one parameter is AttachmentItem (types-we-use.md).
  if (typeof body !== 'object' || body === null || Object.keys(body).some((key) => key !== 'AttachmentItem')) {
    ctx.schemaError(path, ['body must be {"AttachmentItem": {...}}']);
    return graphError(400, 'RequestBodyRead', 'The action createUploadSession takes one parameter, AttachmentItem.');
  }
  const item = (body as { AttachmentItem: unknown }).AttachmentItem;
  const invalid = validated(ctx, 'microsoft.graph.attachmentItem', item, `${path}#AttachmentItem`);
  if (invalid) return invalid;
  const record = item as { attachmentType?: string; name?: string; size?: number; contentType?: string; isInline?: boolean; contentId?: string };
  if (record.attachmentType?.toLowerCase() !== 'file') return graphError(400, 'ErrorInvalidParameter', 'attachmentType must be file');
  const size = Number(record.size ?? NaN);
  // GRAPH:api/attachment-createuploadsession: for files between 3 MB and 150 MB.
  if (!Number.isFinite(size) || size < threeMb) return graphError(400, 'ErrorAttachmentSizeShouldNotBeLessThanMinimumSize', 'Attachment size must be at least 3 MB for an upload session.');
  if (size > uploadMax) return graphError(400, 'ErrorAttachmentSizeExceeded', 'Attachment size exceeds 150 MB.');
  const url = ctx.openUploadSession(message, {
    name: record.name ?? '',
    size,
    isInline: record.isInline === true,
    ...(record.contentType ? { contentType: record.contentType } : {}),
    ...(record.contentId ? { contentId: record.contentId } : {}),
  });
  return { status: 201, body: { uploadUrl: url, expirationDateTime: new Date(Date.now() + 15 * 60_000).toISOString(), nextExpectedRanges: ['0-'] } };
}

function createTyped(ctx: RouteContext, kind: 'contact' | 'event' | 'task', folder: StoredFolder, body: unknown, path: string): RouteAnswer {
  const typeName = { contact: 'microsoft.graph.contact', event: 'microsoft.graph.event', task: 'microsoft.graph.todoTask' }[kind];
  const invalid = validated(ctx, typeName, body, path);
  if (invalid) return invalid;
  const record = body as Record<string, unknown>;
  const readOnlyProblem = refuseReadOnly(ctx, typeName, record, path);
  if (readOnlyProblem) return readOnlyProblem;
  const badIds = badPropertyIds(record);
  if (badIds.length > 0) return graphError(400, 'ErrorInvalidProperty', `Invalid extended property id: ${badIds.join(', ')}`);
  const base = { id: `${kind}-${randomUUID()}`, folderId: folder.id, posted: record, extended: extendedFrom(record), createdAt: new Date() };
  let item: StoredItem;
  if (kind === 'event') {
    // GRAPH:api/user-post-events: "When an event is sent, the server sends invitations to all the attendees."
    const attendees = Array.isArray(record.attendees) ? record.attendees : [];
    if (attendees.length > 0) ctx.violate('invitation-sent', `event "${String(record.subject ?? '')}" created with ${attendees.length} attendee(s): Exchange mails each an invitation`);
    if (record.start === undefined || record.end === undefined) return graphError(400, 'ErrorInvalidRequest', 'An event needs start and end.');
    // transactionId: "if the client retries ... this avoids redundant event creation" (GRAPH:api/resources/event).
    if (typeof record.transactionId === 'string') {
      const earlier = ctx.mailbox.events.find((event) => event.posted.transactionId === record.transactionId);
      if (earlier) return { status: 201, body: itemJson(earlier) };
    }
    item = { kind: 'event', ...base, exceptions: new Map(), cancelledOccurrences: [] } satisfies StoredEvent;
  } else if (kind === 'contact') {
    item = { kind: 'contact', ...base };
  } else {
    if (typeof record.title !== 'string' || record.title === '') return graphError(400, 'invalidRequest', 'A task needs a title.');
    item = { kind: 'task', ...base };
  }
  ctx.mailbox.items.push(item);
  return { status: 201, body: itemJson(item) };
}

const dayMs = 86_400_000;

/** The instant at which a zone's wall clock shows `local` (ms of a UTC-based wall-clock reading). */
function zonedInstant(local: number, timeZone: string | undefined): number {
  const iana = timeZone === undefined || /^(UTC|Etc\/UTC)$/i.test(timeZone) ? 'Etc/UTC' : windowsToIana[timeZone] ?? timeZone;
  let guess = local;
  for (let pass = 0; pass < 2; pass += 1) {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(guess));
    const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? '0');
    const shown = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
    guess += local - shown;
  }
  return guess;
}

/**
 * Occurrence starts (ISO, UTC) of a series between two instants, expanded on the series' wall clock in
 * its own zone as Exchange does: daily, weekly, absolute/relative monthly and absolute yearly patterns
 * (GRAPH:api/resources/recurrencepattern).
 */
function occurrences(event: StoredEvent, from: number, to: number): string[] {
  const recurrence = event.posted.recurrence as { pattern?: { type?: string; interval?: number; daysOfWeek?: string[]; dayOfMonth?: number; month?: number; index?: string }; range?: { type?: string; startDate?: string; endDate?: string; numberOfOccurrences?: number } } | undefined;
  const startField = event.posted.start as { dateTime?: string; timeZone?: string } | undefined;
  const start = Date.parse(`${String(startField?.dateTime ?? '').replace(/(\.\d+)?Z?$/, '')}Z`);
  if (!recurrence?.pattern || !Number.isFinite(start)) return [];
  const pattern = recurrence.pattern;
  const range = recurrence.range ?? {};
  const interval = Math.max(1, pattern.interval ?? 1);
  const end = range.type === 'endDate' && range.endDate ? Date.parse(`${range.endDate}T23:59:59Z`) : Infinity;
  const limit = range.type === 'numbered' ? range.numberOfOccurrences ?? 0 : Infinity;
  const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  const ordinals = ['first', 'second', 'third', 'fourth'];
  const out: string[] = [];
  let count = 0;
  const first = new Date(start);
  for (let day = 0; day < 20_000 && count < limit; day += 1) {
    const local = start + day * dayMs;
    if (local > end) break;
    const date = new Date(local);
    const months = (date.getUTCFullYear() - first.getUTCFullYear()) * 12 + date.getUTCMonth() - first.getUTCMonth();
    const weekday = days[date.getUTCDay()] ?? '';
    let hit = false;
    if (pattern.type === 'daily') hit = day % interval === 0;
    else if (pattern.type === 'weekly') hit = Math.floor(day / 7) % interval === 0 && (pattern.daysOfWeek ?? []).includes(weekday);
    else if (pattern.type === 'absoluteMonthly') hit = months % interval === 0 && date.getUTCDate() === (pattern.dayOfMonth ?? first.getUTCDate());
    else if (pattern.type === 'relativeMonthly') {
      const nth = Math.floor((date.getUTCDate() - 1) / 7);
      const last = new Date(local + 7 * dayMs).getUTCMonth() !== date.getUTCMonth();
      hit = months % interval === 0 && (pattern.daysOfWeek ?? []).includes(weekday) && (pattern.index === 'last' ? last : ordinals[nth] === (pattern.index ?? 'first'));
    } else if (pattern.type === 'absoluteYearly') hit = date.getUTCDate() === (pattern.dayOfMonth ?? first.getUTCDate()) && date.getUTCMonth() + 1 === (pattern.month ?? first.getUTCMonth() + 1);
    if (!hit) continue;
    count += 1;
    const instant = zonedInstant(local, startField?.timeZone);
    if (instant > to) break;
    if (instant >= from) out.push(new Date(instant).toISOString().replace('.000Z', 'Z'));
  }
  return out;
}

function instances(ctx: RouteContext, event: StoredEvent, query: URLSearchParams): RouteAnswer {
  // GRAPH:api/event-list-instances: startDateTime and endDateTime are required.
  const from = Date.parse(query.get('startDateTime') ?? '');
  const to = Date.parse(query.get('endDateTime') ?? '');
  if (!Number.isFinite(from) || !Number.isFinite(to)) return graphError(400, 'ErrorInvalidParameter', 'startDateTime and endDateTime are required.');
  const starts = occurrences(event, from, to).filter((start) => !event.cancelledOccurrences.includes(start));
  const duration = Date.parse(`${String((event.posted.end as { dateTime?: string }).dateTime)}Z`) - Date.parse(`${String((event.posted.start as { dateTime?: string }).dateTime)}Z`);
  return {
    status: 200,
    body: {
      value: starts.map((start) => ({
        id: `${event.id}.occ.${start}`,
        seriesMasterId: event.id,
        type: event.exceptions.has(start) ? 'exception' : 'occurrence',
        originalStart: start,
        start: { dateTime: start.replace('Z', ''), timeZone: 'UTC' },
        end: { dateTime: new Date(Date.parse(start) + duration).toISOString().replace('.000Z', ''), timeZone: 'UTC' },
        ...(event.exceptions.get(start) ?? {}),
      })),
    },
  };
}

function findEvent(ctx: RouteContext, id: string): { event: StoredEvent; occurrence?: string } | undefined {
  const [seriesId, marker, start] = id.split('.occ.').length === 2 ? [id.split('.occ.')[0], 'occ', id.split('.occ.')[1]] : [id, undefined, undefined];
  const event = ctx.mailbox.events.find((candidate) => candidate.id === seriesId);
  if (!event) return undefined;
  return marker && start ? { event, occurrence: start } : { event };
}

function attendeesOf(event: StoredEvent): number {
  return Array.isArray(event.posted.attendees) ? event.posted.attendees.length : 0;
}

/** Dispatches one request for a mailbox. Unknown resources are 400 + a violation: the client called something the peer (and the plan) does not know. */
export function route(ctx: RouteContext, req: RouteRequest): RouteAnswer {
  const { method, segments: s, query, body } = req;
  const path = `${method} /${s.join('/')}`;
  const m = ctx.mailbox;
  const mailFolder = (id: string | undefined) => (id === undefined ? undefined : m.folder(id, 'mail'));
  const notFound = () => graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  const at = (index: number) => s[index] ?? '';

  if (s.length === 0 && method === 'GET') return { status: 200, body: { id: m.id, userPrincipalName: m.address, mail: m.address } };
  // ---- mail folders (GRAPH:api/resources/mailfolder; well-known names usable as ids)
  if (at(0) === 'mailFolders') {
    if (s.length === 1 && method === 'POST') return createFolder(ctx, 'mail', m.root.id, body, path);
    if (s.length === 1 && method === 'GET') return listFolders(ctx, 'mail', m.root.id, query);
    const folder = mailFolder(s[1]);
    if (!folder) return notFound();
    if (s.length === 2 && method === 'GET') return { status: 200, body: folderJson(folder, m) };
    if (s.length === 3 && at(2) === 'childFolders' && method === 'GET') return listFolders(ctx, 'mail', folder.id, query);
    if (s.length === 3 && at(2) === 'childFolders' && method === 'POST') return createFolder(ctx, 'mail', folder.id, body, path);
    if (s.length === 3 && at(2) === 'messages' && method === 'POST') return createMessage(ctx, folder, body, path);
    if (s.length === 3 && at(2) === 'messages' && method === 'GET') return filterItems(ctx, m.messages.filter((message) => message.folderId === folder.id), query, s);
  }
  if (at(0) === 'messages') {
    // GRAPH:outlook-send-mime-message: MIME (text/plain base64) creates only drafts; JSON is what Cloudward must send.
    if (s.length === 1 && method === 'POST') return createMessage(ctx, m.folder('drafts', 'mail') as StoredFolder, body, path);
    const message = m.messages.find((candidate) => candidate.id === s[1]);
    if (!message) return notFound();
    if (s.length === 2 && method === 'GET') {
      const ids = expandedPropertyIds(query.get('$expand'));
      if (ids !== undefined && !Array.isArray(ids)) return graphError(400, 'BadRequest', ids.error);
      return { status: 200, body: messageJson(message, ids) };
    }
    if (s.length === 2 && method === 'DELETE') {
      m.items.splice(m.items.indexOf(message), 1);
      return { status: 204 };
    }
    if (s.length === 3 && at(2) === 'attachments' && method === 'POST') return addAttachment(ctx, message, body, path);
    if (s.length === 3 && at(2) === 'attachments' && method === 'GET') {
      return { status: 200, body: { value: message.attachments.map((a) => ({ '@odata.type': '#microsoft.graph.fileAttachment', id: a.id, name: a.name, size: a.size, isInline: a.isInline, contentId: a.contentId ?? null, contentType: a.contentType ?? null })) } };
    }
    if (s.length === 4 && at(2) === 'attachments' && at(3) === 'createUploadSession' && method === 'POST') return createUploadSession(ctx, message, body, path);
    if (s.length === 3 && ['send', 'reply', 'replyAll', 'forward'].includes(at(2))) {
      ctx.violate('mail-sent', `${path}: a migration never sends mail`);
      return { status: 202 };
    }
  }
  // ---- contacts (GRAPH:api/resources/contactfolder, GRAPH:api/user-post-contacts)
  if (at(0) === 'contactFolders') {
    if (s.length === 1 && method === 'GET') return listFolders(ctx, 'contacts', undefined, query);
    if (s.length === 1 && method === 'POST') return createFolder(ctx, 'contacts', undefined, body, path);
    const folder = s[1] === 'contacts' ? m.defaultContacts : m.folder(at(1), 'contacts');
    if (!folder) return notFound();
    if (s.length === 3 && at(2) === 'childFolders' && method === 'GET') return listFolders(ctx, 'contacts', folder.id, query);
    if (s.length === 3 && at(2) === 'childFolders' && method === 'POST') return createFolder(ctx, 'contacts', folder.id, body, path);
    if (s.length === 3 && at(2) === 'contacts' && method === 'POST') return createTyped(ctx, 'contact', folder, body, path);
    if (s.length === 3 && at(2) === 'contacts' && method === 'GET') return filterItems(ctx, m.contacts.filter((c) => c.folderId === folder.id), query, s);
  }
  if (at(0) === 'contacts') {
    if (s.length === 1 && method === 'POST') return createTyped(ctx, 'contact', m.defaultContacts, body, path);
    if (s.length === 1 && method === 'GET') return filterItems(ctx, m.contacts.filter((c) => c.folderId === m.defaultContacts.id), query, s);
    const contact = m.contacts.find((c) => c.id === s[1]);
    if (s.length === 2 && method === 'GET') {
      if (!contact) return notFound();
      const ids = expandedPropertyIds(query.get('$expand'));
      return { status: 200, body: itemJson(contact, Array.isArray(ids) ? ids : undefined) };
    }
  }
  // ---- calendars and events (GRAPH:api/user-post-calendars, GRAPH:api/user-post-events)
  if (at(0) === 'calendars') {
    if (s.length === 1 && method === 'GET') return listFolders(ctx, 'calendar', undefined, query);
    if (s.length === 1 && method === 'POST') return createFolder(ctx, 'calendar', undefined, body, path);
    const calendar = m.folder(at(1), 'calendar');
    if (!calendar) return notFound();
    if (s.length === 3 && at(2) === 'events' && method === 'POST') return createTyped(ctx, 'event', calendar, body, path);
    if (s.length === 3 && at(2) === 'events' && method === 'GET') return filterItems(ctx, m.events.filter((e) => e.folderId === calendar.id), query, s);
  }
  if (at(0) === 'calendar' && at(1) === 'events' && s.length === 2) {
    if (method === 'POST') return createTyped(ctx, 'event', m.defaultCalendar, body, path);
    if (method === 'GET') return filterItems(ctx, m.events.filter((e) => e.folderId === m.defaultCalendar.id), query, s);
  }
  if (at(0) === 'events') {
    if (s.length === 1 && method === 'POST') return createTyped(ctx, 'event', m.defaultCalendar, body, path);
    const found = findEvent(ctx, at(1));
    if (!found) return notFound();
    const { event, occurrence } = found;
    if (s.length === 2 && method === 'GET') {
      const ids = expandedPropertyIds(query.get('$expand'));
      return { status: 200, body: itemJson(event, Array.isArray(ids) ? ids : undefined) };
    }
    if (s.length === 3 && at(2) === 'instances' && method === 'GET') return instances(ctx, event, query);
    if (s.length === 2 && method === 'DELETE') {
      // GRAPH:api/event-delete: deleting a meeting the user organises sends a cancellation to its attendees.
      if (attendeesOf(event) > 0) ctx.violate('cancellation-sent', `DELETE of "${String(event.posted.subject ?? '')}" with attendees`);
      if (occurrence) {
        // cancelledOccurrences lists the original starts of deleted occurrences (GRAPH:api/resources/event).
        if (!event.cancelledOccurrences.includes(occurrence)) event.cancelledOccurrences.push(occurrence);
        event.exceptions.delete(occurrence);
      } else m.items.splice(m.items.indexOf(event), 1);
      return { status: 204 };
    }
    if (s.length === 2 && method === 'PATCH') {
      const invalid = validated(ctx, 'microsoft.graph.event', body, path);
      if (invalid) return invalid;
      // GRAPH:api/event-update: updating a meeting with attendees sends them an update.
      if (attendeesOf(event) > 0 || (Array.isArray((body as Record<string, unknown>).attendees) && ((body as Record<string, unknown>).attendees as unknown[]).length > 0)) {
        ctx.violate('update-sent', `PATCH of "${String(event.posted.subject ?? '')}" with attendees`);
      }
      if (occurrence) event.exceptions.set(occurrence, { ...(event.exceptions.get(occurrence) ?? {}), ...(body as Record<string, unknown>) });
      else Object.assign(event.posted, body as Record<string, unknown>);
      return { status: 200, body: itemJson(event) };
    }
    if (s.length === 3 && ['cancel', 'forward', 'accept', 'decline', 'tentativelyAccept'].includes(at(2))) {
      ctx.violate('meeting-message-sent', `${path}: sends mail to attendees or the organizer`);
      return { status: 202 };
    }
  }
  // ---- To Do (GRAPH:api/todo-post-lists, GRAPH:api/todotasklist-post-tasks)
  if (at(0) === 'todo' && at(1) === 'lists') {
    if (s.length === 2 && method === 'GET') return listFolders(ctx, 'todo', undefined, query);
    if (s.length === 2 && method === 'POST') return createFolder(ctx, 'todo', undefined, body, path);
    const list = m.folder(at(2), 'todo');
    if (!list) return notFound();
    if (s.length === 4 && at(3) === 'tasks' && method === 'POST') return createTyped(ctx, 'task', list, body, path);
    if (s.length === 5 && at(3) === 'tasks' && method === 'GET') {
      const task = m.tasks.find((t) => t.id === s[4] && t.folderId === list.id);
      return task ? { status: 200, body: itemJson(task) } : notFound();
    }
    if (s.length === 4 && at(3) === 'tasks' && method === 'GET') {
      // linkedResources are returned with $expand=linkedResources (GRAPH:api/resources/linkedresource).
      const tasks = m.tasks.filter((t) => t.folderId === list.id);
      const top = Math.min(200, Number(query.get('$top') ?? '10'));
      const skip = Number(query.get('$skip') ?? '0');
      const page = tasks.slice(skip, skip + top);
      return {
        status: 200,
        body: {
          value: page.map((t) => itemJson(t)),
          ...(skip + top < tasks.length ? { '@odata.nextLink': `${ctx.origin}/v1.0/users/${encodeURIComponent(m.address)}/todo/lists/${list.id}/tasks?$top=${top}&$skip=${skip + top}&$expand=linkedResources` } : {}),
        },
      };
    }
  }
  ctx.violate('unimplemented-resource', path);
  return graphError(400, 'BadRequest', `Resource not found for the segment '${s.join('/')}'.`);
}
