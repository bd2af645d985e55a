import ICAL from 'ical.js';

import type {
  CalendarEvent,
  CalendarEventFields,
  EventException,
  Note,
  Recurrence,
  Task,
} from '../../contract/index.js';
import { zoneFor, type ZoneInfo } from './time-zones.js';

const prodId = '-//Cloudward//PST export//EN';

function calendar(): ICAL.Component {
  const cal = new ICAL.Component('vcalendar');
  cal.addPropertyWithValue('prodid', prodId);
  cal.addPropertyWithValue('version', '2.0');
  return cal;
}

function utc(date: Date): ICAL.Time {
  return ICAL.Time.fromJSDate(date, true);
}

/** All-day dates are carried as UTC midnight of the calendar day (see the PST source). */
function dateOnly(date: Date): ICAL.Time {
  return ICAL.Time.fromData({
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    isDate: true,
  });
}

function setTime(component: ICAL.Component, name: string, date: Date, allDay: boolean, zone: ZoneInfo | undefined): void {
  if (allDay) {
    component.updatePropertyWithValue(name, dateOnly(date));
    return;
  }
  if (!zone) {
    component.updatePropertyWithValue(name, utc(date));
    return;
  }
  const local = zone.toLocal(date);
  const time = ICAL.Time.fromData({ ...local, isDate: false });
  const prop = component.updatePropertyWithValue(name, time);
  prop.setParameter('tzid', zone.tzid);
}

function addCategories(component: ICAL.Component, categories: readonly string[]): void {
  if (categories.length === 0) return;
  const prop = new ICAL.Property('categories', component);
  prop.setValues([...categories]);
  component.addProperty(prop);
}

export function recurrenceRule(recurrence: Recurrence): ICAL.Recur {
  const data: Record<string, unknown> = { freq: recurrence.frequency, interval: recurrence.interval };
  if (recurrence.byDay && recurrence.byDay.length > 0) data.BYDAY = [...recurrence.byDay];
  if (recurrence.setPosition !== undefined) data.BYSETPOS = [recurrence.setPosition];
  if (recurrence.byMonthDay !== undefined) data.BYMONTHDAY = [recurrence.byMonthDay];
  if (recurrence.byMonth !== undefined) data.BYMONTH = [recurrence.byMonth];
  if (recurrence.firstDayOfWeek && recurrence.frequency === 'WEEKLY') {
    data.wkst = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'].indexOf(recurrence.firstDayOfWeek) + 1;
  }
  if (recurrence.until) data.until = utc(recurrence.until);
  else if (recurrence.count !== undefined) data.count = recurrence.count;
  return ICAL.Recur.fromData(data as Parameters<typeof ICAL.Recur.fromData>[0]);
}

const busyValues = { free: 'FREE', tentative: 'TENTATIVE', busy: 'BUSY', oof: 'OOF', workingElsewhere: 'WORKINGELSEWHERE' } as const;
const priorities = { high: 1, normal: 5, low: 9 } as const;
const classes = { normal: 'PUBLIC', personal: 'PRIVATE', private: 'PRIVATE', confidential: 'CONFIDENTIAL' } as const;

function addEventFields(
  vevent: ICAL.Component,
  fields: Partial<CalendarEventFields>,
  allDay: boolean,
  zone: ZoneInfo | undefined,
): void {
  if (fields.subject !== undefined) vevent.updatePropertyWithValue('summary', fields.subject);
  if (fields.start) setTime(vevent, 'dtstart', fields.start, allDay, zone);
  if (fields.end) setTime(vevent, 'dtend', fields.end, allDay, zone);
  if (fields.location) vevent.updatePropertyWithValue('location', fields.location);
  if (fields.body) vevent.updatePropertyWithValue('description', fields.body);
  if (fields.bodyHtml) vevent.updatePropertyWithValue('x-alt-desc', fields.bodyHtml).setParameter('fmttype', 'text/html');
  if (fields.busyStatus) {
    vevent.updatePropertyWithValue('transp', fields.busyStatus === 'free' ? 'TRANSPARENT' : 'OPAQUE');
    vevent.updatePropertyWithValue('x-microsoft-cdo-busystatus', busyValues[fields.busyStatus]);
  }
  if (fields.importance) vevent.updatePropertyWithValue('priority', priorities[fields.importance]);
  if (fields.sensitivity) vevent.updatePropertyWithValue('class', classes[fields.sensitivity]);
  if (fields.categories) addCategories(vevent, fields.categories);
  if (fields.reminder) addAlarm(vevent, fields.reminder.minutesBefore, fields.subject);
}

