import { createHash } from 'node:crypto';

import ICAL from 'ical.js';

import type { CalendarEvent, Recurrence, Weekday } from '../../../electron/contract/index.js';

import type { MailFlags, MailItem, PreparedItem, SourceFolder, SourceItem, TargetFolderRef } from '../../../electron/engine/model/items.js';
import { createLogger } from '../../../electron/engine/log/logger.js';
import type { SecretProvider, SecretRole } from '../../../electron/engine/secrets/secret-provider.js';
import { StaticTokenAuth } from '../../../electron/engine/targets/ews/auth/auth.js';
import { EwsTarget, type EwsTargetOptions } from '../../../electron/engine/targets/ews/ews-target.js';
import { HttpTransport } from '../../../electron/engine/targets/ews/transport/http-transport.js';

/** A keychain stand-in: a map, so tests can see exactly what was stored. */
export class MemorySecrets implements SecretProvider {
  readonly values = new Map<string, string>();
  async get(role: SecretRole, account: string): Promise<string | undefined> {
    return this.values.get(`${role}|${account}`);
  }
  async set(role: SecretRole, account: string, secret: string): Promise<void> {
    this.values.set(`${role}|${account}`, secret);
  }
  async delete(role: SecretRole, account: string): Promise<boolean> {
    return this.values.delete(`${role}|${account}`);
  }
}

export const silentLog = createLogger();

export function tokenTarget(url: string, mailbox: string, extra: Partial<EwsTargetOptions> = {}): EwsTarget {
  return new EwsTarget({
    url,
    mailbox,
    log: silentLog,
    connect: async () => ({ auth: new StaticTokenAuth('test-token'), transport: new HttpTransport(url) }),
    requestTimeoutMs: 20_000,
    ...extra,
  });
}

let rowId = 0;

export function prepare(item: SourceItem, targetFolder: TargetFolderRef, mime?: Uint8Array): PreparedItem {
  rowId += 1;
  const content = mime ?? Buffer.from(JSON.stringify(item));
  return { item, mime, size: mime?.length ?? content.length, contentHash: createHash('sha256').update(content).digest('hex'), rowId, targetFolder };
}

export function folderRef(path: readonly string[], targetId: string): TargetFolderRef {
  return { folderId: 1, path, targetId };
}

export const defaultFlags: MailFlags = { seen: true, flagged: false, answered: false, draft: false, forwarded: false };

/** A mail item over given bytes; dates from the Date header when it parses (read independently of our code). */
export function mailItem(key: string, folder: SourceFolder, bytes: Uint8Array, overrides: Partial<MailItem> = {}): MailItem {
  const head = Buffer.from(bytes).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
  const dateLine = /^date:(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1]?.replace(/\s+/g, ' ').trim();
  const parsed = dateLine ? new Date(dateLine) : undefined;
  const sentAt = parsed && Number.isFinite(parsed.getTime()) ? new Date(Math.floor(parsed.getTime() / 1000) * 1000) : undefined;
  return {
    kind: 'mail',
    key,
    folder,
    size: bytes.length,
    title: key,
    flags: defaultFlags,
    keywords: [],
    categories: [],
    ...(sentAt ? { sentAt, receivedAt: new Date(sentAt.getTime() + 65_000) } : {}),
    load: async () => bytes,
    ...overrides,
  };
}

/** All-day dates are calendar dates: midnight UTC, whatever the host's zone. */
function dateOf(time: InstanceType<typeof ICAL.Time>): Date {
  return time.isDate ? new Date(Date.UTC(time.year, time.month - 1, time.day)) : time.toJSDate();
}

/** An iCalendar file's first master VEVENT (and its RECURRENCE-ID overrides) as our CalendarEvent, read with ical.js. */
export function eventFromIcs(text: string): CalendarEvent {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const zone of root.getAllSubcomponents('vtimezone')) {
    if (zone.getFirstPropertyValue('tzid')) ICAL.TimezoneService.register(zone);
  }
  const vevents = root.getAllSubcomponents('vevent');
  const master = vevents.find((vevent) => !vevent.hasProperty('recurrence-id'));
  if (!master) throw new Error('no master VEVENT');
  const event = new ICAL.Event(master);
  const tzid = master.getFirstProperty('dtstart')?.getParameter('tzid');
  const rrule = master.getFirstPropertyValue('rrule') as InstanceType<typeof ICAL.Recur> | null;
  const byDayRaw = (rrule?.parts.BYDAY ?? []) as string[];
  const setPosition = byDayRaw.map((day) => /^(-?\d+)/.exec(day)?.[1]).find((n) => n !== undefined);
  const recurrence: Recurrence | undefined = rrule
    ? {
        frequency: rrule.freq as Recurrence['frequency'],
        interval: rrule.interval ?? 1,
        ...(byDayRaw.length > 0 ? { byDay: byDayRaw.map((day) => day.replace(/^-?\d+/, '') as Weekday) } : {}),
        ...(setPosition !== undefined ? { setPosition: Number(setPosition) } : {}),
        ...(rrule.count ? { count: rrule.count } : {}),
        ...(rrule.until ? { until: rrule.until.toJSDate() } : {}),
      }
    : undefined;
  const exdates = master.getAllProperties('exdate').flatMap((property) => property.getValues().map((value) => (value as InstanceType<typeof ICAL.Time>).toJSDate()));
  const overrides = vevents
    .filter((vevent) => vevent.hasProperty('recurrence-id'))
    .map((vevent) => {
      const override = new ICAL.Event(vevent);
      return { originalStart: override.recurrenceId.toJSDate(), subject: override.summary, start: override.startDate.toJSDate(), end: override.endDate.toJSDate() };
    });
  return {
    uid: event.uid,
    subject: event.summary ?? '',
    start: dateOf(event.startDate),
    end: dateOf(event.endDate),
    allDay: event.startDate.isDate,
    ...(tzid ? { timeZone: String(tzid) } : {}),
    ...(event.location ? { location: event.location } : {}),
    ...(event.description ? { body: event.description } : {}),
    categories: [],
    attendees: event.attendees.map((attendee) => ({ address: String(attendee.getFirstValue()).replace(/^mailto:/i, ''), role: 'required' as const })),
    ...(recurrence ? { recurrence } : {}),
    deletedOccurrences: exdates,
    modifiedOccurrences: overrides,
  };
}
