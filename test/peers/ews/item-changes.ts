import type { PeerItem, PeerOccurrenceException } from './ews-peer.js';
import { matchesUri, parseExtendedProperty } from './item-fields.js';
import { newChangeKey, type MailboxStore } from './mailbox-store.js';
import type { Handler, OpAnswer, OpContext } from './operations.js';
import { errorMessage, operationResponse, successMessage } from './responses.js';
import { attr, child, children, serialize } from './soap-xml.js';

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const ok = (body: string): OpAnswer => ({ status: 200, body, outcome: 'NoError' });

const NOT_FOUND = 'The specified object was not found in the store.';

/** What an ItemId / OccurrenceItemId / RecurringMasterItemId names. */
type Target =
  | { readonly kind: 'item'; readonly item: PeerItem }
  | { readonly kind: 'occurrence'; readonly master: PeerItem; readonly instanceIndex: number }
  | { readonly kind: 'error'; readonly code: string; readonly text: string };

const notFound: Target = { kind: 'error', code: 'ErrorItemNotFound', text: NOT_FOUND };

/** The mailbox whose items a request names (item ids carry their mailbox on Exchange); the caller's when none is known or allowed. */
function holderOfRequest(ctx: OpContext, idEls: readonly Element[]): MailboxStore {
  for (const idEl of idEls) {
    const id = attr(idEl, 'RecurringMasterId') ?? attr(idEl, 'OccurrenceId') ?? attr(idEl, 'Id');
    const holder = id ? ctx.holderOf(id) : undefined;
    if (holder && ctx.canOpen(holder)) return holder;
  }
  return ctx.mailbox;
}

function resolveTarget(mailbox: MailboxStore, idEl: Element): Target {
  const occurrenceOf = (masterId: string | undefined, instanceIndex: number): Target => {
    const master = mailbox.itemById(masterId ?? '');
    return master && master.kind === 'CalendarItem' ? { kind: 'occurrence', master, instanceIndex } : notFound;
  };
  switch (idEl.localName) {
    case 'OccurrenceItemId':
      return occurrenceOf(attr(idEl, 'RecurringMasterId'), Number(attr(idEl, 'InstanceIndex')));
    case 'RecurringMasterItemId': {
      // Names the series through one of its occurrences' ids.
      const occurrence = mailbox.occurrenceIds.get(attr(idEl, 'OccurrenceId') ?? '');
      const master = occurrence ? mailbox.itemById(occurrence.masterId) : undefined;
      return master ? { kind: 'item', item: master } : notFound;
    }
    default: {
      const id = attr(idEl, 'Id') ?? '';
      const item = mailbox.itemById(id);
      if (item) return { kind: 'item', item };
      const occurrence = mailbox.occurrenceIds.get(id);
      return occurrence ? occurrenceOf(occurrence.masterId, occurrence.instanceIndex) : notFound;
    }
  }
}

const RECURRENCE = /<(?:[\w-]+:)?Recurrence[\s>]/;
const NUMBER_OF_OCCURRENCES = /<(?:[\w-]+:)?NumberOfOccurrences>\s*(\d+)\s*</;

/** Exchange's answer when an occurrence cannot be addressed; undefined when it can. */
function occurrenceProblem(master: PeerItem, instanceIndex: number): Target | undefined {
  const outOfRange: Target = {
    kind: 'error',
    code: 'ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange',
    text: 'The occurrence index is out of recurrence range.',
  };
  if (!RECURRENCE.test(master.xml) || !Number.isInteger(instanceIndex) || instanceIndex < 1) return outOfRange;
  // Only a numbered range has a bound the peer can see without expanding the pattern.
  const count = NUMBER_OF_OCCURRENCES.exec(master.xml)?.[1];
  if (count !== undefined && instanceIndex > Number(count)) return outOfRange;
  if (master.deletedOccurrences.includes(instanceIndex)) {
    return { kind: 'error', code: 'ErrorCalendarOccurrenceIsDeletedFromRecurrence', text: 'Occurrence with this index was previously deleted from the recurrence.' };
  }
  return undefined;
}

