import type { Attendee, BusyStatus, CalendarEvent, EventException } from '../../../../contract/index.js';
import { el, escapeAttr, utcDateTime } from '../soap/xml.js';
import { body, categories, importance, sensitivity, sourceKeyProperty } from './common.js';
import { instanceIndex, recurrenceXml } from './recurrence.js';
import { formatDate, formatLocal, localZone, resolveZone, utcClock, wallClock, type WallClock } from '../../exchange/time-zones.js';

const busy: Record<BusyStatus, string> = { free: 'Free', tentative: 'Tentative', busy: 'Busy', oof: 'OOF', workingElsewhere: 'WorkingElsewhere' };

export interface EventTimes {
  start: string;
  end: string;
  startClock: WallClock;
  /** Windows zone id sent with the item, when known. */
  zone: string | undefined;
  iana: string | undefined;
}

/**
 * Start/End as Exchange should read them: wall clock plus a Windows zone id when we can name the
 * zone (the zone then also drives the series' expansion across DST), else absolute UTC. All-day
 * events are midnight to midnight of their calendar days (carried as UTC midnight, see
 * formats/icalendar.ts) in their zone, or the PC's zone when they have none: written as UTC they
 * would span two days for a user east or west of UTC (issue 9 point 12).
 */
export function eventTimes(event: Pick<CalendarEvent, 'start' | 'end' | 'allDay' | 'timeZone'>, pcZone: string | undefined = undefined): EventTimes {
  const zone = resolveZone(event.timeZone);
  const clock = (date: Date) => (zone ? wallClock(date, zone.iana) : utcClock(date));
  if (event.allDay) {
    const dayZone = zone ?? localZone(pcZone) ?? { windows: 'UTC', iana: 'Etc/UTC' };
    const startDay = utcClock(event.start);
    return {
      start: `${formatDate(startDay)}T00:00:00`,
      end: `${formatDate(utcClock(event.end))}T00:00:00`,
      startClock: { ...startDay, hour: 0, minute: 0, second: 0 },
      zone: dayZone.windows,
      iana: dayZone.iana,
    };
  }
  const startClock = clock(event.start);
  if (!zone) return { start: utcDateTime(event.start), end: utcDateTime(event.end), startClock, zone: undefined, iana: undefined };
  return { start: formatLocal(startClock), end: formatLocal(clock(event.end)), startClock, zone: zone.windows, iana: zone.iana };
}

function attendees(list: readonly Attendee[], role: Attendee['role'], element: string): string {
  const chosen = list.filter((attendee) => attendee.role === role);
  if (chosen.length === 0) return '';
  return `<t:${element}>${chosen
    .map((attendee) => `<t:Attendee><t:Mailbox>${el('t:Name', attendee.name)}${el('t:EmailAddress', attendee.address)}<t:RoutingType>SMTP</t:RoutingType></t:Mailbox></t:Attendee>`)
    .join('')}</t:${element}>`;
}

/**
 * CreateItem makes the mailbox owner the organizer of every item (EWSDOC:how-to-import-items-by-using-ews-in-exchange:
 * organizer/attendee relationships cannot be preserved). Where the owner was only an attendee, an item with the
 * whole attendee list would be an unsent meeting they organise, and Outlook would offer updates and cancellations
 * to everyone (issue 9 point 9). Such events keep organizer and attendees as text at the top of the body instead.
 */
export function foreignMeeting(event: CalendarEvent, mailbox: string): boolean {
  const organizer = event.organizer?.address?.toLowerCase();
  return organizer !== undefined && organizer !== '' && organizer !== mailbox.toLowerCase() && event.attendees.length > 0;
}

