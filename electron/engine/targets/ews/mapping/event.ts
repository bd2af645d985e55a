import type { Attendee, BusyStatus, CalendarEvent, EventException } from '../../../../contract/index.js';
import { el, escapeAttr, utcDateTime } from '../soap/xml.js';
import { body, categories, importance, sensitivity, sourceKeyProperty } from './common.js';
import { instanceIndex, recurrenceXml } from './recurrence.js';
import { formatDate, formatLocal, resolveZone, utcClock, wallClock, type WallClock } from '../../exchange/time-zones.js';

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
 * events are midnight to midnight in their zone.
 */
export function eventTimes(event: Pick<CalendarEvent, 'start' | 'end' | 'allDay' | 'timeZone'>): EventTimes {
  const zone = resolveZone(event.timeZone);
  const clock = (date: Date) => (zone ? wallClock(date, zone.iana) : utcClock(date));
  const startClock = clock(event.start);
  if (event.allDay) {
    const endClock = clock(event.end);
    return {
      start: `${formatDate(startClock)}T00:00:00`,
      end: `${formatDate(endClock)}T00:00:00`,
      startClock: { ...startClock, hour: 0, minute: 0, second: 0 },
      zone: zone?.windows ?? 'UTC',
      iana: zone?.iana ?? 'Etc/UTC',
    };
  }
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

export function calendarItemXml(event: CalendarEvent, keyHash: string): string {
  const times = eventTimes(event);
  let xml = '<t:CalendarItem>';
  xml += el('t:Subject', event.subject);
  xml += sensitivity(event.sensitivity);
  xml += body(event.body, event.bodyHtml);
  xml += categories(event.categories);
  xml += importance(event.importance);
  xml += el('t:ReminderIsSet', event.reminder !== undefined);
  if (event.reminder) xml += el('t:ReminderMinutesBeforeStart', Math.max(0, Math.round(event.reminder.minutesBefore)));
  xml += sourceKeyProperty(keyHash);
  xml += el('t:Start', times.start);
  xml += el('t:End', times.end);
  xml += el('t:IsAllDayEvent', event.allDay);
  if (event.busyStatus) xml += el('t:LegacyFreeBusyStatus', busy[event.busyStatus]);
  xml += el('t:Location', event.location);
  // Attendees are kept for the record; SendMeetingInvitations="SendToNone" on the request makes sure nobody is told.
  xml += attendees(event.attendees, 'required', 'RequiredAttendees');
  xml += attendees(event.attendees, 'optional', 'OptionalAttendees');
  xml += attendees(event.attendees, 'resource', 'Resources');
  if (event.recurrence) xml += recurrenceXml(event.recurrence, times.startClock, untilClock(event, times));
  if (times.zone) xml += `<t:StartTimeZone Id="${escapeAttr(times.zone)}"/><t:EndTimeZone Id="${escapeAttr(times.zone)}"/>`;
  return `${xml}</t:CalendarItem>`;
}

function untilClock(event: CalendarEvent, times: EventTimes): WallClock | undefined {
  const until = event.recurrence?.until;
  if (until === undefined) return undefined;
  return times.iana ? wallClock(until, times.iana) : utcClock(until);
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
  const clock = (date: Date) => (times.iana ? wallClock(date, times.iana) : utcClock(date));
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