function isCalendar(target: Target): boolean {
  return target.kind === 'occurrence' || (target.kind === 'item' && target.item.kind === 'CalendarItem');
}

/** Key under which a change is recorded: FieldURI, FieldURI[FieldIndex], or extended:<attributes>. */
function pathKey(path: Element): string {
  if (path.localName === 'IndexedFieldURI') return `${attr(path, 'FieldURI')}[${attr(path, 'FieldIndex')}]`;
  if (path.localName === 'ExtendedFieldURI') {
    const names = ['DistinguishedPropertySetId', 'PropertySetId', 'PropertyTag', 'PropertyName', 'PropertyId', 'PropertyType'];
    return `extended:${names.filter((n) => attr(path, n) !== undefined).map((n) => `${n}=${attr(path, n)}`).join(',')}`;
  }
  return attr(path, 'FieldURI') ?? '';
}

/** Properties Exchange lets AppendToItemField extend (others: ErrorInvalidPropertyAppend). */
const APPENDABLE = new Set([
  'item:Body', 'calendar:RequiredAttendees', 'calendar:OptionalAttendees', 'calendar:Resources',
  'message:ToRecipients', 'message:CcRecipients', 'message:BccRecipients', 'message:ReplyTo', 'distributionlist:Members',
]);

interface FieldChange {
  readonly op: 'set' | 'append' | 'delete';
  readonly path: Element;
  readonly key: string;
  /** The single property element carried by Set/Append. */
  readonly value?: Element;
}

const valueText = (el: Element): string => (children(el).length > 0 ? serialize(el) : (el.textContent ?? ''));

/** Parses one ItemChange's Updates; an error string answers the whole ItemChange (Exchange applies all or nothing). */
function parseUpdates(updatesEl: Element): FieldChange[] | { code: string; text: string } {
  const out: FieldChange[] = [];
  for (const description of children(updatesEl)) {
    const [path, holder] = children(description);
    if (!path) continue;
    const key = pathKey(path);
    if (description.localName === 'DeleteItemField') {
      out.push({ op: 'delete', path, key });
      continue;
    }
    const op = description.localName === 'AppendToItemField' ? 'append' : 'set';
    if (op === 'append' && !APPENDABLE.has(attr(path, 'FieldURI') ?? '')) {
      return { code: 'ErrorInvalidPropertyAppend', text: 'The property does not support append operations.' };
    }
    // One property per change description, and it must be the one the path names.
    const props = holder ? children(holder) : [];
    const wanted = path.localName === 'ExtendedFieldURI' ? 'ExtendedProperty' : (attr(path, 'FieldURI') ?? '').split(':')[1];
    const value = props[0];
    if (props.length !== 1 || !value || (path.localName !== 'IndexedFieldURI' && value.localName !== wanted)) {
      return { code: 'ErrorIncorrectUpdatePropertyCount', text: 'An object within a change description must contain one and only one property to modify.' };
    }
    out.push({ op, path, key, value });
  }
  return out;
}

/** Start/End after the change, when both are known as absolute or both as wall-clock times. */
function endBeforeStart(start: string | null | undefined, end: string | null | undefined): boolean {
  if (!start || !end) return false;
  const zoned = (s: string) => /(Z|[+-]\d\d:\d\d)$/.test(s);
  if (zoned(start) !== zoned(end)) return false;
  const a = Date.parse(start);
  const b = Date.parse(end);
  return Number.isFinite(a) && Number.isFinite(b) && b < a;
}

