import { createHash } from 'node:crypto';

import type { PSTMessage } from 'pst-extractor';

import type {
  Attendee,
  BusyStatus,
  CalendarEvent,
  Contact,
  DistributionList,
  DistributionListMember,
  EventException,
  Note,
  PhoneNumber,
  PostalAddress,
  Task,
} from '../../../contract/index.js';
import { zoneFor, type ZoneInfo } from '../../formats/time-zones.js';
import { bagOf, binary, bool, bytesOf, date, float, int, multi, str, strings, type PropertyBag } from './properties.js';
import {
  psetidAddress,
  psetidAppointment,
  psetidCommon,
  psetidLog,
  psetidTask,
  psPublicStrings,
  type PstStore,
} from './pst-file.js';
import { localMinutesToDate, parseAppointmentRecurrence } from './recurrence.js';
import { bodiesOf, bodyTextOf, cleanSubject, countOf } from './mail-mime.js';

const psetidMeeting = '6ED8DA90-450B-101B-98DA-00AA003F1305';

/** Named-property access for one message of one store. */
export class ItemProps {
  readonly bag: PropertyBag;
  constructor(
    readonly store: PstStore,
    readonly message: PSTMessage,
  ) {
    this.bag = bagOf(message, store.defaultCharset);
  }
  id(guid: string, lid: number | string): number | undefined {
    return this.store.namedId(guid, lid);
  }
  nstr(guid: string, lid: number | string): string | undefined {
    const id = this.id(guid, lid);
    return id === undefined ? undefined : str(this.bag, id) || undefined;
  }
  nint(guid: string, lid: number): number | undefined {
    const id = this.id(guid, lid);
    return id === undefined ? undefined : int(this.bag, id);
  }
  nbool(guid: string, lid: number): boolean | undefined {
    const id = this.id(guid, lid);
    return id === undefined ? undefined : bool(this.bag, id);
  }
  ndate(guid: string, lid: number): Date | undefined {
    const id = this.id(guid, lid);
    return id === undefined ? undefined : date(this.bag, id);
  }
  nbinary(guid: string, lid: number): Buffer | undefined {
    const id = this.id(guid, lid);
    return id === undefined ? undefined : binary(this.bag, id);
  }
  nfloat(guid: string, lid: number): number | undefined {
    const id = this.id(guid, lid);
    return id === undefined ? undefined : float(this.bag, id);
  }
  categories(): string[] {
    const id = this.id(psPublicStrings, 'Keywords');
    return id === undefined ? [] : strings(this.bag, id);
  }
  subject(): string {
    return cleanSubject(str(this.bag, 0x0037));
  }
}

/** Birthdays and anniversaries are stored as a time near local midnight: keep the calendar day. */
function calendarDay(value: Date | undefined): string | undefined {
  if (!value) return undefined;
  const shifted = new Date(value.getTime() + 12 * 3600_000);
  return shifted.toISOString().slice(0, 10);
}

const phoneSlots: [number, string][] = [
  [0x3a08, 'business'],
  [0x3a1b, 'business'],
  [0x3a09, 'home'],
  [0x3a2f, 'home'],
  [0x3a1c, 'mobile'],
  [0x3a24, 'businessFax'],
  [0x3a25, 'homeFax'],
  [0x3a23, 'otherFax'],
  [0x3a21, 'pager'],
  [0x3a1e, 'car'],
  [0x3a1f, 'other'],
  [0x3a2e, 'assistant'],
  [0x3a02, 'callback'],
  [0x3a57, 'company'],
  [0x3a2d, 'isdn'],
  [0x3a1a, 'primary'],
  [0x3a1d, 'radio'],
  [0x3a2c, 'telex'],
  [0x3a4b, 'ttytdd'],
];

