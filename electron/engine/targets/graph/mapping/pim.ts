import type { CalendarEvent, Contact, Task } from '../../../../contract/index.js';
import { graphSourceKeyProperty } from '../../exchange/source-key.js';
import { formatDate, formatLocal, localZone, resolveZone, utcClock, wallClock } from '../../exchange/time-zones.js';
import { patternedRecurrence } from './recurrence.js';

/**
 * Contacts, events and To Do tasks as Graph JSON. Each carries the source-key property (or, for To Do
 * tasks, which have no extended properties, a linkedResource with the same hash) so reconcile finds it.
 */
export interface Mapped {
  readonly body: Record<string, unknown>;
  readonly lost: string[];
}

const compact = <T extends Record<string, unknown>>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))) as T;

export function contactJson(contact: Contact, keyHash: string): Mapped {
  const lost: string[] = [];
  const address = (type: 'business' | 'home' | 'other') => {
    const found = contact.addresses.find((a) => a.type === type);
    return found ? compact({ street: found.street, city: found.city, state: found.state, postalCode: found.postalCode, countryOrRegion: found.country }) : undefined;
  };
  const phones = (types: string[]) => contact.phones.filter((p) => types.includes(p.type)).map((p) => p.number);
  // Graph's contact has three e-mail slots (emailAddresses) and named phone lists; the rest is noted.
  if (contact.emails.length > 3) lost.push(`${contact.emails.length - 3} e-mail address(es) beyond Outlook's three`);
  const mappedPhones = new Set(['business', 'home', 'mobile']);
  const otherPhones = contact.phones.filter((p) => !mappedPhones.has(p.type));
  if (otherPhones.length > 0) lost.push(`phone numbers Graph has no field for (${otherPhones.map((p) => p.type).join(', ')}), kept in the notes`);
  if (contact.photo) lost.push('contact photo');
  if (contact.anniversary) lost.push('anniversary, kept in the notes');
  const extraNotes = [
    ...otherPhones.map((p) => `${p.type}: ${p.number}`),
    ...(contact.anniversary ? [`anniversary: ${contact.anniversary}`] : []),
  ];
  const notes = [contact.notes, extraNotes.length > 0 ? extraNotes.join('\n') : undefined].filter((n) => n !== undefined && n !== '').join('\n\n');
  const body = compact({
    displayName: contact.displayName,
    givenName: contact.givenName,
    middleName: contact.middleName,
    surname: contact.surname,
    title: contact.prefix,
    generation: contact.suffix,
    nickName: contact.nickname,
    fileAs: contact.fileAs,
    emailAddresses: contact.emails.slice(0, 3).map((e) => compact({ address: e.address, name: e.name })),
    businessPhones: phones(['business']),
    homePhones: phones(['home']),
    mobilePhone: phones(['mobile'])[0],
    businessAddress: address('business'),
    homeAddress: address('home'),
    otherAddress: address('other'),
    companyName: contact.company,
    department: contact.department,
    jobTitle: contact.jobTitle,
    officeLocation: contact.office,
    manager: contact.manager,
    assistantName: contact.assistant,
    spouseName: contact.spouse,
    businessHomePage: contact.webPage,
    imAddresses: contact.imAddress ? [contact.imAddress] : undefined,
    birthday: contact.birthday ? `${contact.birthday}T00:00:00Z` : undefined,
    personalNotes: notes,
    categories: contact.categories,
    singleValueExtendedProperties: [graphSourceKeyProperty(keyHash)],
  });
  return { body, lost };
}

export interface EventZone {
  windows: string;
  iana: string;
}

export function eventZone(event: CalendarEvent): EventZone {
  return resolveZone(event.timeZone) ?? localZone() ?? { windows: 'UTC', iana: 'Etc/UTC' };
}