function participantsNote(event: CalendarEvent): string {
  const who = (a: { name?: string | undefined; address: string }) => (a.name ? `${a.name} <${a.address}>` : a.address);
  const lines = [`Organizer: ${event.organizer ? who(event.organizer) : ''}`];
  for (const role of ['required', 'optional', 'resource'] as const) {
    const list = event.attendees.filter((a) => a.role === role);
    if (list.length > 0) lines.push(`${role === 'required' ? 'Attendees' : role === 'optional' ? 'Optional' : 'Resources'}: ${list.map(who).join('; ')}`);
  }
  return lines.join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function calendarItemXml(event: CalendarEvent, keyHash: string, mailbox = ''): string {
  const times = eventTimes(event);
  const foreign = foreignMeeting(event, mailbox);
  const note = foreign ? participantsNote(event) : undefined;
  const text = note === undefined ? event.body : `${note}\n\n${event.body ?? ''}`.trimEnd();
  const html = note === undefined || event.bodyHtml === undefined ? event.bodyHtml : `<p>${escapeHtml(note).replace(/\n/g, '<br>')}</p>${event.bodyHtml}`;
  let xml = '<t:CalendarItem>';
  xml += el('t:Subject', event.subject);
  xml += sensitivity(event.sensitivity);
  xml += body(text, html);
  xml += categories(event.categories);
  xml += importance(event.importance);
  xml += el('t:ReminderIsSet', event.reminder !== undefined);
  if (event.reminder) xml += el('t:ReminderMinutesBeforeStart', Math.max(0, Math.round(event.reminder.minutesBefore)));
  xml += sourceKeyProperty(keyHash);
  // The iCalendar UID, so a later update from the organizer matches this item instead of adding a second one.
  if (event.uid && event.uid.length <= 255) xml += el('t:UID', event.uid);
  xml += el('t:Start', times.start);
  xml += el('t:End', times.end);
  xml += el('t:IsAllDayEvent', event.allDay);
  if (event.busyStatus) xml += el('t:LegacyFreeBusyStatus', busy[event.busyStatus]);
  xml += el('t:Location', event.location);
  // The owner's own meetings keep their attendees (SendMeetingInvitations="SendToNone": nobody is told); someone
  // else's meeting keeps them in the body only (see foreignMeeting).
  if (!foreign) {
    xml += attendees(event.attendees, 'required', 'RequiredAttendees');
    xml += attendees(event.attendees, 'optional', 'OptionalAttendees');
    xml += attendees(event.attendees, 'resource', 'Resources');
  }
  if (event.recurrence) xml += recurrenceXml(event.recurrence, times.startClock, untilClock(event, times));
  if (times.zone) xml += `<t:StartTimeZone Id="${escapeAttr(times.zone)}"/><t:EndTimeZone Id="${escapeAttr(times.zone)}"/>`;
  return `${xml}</t:CalendarItem>`;
}

function untilClock(event: CalendarEvent, times: EventTimes): WallClock | undefined {
  const until = event.recurrence?.until;
  if (until === undefined) return undefined;
  // All-day dates are UTC midnights of calendar days, whatever the zone.
  return times.iana && !event.allDay ? wallClock(until, times.iana) : utcClock(until);
}

export interface OccurrenceChange {
  index: number;
  originalStart: Date;
  /** undefined: delete the occurrence. */
  change: EventException | undefined;
}

/** Deleted and modified occurrences as EWS instance indexes; those the rule never produces are returned apart. */
export function occurrenceChanges(event: CalendarEvent): { changes: OccurrenceChange[]; unplaced: Date[] } {
  const changes: OccurrenceChange[] = [];
  const unplaced: Date[] = [];
  if (!event.recurrence) return { changes, unplaced };
  const times = eventTimes(event);
  const clock = (date: Date) => (times.iana && !event.allDay ? wallClock(date, times.iana) : utcClock(date));
  const until = untilClock(event, times);
  const place = (originalStart: Date, change: EventException | undefined) => {
    const original = event.allDay ? { ...clock(originalStart), hour: 0, minute: 0, second: 0 } : clock(originalStart);
    const index = instanceIndex(event.recurrence as NonNullable<CalendarEvent['recurrence']>, times.startClock, until, original);
    if (index === undefined) unplaced.push(originalStart);
    else changes.push({ index, originalStart, change });
  };
  for (const date of event.deletedOccurrences) place(date, undefined);
  for (const exception of event.modifiedOccurrences) place(exception.originalStart, exception);
  return { changes, unplaced };
}