export function readContact(p: ItemProps): Contact {
  const b = p.bag;
  const contact: Contact = {
    emails: [],
    phones: [],
    addresses: [],
    categories: p.categories(),
  };
  const set = <K extends keyof Contact>(key: K, value: Contact[K] | undefined | ''): void => {
    if (value !== undefined && value !== '') contact[key] = value as Contact[K];
  };
  set('displayName', str(b, 0x3001) || p.subject());
  set('givenName', str(b, 0x3a06));
  set('middleName', str(b, 0x3a44));
  set('surname', str(b, 0x3a11));
  set('prefix', str(b, 0x3a45));
  set('suffix', str(b, 0x3a05));
  set('nickname', str(b, 0x3a4f));
  set('fileAs', p.nstr(psetidAddress, 0x8005));
  for (const [address, name, type] of [
    [0x8083, 0x8080, 0x8082],
    [0x8093, 0x8090, 0x8092],
    [0x80a3, 0x80a0, 0x80a2],
  ] as const) {
    let email = p.nstr(psetidAddress, address);
    if (!email) continue;
    const addressType = p.nstr(psetidAddress, type);
    if (addressType && addressType.toUpperCase() === 'EX') {
      // An Exchange DN is useless elsewhere; the original display name usually holds the SMTP address.
      const original = p.nstr(psetidAddress, address + 1);
      const smtp = original ? /[^\s<>()]+@[^\s<>()]+/.exec(original)?.[0] : undefined;
      if (smtp) email = smtp;
    }
    const entry: { address: string; name?: string } = { address: email };
    const displayName = p.nstr(psetidAddress, name);
    if (displayName) entry.name = displayName;
    contact.emails.push(entry);
  }
  const seen = new Set<string>();
  for (const [id, type] of phoneSlots) {
    const number = str(b, id);
    if (!number || seen.has(`${type}:${number}`)) continue;
    seen.add(`${type}:${number}`);
    const phone: PhoneNumber = { type, number };
    contact.phones.push(phone);
  }
  const address = (type: PostalAddress['type'], fields: (string | undefined)[]): void => {
    const [street, city, state, postalCode, country] = fields;
    if (![street, city, state, postalCode, country].some(Boolean)) return;
    const entry: PostalAddress = { type };
    if (street) entry.street = street;
    if (city) entry.city = city;
    if (state) entry.state = state;
    if (postalCode) entry.postalCode = postalCode;
    if (country) entry.country = country;
    contact.addresses.push(entry);
  };
  const work = [0x8045, 0x8046, 0x8047, 0x8048, 0x8049].map((lid) => p.nstr(psetidAddress, lid));
  address('business', work.some(Boolean) ? work : [0x3a29, 0x3a27, 0x3a28, 0x3a2a, 0x3a26].map((id) => str(b, id)));
  address('home', [0x3a5d, 0x3a59, 0x3a5c, 0x3a5b, 0x3a5a].map((id) => str(b, id)));
  address('other', [0x3a63, 0x3a5f, 0x3a62, 0x3a61, 0x3a60].map((id) => str(b, id)));
  set('company', str(b, 0x3a16));
  set('department', str(b, 0x3a18));
  set('jobTitle', str(b, 0x3a17));
  set('office', str(b, 0x3a19));
  set('manager', str(b, 0x3a4e));
  set('assistant', str(b, 0x3a30));
  set('spouse', str(b, 0x3a48));
  set('webPage', p.nstr(psetidAddress, 0x802b) || str(b, 0x3a51) || str(b, 0x3a50));
  set('imAddress', p.nstr(psetidAddress, 0x8062));
  set('birthday', calendarDay(date(b, 0x3a42)));
  set('anniversary', calendarDay(date(b, 0x3a41)));
  set('notes', bodyTextOf(b)?.trim());
  const photo = contactPhoto(p);
  if (photo) contact.photo = photo;
  return contact;
}

function contactPhoto(p: ItemProps): Contact['photo'] {
  const count = countOf(() => p.message.numberOfAttachments);
  for (let i = 0; i < count; i++) {
    try {
      const bag = bagOf(p.message.getAttachment(i));
      if (!bool(bag, 0x7fff)) continue;
      const data = bytesOf(bag, 0x3701);
      if (!data || data.length === 0) continue;
      const mediaType = data[0] === 0x89 ? 'image/png' : data[0] === 0x47 ? 'image/gif' : 'image/jpeg';
      return { mediaType, data: Uint8Array.from(data) };
    } catch {
      continue;
    }
  }
  return undefined;
}