function applyToItem(item: Writable<PeerItem>, changes: readonly FieldChange[]): void {
  const fields = { ...item.fields };
  for (const change of changes) {
    if (change.path.localName === 'ExtendedFieldURI') {
      const others = item.extendedProps.filter((p) => !matchesUri(p, change.path));
      const prop = change.value ? parseExtendedProperty(change.value) : undefined;
      item.extendedProps = change.op === 'delete' || !prop ? others : [...others, prop];
      continue;
    }
    const uri = attr(change.path, 'FieldURI') ?? '';
    const local = uri.split(':')[1] ?? uri;
    if (change.path.localName === 'IndexedFieldURI') continue; // dictionary entries live only in item.xml
    const text = change.value ? valueText(change.value) : undefined;
    if (uri === 'item:Categories') {
      item.categories = change.op === 'delete' || !change.value ? [] : children(change.value).map((s) => s.textContent ?? '');
    } else if (uri === 'message:IsRead' && item.kind === 'Message') {
      item.isRead = change.op !== 'delete' && text === 'true';
    }
    if (uri === 'item:Subject') {
      if (change.op === 'delete') delete item.subject;
      else item.subject = text ?? '';
    }
    if (change.op === 'delete') delete fields[local];
    else if (change.value && children(change.value).length === 0) fields[local] = change.op === 'append' ? (fields[local] ?? '') + (text ?? '') : (text ?? '');
  }
  item.fields = fields;
}

function applyToOccurrence(mailbox: MailboxStore, master: Writable<PeerItem>, instanceIndex: number, changes: readonly FieldChange[]): PeerOccurrenceException {
  const existing = master.exceptions.find((e) => e.instanceIndex === instanceIndex);
  const recorded: Record<string, string | null> = { ...existing?.changes };
  for (const change of changes) {
    const text = change.value ? valueText(change.value) : null;
    recorded[change.key] = change.op === 'append' ? (recorded[change.key] ?? '') + (text ?? '') : text;
  }
  const id = existing?.id ?? mailbox.newItemId();
  if (!existing) mailbox.occurrenceIds.set(id, { masterId: master.id, instanceIndex });
  const updated: PeerOccurrenceException = { instanceIndex, id, changeKey: newChangeKey(), changes: recorded };
  master.exceptions = existing ? master.exceptions.map((e) => (e === existing ? updated : e)) : [...master.exceptions, updated];
  // Changing an occurrence changes the series item, as on Exchange.
  master.changeKey = newChangeKey();
  return updated;
}