function addAlarm(component: ICAL.Component, minutesBefore: number, subject: string | undefined): void {
  const alarm = new ICAL.Component('valarm');
  alarm.addPropertyWithValue('action', 'DISPLAY');
  alarm.addPropertyWithValue('description', subject || 'Reminder');
  const trigger = ICAL.Duration.fromSeconds(-Math.max(0, minutesBefore) * 60);
  alarm.addPropertyWithValue('trigger', trigger);
  component.addSubcomponent(alarm);
}

/**
 * A VEVENT, plus one VEVENT per modified occurrence (same UID, RECURRENCE-ID). Attendees and the
 * organizer are data only: no METHOD, and RSVP=FALSE, so importing never sends an invitation.
 */
export function renderEvent(event: CalendarEvent): string {
  const cal = calendar();
  const zone = event.allDay ? undefined : zoneFor(event.timeZone);
  if (zone) {
    const years = [event.start.getUTCFullYear()];
    if (event.recurrence?.until) years.push(event.recurrence.until.getUTCFullYear());
    cal.addSubcomponent(zone.vtimezone(Math.min(...years), Math.max(...years)));
  }
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uid);
  vevent.addPropertyWithValue('dtstamp', utc(event.lastModified ?? event.created ?? event.start));
  if (event.created) vevent.addPropertyWithValue('created', utc(event.created));
  if (event.lastModified) vevent.addPropertyWithValue('last-modified', utc(event.lastModified));
  addEventFields(vevent, event, event.allDay, zone);
  if (event.allDay) vevent.addPropertyWithValue('x-microsoft-cdo-alldayevent', 'TRUE');
  if (event.organizer) {
    const prop = vevent.addPropertyWithValue('organizer', `mailto:${event.organizer.address}`);
    if (event.organizer.name) prop.setParameter('cn', event.organizer.name);
  }
  for (const attendee of event.attendees) {
    const prop = vevent.addPropertyWithValue('attendee', `mailto:${attendee.address}`);
    if (attendee.name) prop.setParameter('cn', attendee.name);
    if (attendee.role === 'resource') prop.setParameter('cutype', 'RESOURCE');
    prop.setParameter('role', attendee.role === 'optional' ? 'OPT-PARTICIPANT' : attendee.role === 'resource' ? 'NON-PARTICIPANT' : 'REQ-PARTICIPANT');
    const partstat = { accepted: 'ACCEPTED', declined: 'DECLINED', tentative: 'TENTATIVE', none: 'NEEDS-ACTION' } as const;
    prop.setParameter('partstat', partstat[attendee.response ?? 'none']);
    prop.setParameter('rsvp', 'FALSE');
  }
  if (event.recurrence) {
    vevent.addPropertyWithValue('rrule', recurrenceRule(event.recurrence));
    const modified = new Set(event.modifiedOccurrences.map((occurrence) => occurrence.originalStart.getTime()));
    for (const deleted of event.deletedOccurrences) {
      if (modified.has(deleted.getTime())) continue;
      setTimeList(vevent, 'exdate', deleted, event.allDay, zone);
    }
  }
  cal.addSubcomponent(vevent);
  for (const occurrence of event.recurrence ? event.modifiedOccurrences : []) {
    cal.addSubcomponent(exceptionEvent(event, occurrence, zone));
  }
  return cal.toString() + '\r\n';
}

function setTimeList(component: ICAL.Component, name: string, date: Date, allDay: boolean, zone: ZoneInfo | undefined): void {
  const holder = new ICAL.Component('vevent');
  setTime(holder, name, date, allDay, zone);
  const prop = holder.getFirstProperty(name);
  if (prop) {
    holder.removeProperty(prop);
    component.addProperty(prop);
  }
}