/** A one-off entry id ([MS-OXCDATA] 2.2.5.1): display name, address type and address, inline. */
export function parseOneOff(entry: Buffer): DistributionListMember | undefined {
  let at = 0;
  // Distribution list members are wrapped entry ids: flags, provider UID, then type byte and the inner id.
  if (entry.length > 21 && entry.subarray(4, 20).toString('hex') === 'c091add3519dcf11a4a900aa0047faa4') {
    return parseOneOff(entry.subarray(21));
  }
  if (entry.length < 24 || entry.subarray(4, 20).toString('hex') !== '812b1fa4bea310199d6e00dd010f5402') return undefined;
  at = 22;
  const flags = entry.readUInt16LE(at);
  at += 2;
  const unicode = (flags & 0x8000) !== 0;
  const read = (): string => {
    if (unicode) {
      let end = at;
      while (end + 1 < entry.length && (entry[end] !== 0 || entry[end + 1] !== 0)) end += 2;
      const value = entry.toString('utf16le', at, end);
      at = end + 2;
      return value;
    }
    let end = entry.indexOf(0, at);
    if (end < 0) end = entry.length;
    const value = entry.toString('latin1', at, end);
    at = end + 1;
    return value;
  };
  const name = read();
  read();
  const address = read();
  if (!address) return undefined;
  return name && name !== address ? { name, address } : { address };
}

export function readDistributionList(p: ItemProps): DistributionList {
  const members: DistributionListMember[] = [];
  const oneOffs = multi(p.bag, p.id(psetidAddress, 0x8054) ?? -1);
  const wrapped = multi(p.bag, p.id(psetidAddress, 0x8055) ?? -1);
  const source = oneOffs.length > 0 ? oneOffs : wrapped;
  for (const value of source) {
    if (!Buffer.isBuffer(value)) continue;
    const member = parseOneOff(value);
    if (member) members.push(member);
  }
  const list: DistributionList = {
    displayName: p.nstr(psetidAddress, 0x8053) || str(p.bag, 0x3001) || p.subject(),
    members,
    categories: p.categories(),
  };
  const notes = bodyTextOf(p.bag)?.trim();
  if (notes) list.notes = notes;
  return list;
}

const busy: BusyStatus[] = ['free', 'tentative', 'busy', 'oof', 'workingElsewhere'];
const sensitivities = ['normal', 'personal', 'private', 'confidential'] as const;
const importances = ['low', 'normal', 'high'] as const;

/** The Windows time zone id from PidLidAppointmentTimeZoneDefinitionStartDisplay ([MS-OXOCAL] 2.2.1.41). */
function timeZoneKeyName(definition: Buffer | undefined): string | undefined {
  if (!definition || definition.length < 8) return undefined;
  const chars = definition.readUInt16LE(6);
  if (8 + chars * 2 > definition.length) return undefined;
  return definition.toString('utf16le', 8, 8 + chars * 2) || undefined;
}

function globalObjectUid(p: ItemProps): string | undefined {
  const id = p.nbinary(psetidMeeting, 0x23) ?? p.nbinary(psetidMeeting, 0x03);
  return id && id.length > 0 ? id.toString('hex').toUpperCase() : undefined;
}

function attendeesOf(p: ItemProps): { organizer?: { address: string; name?: string }; attendees: Attendee[] } {
  const attendees: Attendee[] = [];
  let organizer: { address: string; name?: string } | undefined;
  const count = countOf(() => p.message.numberOfRecipients);
  for (let i = 0; i < count; i++) {
    try {
      const recipient = p.message.getRecipient(i);
      if (!recipient) continue;
      const bag = bagOf(recipient, p.store.defaultCharset);
      const address = str(bag, 0x39fe) || str(bag, 0x3003) || '';
      const name = str(bag, 0x3001);
      const flags = int(bag, 0x5ffd) ?? 0;
      if (flags & 0x0002) {
        organizer = name ? { address, name } : { address };
        continue;
      }
      const type = int(bag, 0x0c15) ?? 1;
      const track = int(bag, 0x5fff) ?? 0;
      const attendee: Attendee = {
        address,
        role: type === 2 ? 'optional' : type === 3 ? 'resource' : 'required',
        response: track === 3 ? 'accepted' : track === 4 ? 'declined' : track === 2 ? 'tentative' : 'none',
      };
      if (name) attendee.name = name;
      attendees.push(attendee);
    } catch {
      continue;
    }
  }
  if (!organizer) {
    const name = str(p.bag, 0x0042);
    const address = str(p.bag, 0x5d02) || str(p.bag, 0x0065);
    if (address && attendees.length > 0) organizer = name ? { address, name } : { address };
  }
  return organizer ? { organizer, attendees } : { attendees };
}