/** Wall-clock start/end in the event's own zone (Graph takes Windows zone names: GRAPH:api/resources/datetimetimezone). */
export function eventTimes(event: Pick<CalendarEvent, 'start' | 'end' | 'allDay'>, zone: EventZone): { start: { dateTime: string; timeZone: string }; end: { dateTime: string; timeZone: string } } {
  if (event.allDay) {
    // All-day dates are calendar dates (midnight UTC in our model): midnight to midnight in the mailbox zone.
    return {
      start: { dateTime: `${formatDate(utcClock(event.start))}T00:00:00`, timeZone: zone.windows },
      end: { dateTime: `${formatDate(utcClock(event.end))}T00:00:00`, timeZone: zone.windows },
    };
  }
  return {
    start: { dateTime: formatLocal(wallClock(event.start, zone.iana)), timeZone: zone.windows },
    end: { dateTime: formatLocal(wallClock(event.end, zone.iana)), timeZone: zone.windows },
  };
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * No attendees are ever sent: Graph has no SendToNone, and creating or updating an event with attendees
 * mails each of them (GRAPH:api/user-post-events; ews-graph.md §5c). The organizer and attendees go
 * into the body as text instead, so nobody is invited, updated or cancelled by a migration.
 */
export function eventJson(event: CalendarEvent, keyHash: string): Mapped {
  const lost: string[] = [];
  const zone = eventZone(event);
  const people = [
    ...(event.organizer ? [`Organizer: ${event.organizer.name ? `${event.organizer.name} <${event.organizer.address}>` : event.organizer.address}`] : []),
    ...event.attendees.map((a) => `${a.role === 'optional' ? 'Optional' : a.role === 'resource' ? 'Resource' : 'Attendee'}: ${a.name ? `${a.name} <${a.address}>` : a.address}${a.response && a.response !== 'none' ? ` (${a.response})` : ''}`),
  ];
  if (event.attendees.length > 0) lost.push('attendees are listed in the body, not invited (a migration must not mail them)');
  let body: { contentType: string; content: string } | undefined;
  if (event.bodyHtml) body = { contentType: 'html', content: people.length > 0 ? `${event.bodyHtml}<hr><p>${people.map(escapeHtml).join('<br>')}</p>` : event.bodyHtml };
  else if (event.body !== undefined || people.length > 0) body = { contentType: 'text', content: [event.body, people.join('\n')].filter((t) => t !== undefined && t !== '').join('\n\n') };
  let recurrence: Record<string, unknown> | undefined;
  if (event.recurrence) {
    const mapped = patternedRecurrence(event.recurrence, event.start, zone.iana, zone.windows);
    if (mapped.problem) lost.push(`recurrence (${mapped.problem}): created as a single event`);
    recurrence = mapped.value;
  }
  const times = eventTimes(event, zone);
  const json = compact({
    subject: event.subject,
    body,
    ...times,
    isAllDay: event.allDay,
    location: event.location ? { displayName: event.location } : undefined,
    showAs: event.busyStatus,
    sensitivity: event.sensitivity,
    importance: event.importance,
    categories: event.categories,
    isReminderOn: event.reminder !== undefined,
    reminderMinutesBeforeStart: event.reminder?.minutesBefore,
    recurrence,
    // Idempotent creation across retries (GRAPH:api/resources/event transactionId).
    transactionId: `cloudward-${keyHash.slice(0, 40)}`,
    // Never ask for responses: nothing is sent, and nothing should look like it awaits one.
    responseRequested: false,
    singleValueExtendedProperties: [graphSourceKeyProperty(keyHash)],
  });
  return { body: json, lost };
}

const taskStatus: Record<Task['status'], string> = { notStarted: 'notStarted', inProgress: 'inProgress', completed: 'completed', waiting: 'waitingOnOthers', deferred: 'deferred' };

function utcDateTime(date: Date): { dateTime: string; timeZone: string } {
  return { dateTime: formatLocal(utcClock(date)), timeZone: 'UTC' };
}

export const linkedResourceApp = 'Cloudward';

export function taskJson(task: Task, keyHash: string): Mapped {
  const lost: string[] = [];
  if (task.percentComplete > 0 && task.percentComplete < 100) lost.push(`percent complete (${task.percentComplete}%): To Do has no such field`);
  let recurrence: Record<string, unknown> | undefined;
  if (task.recurrence) {
    const anchor = task.due ?? task.start ?? new Date();
    const mapped = patternedRecurrence(task.recurrence, anchor, 'Etc/UTC', 'UTC');
    if (mapped.problem) lost.push(`recurrence (${mapped.problem})`);
    recurrence = mapped.value;
  }
  const body = compact({
    title: task.subject === '' ? '(no subject)' : task.subject,
    body: task.body ? { contentType: 'text', content: task.body } : undefined,
    status: taskStatus[task.status],
    importance: task.importance,
    startDateTime: task.start ? utcDateTime(task.start) : undefined,
    dueDateTime: task.due ? utcDateTime(task.due) : undefined,
    completedDateTime: task.completed ? utcDateTime(task.completed) : undefined,
    isReminderOn: task.reminder !== undefined,
    reminderDateTime: task.reminder ? utcDateTime(task.reminder) : undefined,
    categories: task.categories,
    recurrence,
    // To Do tasks have no extended properties: the source-key hash rides in a linkedResource (GRAPH:api/resources/linkedresource).
    linkedResources: [{ applicationName: linkedResourceApp, externalId: keyHash, displayName: 'Migrated by Cloudward' }],
  });
  return { body, lost };
}

export { formatDate, wallClock };