function exceptionEvent(event: CalendarEvent, occurrence: EventException, zone: ZoneInfo | undefined): ICAL.Component {
  const vevent = new ICAL.Component('vevent');
  vevent.addPropertyWithValue('uid', event.uid);
  vevent.addPropertyWithValue('dtstamp', utc(event.lastModified ?? event.created ?? event.start));
  setTime(vevent, 'recurrence-id', occurrence.originalStart, event.allDay, zone);
  const allDay = occurrence.allDay ?? event.allDay;
  const duration = event.end.getTime() - event.start.getTime();
  const start = occurrence.start ?? occurrence.originalStart;
  addEventFields(
    vevent,
    {
      subject: occurrence.subject ?? event.subject,
      start,
      end: occurrence.end ?? new Date(start.getTime() + duration),
      location: occurrence.location ?? event.location,
      body: occurrence.body ?? event.body,
      busyStatus: occurrence.busyStatus ?? event.busyStatus,
      reminder: occurrence.reminder ?? event.reminder,
      categories: occurrence.categories ?? event.categories,
      sensitivity: occurrence.sensitivity ?? event.sensitivity,
      importance: occurrence.importance ?? event.importance,
    },
    allDay,
    allDay ? undefined : zone,
  );
  return vevent;
}

const todoStatus = {
  notStarted: 'NEEDS-ACTION',
  inProgress: 'IN-PROCESS',
  completed: 'COMPLETED',
  waiting: 'NEEDS-ACTION',
  deferred: 'NEEDS-ACTION',
} as const;

export function renderTask(task: Task): string {
  const cal = calendar();
  const todo = new ICAL.Component('vtodo');
  todo.addPropertyWithValue('uid', task.uid);
  todo.addPropertyWithValue('dtstamp', utc(task.lastModified ?? task.created ?? new Date(0)));
  if (task.created) todo.addPropertyWithValue('created', utc(task.created));
  if (task.lastModified) todo.addPropertyWithValue('last-modified', utc(task.lastModified));
  todo.addPropertyWithValue('summary', task.subject);
  if (task.body) todo.addPropertyWithValue('description', task.body);
  // Outlook's start and due are calendar dates.
  if (task.start) todo.addPropertyWithValue('dtstart', dateOnly(task.start));
  if (task.due) todo.addPropertyWithValue('due', dateOnly(task.due));
  if (task.completed) todo.addPropertyWithValue('completed', utc(task.completed));
  todo.addPropertyWithValue('status', todoStatus[task.status]);
  if (task.status === 'waiting' || task.status === 'deferred') todo.addPropertyWithValue('x-outlook-status', task.status);
  todo.addPropertyWithValue('percent-complete', Math.round(task.percentComplete));
  if (task.importance) todo.addPropertyWithValue('priority', priorities[task.importance]);
  addCategories(todo, task.categories);
  if (task.recurrence && task.start) todo.addPropertyWithValue('rrule', recurrenceRule(task.recurrence));
  if (task.reminder) {
    const alarm = new ICAL.Component('valarm');
    alarm.addPropertyWithValue('action', 'DISPLAY');
    alarm.addPropertyWithValue('description', task.subject || 'Reminder');
    const trigger = alarm.addPropertyWithValue('trigger', utc(task.reminder));
    trigger.setParameter('value', 'DATE-TIME');
    todo.addSubcomponent(alarm);
  }
  cal.addSubcomponent(todo);
  return cal.toString() + '\r\n';
}

/** Notes and journal entries as VJOURNAL: dated free text; a journal entry's type goes into CATEGORIES. */
export function renderNote(note: Note, key: string): string {
  const cal = calendar();
  const journal = new ICAL.Component('vjournal');
  journal.addPropertyWithValue('uid', key);
  journal.addPropertyWithValue('dtstamp', utc(note.lastModified ?? note.created ?? new Date(0)));
  if (note.created) journal.addPropertyWithValue('created', utc(note.created));
  if (note.lastModified) journal.addPropertyWithValue('last-modified', utc(note.lastModified));
  const start = note.journal?.start ?? note.created;
  if (start) journal.addPropertyWithValue('dtstart', utc(start));
  if (note.journal?.end) journal.addPropertyWithValue('x-cloudward-dtend', utc(note.journal.end).toString());
  journal.addPropertyWithValue('summary', note.subject);
  if (note.body) journal.addPropertyWithValue('description', note.body);
  const categories = note.journal ? [note.journal.type, ...note.categories] : note.categories;
  addCategories(journal, categories.filter(Boolean));
  cal.addSubcomponent(journal);
  return cal.toString() + '\r\n';
}