export function readEvent(p: ItemProps, fallbackUid: string): CalendarEvent {
  const b = p.bag;
  const start = p.ndate(psetidAppointment, 0x820d) ?? date(b, 0x0060) ?? date(b, 0x3007) ?? new Date(0);
  const end = p.ndate(psetidAppointment, 0x820e) ?? date(b, 0x0061) ?? start;
  const allDay = p.nbool(psetidAppointment, 0x8215) ?? false;
  const timeZone =
    timeZoneKeyName(p.nbinary(psetidAppointment, 0x825e)) ?? timeZoneKeyName(p.nbinary(psetidAppointment, 0x825f)) ?? p.nstr(psetidAppointment, 0x8234);
  const zone = zoneFor(timeZone);
  const bodies = bodiesOf(b);
  const { organizer, attendees } = attendeesOf(p);
  const event: CalendarEvent = {
    uid: globalObjectUid(p) ?? fallbackUid,
    subject: p.subject(),
    start,
    end,
    allDay,
    categories: p.categories(),
    attendees,
    deletedOccurrences: [],
    modifiedOccurrences: [],
  };
  if (zone) event.timeZone = zone.tzid;
  else if (timeZone) event.timeZone = timeZone;
  const location = p.nstr(psetidAppointment, 0x8208);
  if (location) event.location = location;
  if (bodies.text) event.body = bodies.text;
  if (bodies.html) event.bodyHtml = bodies.html;
  const busyStatus = p.nint(psetidAppointment, 0x8205);
  if (busyStatus !== undefined && busy[busyStatus]) event.busyStatus = busy[busyStatus];
  if (p.nbool(psetidCommon, 0x8503)) event.reminder = { minutesBefore: p.nint(psetidCommon, 0x8501) ?? 15 };
  const sensitivity = int(b, 0x0036);
  if (sensitivity !== undefined && sensitivities[sensitivity]) event.sensitivity = sensitivities[sensitivity];
  const importance = int(b, 0x0017);
  if (importance !== undefined && importances[importance]) event.importance = importances[importance];
  if (organizer) event.organizer = organizer;
  const created = date(b, 0x3007);
  if (created) event.created = created;
  const modified = date(b, 0x3008);
  if (modified) event.lastModified = modified;
  if (allDay) {
    // All-day events travel as UTC midnight of their calendar day (see formats/icalendar.ts).
    const day = (d: Date): Date => (zone ? localDay(zone, d) : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + (d.getUTCHours() >= 12 ? 1 : 0))));
    event.start = day(start);
    event.end = day(end);
  }
  const blob = p.nbinary(psetidAppointment, 0x8216);
  if (blob && blob.length > 0 && (p.nbool(psetidAppointment, 0x8223) ?? true)) {
    applyRecurrence(event, blob, zone, start);
  }
  return event;
}

function localDay(zone: ZoneInfo, instant: Date): Date {
  const local = zone.toLocal(instant);
  return new Date(Date.UTC(local.year, local.month - 1, local.day));
}