export const updateItem: Handler = (ctx: OpContext) => {
  const conflictResolution = attr(ctx.el, 'ConflictResolution');
  const disposition = attr(ctx.el, 'MessageDisposition');
  const invitations = attr(ctx.el, 'SendMeetingInvitationsOrCancellations');
  const itemChanges = children(child(ctx.el, 'ItemChanges')!);
  const mailbox = holderOfRequest(ctx, itemChanges.map((change) => children(change)[0]!));
  const targets = itemChanges.map((change) => resolveTarget(mailbox, children(change)[0]!));
  if (targets.some(isCalendar) && invitations !== 'SendToNone') {
    ctx.violation('meeting-invitations-sent', `UpdateItem SendMeetingInvitationsOrCancellations="${invitations ?? '(missing)'}" on a calendar item: a migration must use SendToNone`);
  }
  if (targets.some((t) => t.kind === 'item' && t.item.kind === 'Message') && disposition && disposition !== 'SaveOnly') {
    ctx.violation('mail-sent', `UpdateItem MessageDisposition="${disposition}": a migration never sends mail`);
  }
  const fail = (code: string, text: string): string => errorMessage('UpdateItem', code, text, { trailer: '<m:Items/>' });
  const messages = itemChanges.map((changeEl, index) => {
    const target = targets[index]!;
    if (target.kind === 'error') return fail(target.code, target.text);
    if (isCalendar(target) && !invitations) {
      return fail('ErrorSendMeetingInvitationsOrCancellationsRequired', 'SendMeetingInvitationsOrCancellations attribute is required for calendar items.');
    }
    if (target.kind === 'item' && target.item.kind === 'Message' && !disposition) {
      return fail('ErrorMessageDispositionRequired', 'MessageDisposition attribute is required.');
    }
    const idEl = children(changeEl)[0]!;
    const sentChangeKey = idEl.localName === 'ItemId' ? attr(idEl, 'ChangeKey') : undefined;
    if (target.kind === 'item' && conflictResolution === 'NeverOverwrite' && sentChangeKey !== undefined && sentChangeKey !== target.item.changeKey) {
      return fail('ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.');
    }
    if (target.kind === 'occurrence') {
      const problem = occurrenceProblem(target.master, target.instanceIndex);
      if (problem?.kind === 'error') return fail(problem.code, problem.text);
    }
    const parsed = parseUpdates(child(changeEl, 'Updates')!);
    if (!Array.isArray(parsed)) return fail(parsed.code, parsed.text);
    const after = (key: string, fallback: string | null | undefined): string | null | undefined => {
      const last = parsed.filter((c) => c.key === key).at(-1);
      if (!last) return fallback;
      return last.op === 'delete' || !last.value ? null : valueText(last.value);
    };
    // Unchanged times of an occurrence are the series' (not expanded here): only times this peer knows are compared.
    const exception = target.kind === 'occurrence' ? target.master.exceptions.find((e) => e.instanceIndex === target.instanceIndex) : undefined;
    const known = target.kind === 'item'
      ? { start: target.item.fields.Start, end: target.item.fields.End }
      : { start: exception?.changes['calendar:Start'], end: exception?.changes['calendar:End'] };
    if (isCalendar(target) && endBeforeStart(after('calendar:Start', known.start), after('calendar:End', known.end))) {
      return fail('ErrorCalendarEndDateIsEarlierThanStartDate', 'EndDate is earlier than StartDate');
    }
    let answer: { kind: string; id: string; changeKey: string };
    if (target.kind === 'item') {
      const item = target.item as Writable<PeerItem>;
      applyToItem(item, parsed);
      item.changeKey = newChangeKey();
      answer = { kind: item.kind, id: item.id, changeKey: item.changeKey };
    } else {
      const stored = applyToOccurrence(mailbox, target.master as Writable<PeerItem>, target.instanceIndex, parsed);
      answer = { kind: 'CalendarItem', id: stored.id, changeKey: stored.changeKey };
    }
    return successMessage(
      'UpdateItem',
      `<m:Items><t:${answer.kind}><t:ItemId Id="${answer.id}" ChangeKey="${answer.changeKey}"/></t:${answer.kind}></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`,
    );
  });
  return ok(operationResponse('UpdateItem', messages));
};

export const deleteItem: Handler = (ctx: OpContext) => {
  const cancellations = attr(ctx.el, 'SendMeetingCancellations');
  const idEls = children(child(ctx.el, 'ItemIds')!);
  const mailbox = holderOfRequest(ctx, idEls);
  const targets = idEls.map((idEl) => resolveTarget(mailbox, idEl));
  if (targets.some(isCalendar) && cancellations !== 'SendToNone') {
    ctx.violation('meeting-cancellations-sent', `DeleteItem SendMeetingCancellations="${cancellations ?? '(missing)'}" on a calendar item: a migration must use SendToNone`);
  }
  return ok(operationResponse('DeleteItem', targets.map((target) => {
    if (target.kind === 'error') return errorMessage('DeleteItem', target.code, target.text);
    if (!cancellations && isCalendar(target)) {
      return errorMessage('DeleteItem', 'ErrorSendMeetingCancellationsRequired', 'SendMeetingCancellations attribute is required for calendar items.');
    }
    if (target.kind === 'item') {
      mailbox.deleteItem(target.item.id);
      return successMessage('DeleteItem', '');
    }
    const problem = occurrenceProblem(target.master, target.instanceIndex);
    if (problem?.kind === 'error') return errorMessage('DeleteItem', problem.code, problem.text);
    const master = target.master as Writable<PeerItem>;
    master.deletedOccurrences = [...master.deletedOccurrences, target.instanceIndex].sort((a, b) => a - b);
    // A deleted occurrence takes its exception (and that occurrence's id) with it.
    const gone = master.exceptions.find((e) => e.instanceIndex === target.instanceIndex);
    if (gone) mailbox.occurrenceIds.delete(gone.id);
    master.exceptions = master.exceptions.filter((e) => e !== gone);
    master.changeKey = newChangeKey();
    return successMessage('DeleteItem', '');
  })));
};