function applyRecurrence(event: CalendarEvent, blob: Buffer, zone: ZoneInfo | undefined, seriesStart: Date): void {
  const parsed = parseAppointmentRecurrence(blob);
  // Local wall time → instant: through the time zone when we know it, else with the series' own offset.
  const firstLocal = localMinutesToDate(0);
  void firstLocal;
  const fixedOffset = zone ? 0 : estimateOffset(parsed.startMinute, seriesStart);
  const toInstant = (local: Date): Date => (zone ? zone.fromLocal(local) : new Date(local.getTime() - fixedOffset));
  const occurrenceStart = (day: Date): Date =>
    event.allDay ? day : toInstant(new Date(day.getTime() + parsed.startMinute * 60_000));
  const recurrence = { ...parsed.recurrence };
  if (recurrence.until) {
    // UNTIL is inclusive of the last day: its occurrence's start.
    recurrence.until = event.allDay ? recurrence.until : occurrenceStart(recurrence.until);
  }
  event.recurrence = recurrence;
  const modified = new Set(parsed.modifiedDates.map((d) => d.getTime()));
  event.deletedOccurrences = parsed.deletedDates.filter((d) => !modified.has(d.getTime())).map(occurrenceStart);
  event.modifiedOccurrences = parsed.exceptions.map((exception) => {
    const originalLocal = localMinutesToDate(exception.originalStart);
    const changed: EventException = {
      originalStart: event.allDay
        ? new Date(Date.UTC(originalLocal.getUTCFullYear(), originalLocal.getUTCMonth(), originalLocal.getUTCDate()))
        : toInstant(originalLocal),
      start: event.allDay ? localMinutesToDate(exception.start) : toInstant(localMinutesToDate(exception.start)),
      end: event.allDay ? localMinutesToDate(exception.end) : toInstant(localMinutesToDate(exception.end)),
    };
    if (exception.subject !== undefined) changed.subject = exception.subject;
    if (exception.location !== undefined) changed.location = exception.location;
    if (exception.busyStatus !== undefined && busy[exception.busyStatus]) changed.busyStatus = busy[exception.busyStatus];
    if (exception.reminderSet && exception.reminderDelta !== undefined) changed.reminder = { minutesBefore: exception.reminderDelta };
    if (exception.allDay !== undefined) changed.allDay = exception.allDay;
    return changed;
  });
}

/** Offset (ms) between local wall time and UTC at the series start, from its minute-of-day. */
function estimateOffset(startMinute: number, seriesStart: Date): number {
  const utcMinute = seriesStart.getUTCHours() * 60 + seriesStart.getUTCMinutes();
  let diff = startMinute - utcMinute;
  if (diff > 720) diff -= 1440;
  if (diff < -720) diff += 1440;
  return diff * 60_000;
}

const taskStatus: Task['status'][] = ['notStarted', 'inProgress', 'completed', 'waiting', 'deferred'];

export function readTask(p: ItemProps, fallbackUid: string): Task {
  const b = p.bag;
  const status = p.nint(psetidTask, 0x8101) ?? 0;
  const percent = p.nfloat(psetidTask, 0x8102) ?? 0;
  const task: Task = {
    uid: fallbackUid,
    subject: p.subject(),
    status: taskStatus[status] ?? 'notStarted',
    percentComplete: Math.round(percent * 100),
    categories: p.categories(),
  };
  const body = bodyTextOf(b);
  if (body) task.body = body;
  const start = p.ndate(psetidTask, 0x8104);
  if (start) task.start = start;
  const due = p.ndate(psetidTask, 0x8105);
  if (due) task.due = due;
  const completed = p.ndate(psetidTask, 0x810f);
  if (completed) task.completed = completed;
  const importance = int(b, 0x0017);
  if (importance !== undefined && importances[importance]) task.importance = importances[importance];
  if (p.nbool(psetidCommon, 0x8503)) {
    const reminder = p.ndate(psetidCommon, 0x8502);
    if (reminder) task.reminder = reminder;
  }
  const blob = p.nbinary(psetidTask, 0x8116);
  if (blob && blob.length > 0 && p.nbool(psetidTask, 0x8126)) {
    try {
      task.recurrence = parseAppointmentRecurrence(blob).recurrence;
    } catch {
      // A task keeps its dates even when its recurrence cannot be read.
    }
  }
  const created = date(b, 0x3007);
  if (created) task.created = created;
  const modified = date(b, 0x3008);
  if (modified) task.lastModified = modified;
  return task;
}

export function readNote(p: ItemProps, journal: boolean): Note {
  const b = p.bag;
  const note: Note = {
    subject: p.subject(),
    body: bodyTextOf(b) ?? '',
    categories: p.categories(),
  };
  const created = date(b, 0x3007);
  if (created) note.created = created;
  const modified = date(b, 0x3008);
  if (modified) note.lastModified = modified;
  if (journal) {
    const entry: NonNullable<Note['journal']> = { type: p.nstr(psetidLog, 0x8700) ?? 'Journal' };
    const start = p.ndate(psetidLog, 0x8706);
    if (start) entry.start = start;
    const end = p.ndate(psetidLog, 0x8708);
    if (end) entry.end = end;
    note.journal = entry;
  }
  return note;
}

export function hashKey(parts: (string | number | undefined)[]): string {
  return createHash('sha256').update(parts.map((part) => String(part ?? '')).join('\u0000')).digest('hex');
}
