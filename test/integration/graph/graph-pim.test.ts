import { readFileSync } from 'node:fs';
import path from 'node:path';

import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Contact } from '../../../electron/contract/index.js';
import type { PreparedItem } from '../../../electron/engine/model/items.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { eventFromIcs } from '../ews/ews-helpers.js';
import { folderRef, graphTarget, prepare } from './graph-helpers.js';

const mailbox = 'bob@contoso.example';

if (!hasFixtures) console.warn('Graph contact/calendar/task tests skipped: ../shared/fixtures is not present');

/** Occurrence starts the fixture's own RRULE produces (ical.js, independent of our code), as UTC ISO. */
function ruleStarts(ics: string, limit = 200): string[] {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const zone of root.getAllSubcomponents('vtimezone')) if (zone.getFirstPropertyValue('tzid')) ICAL.TimezoneService.register(zone);
  const master = root.getAllSubcomponents('vevent').find((vevent) => !vevent.hasProperty('recurrence-id'));
  if (!master) return [];
  const start = new ICAL.Event(master).startDate;
  const rule = master.getFirstPropertyValue('rrule') as InstanceType<typeof ICAL.Recur>;
  const iterator = rule.iterator(start);
  const out: string[] = [];
  for (let next = iterator.next(); next && out.length < limit; next = iterator.next()) out.push(next.toJSDate().toISOString().replace('.000Z', 'Z'));
  return out;
}

describe.skipIf(!hasFixtures)('Graph target: contacts, calendars and tasks, with nobody invited', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    peer = await startGraphPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('writes them schema-valid, sends no invitation, applies series exceptions, verifies and reconciles each', async () => {
    const target = graphTarget(peer.url, mailbox);
    await target.open();
    const signal = new AbortController().signal;
    const contacts = await target.ensureFolder({ path: ['Contacts'], special: 'contacts' }, ['Contacts']);
    const clients = await target.ensureFolder({ path: ['Contacts', 'Clients'], holds: 'contact' }, ['Contacts', 'Clients']);
    const calendar = await target.ensureFolder({ path: ['Calendar'], special: 'calendar' }, ['Calendar']);
    const holidays = await target.ensureFolder({ path: ['Calendar', 'Holidays'], holds: 'event' }, ['Calendar', 'Holidays']);
    const tasks = await target.ensureFolder({ path: ['Tasks'], special: 'tasks' }, ['Tasks']);
    expect(clients.path).toEqual(['Contacts', 'Clients']);
    expect(holidays.path).toEqual(['Holidays']);

    const contact: Contact = {
      displayName: 'John Doe',
      givenName: 'John',
      surname: 'Doe',
      suffix: 'Sr.',
      emails: [{ address: 'john.doe@ibm.cm', name: 'John Doe' }],
      phones: [{ type: 'business', number: '(905) 555-1234' }, { type: 'mobile', number: '(905) 666-1234' }, { type: 'pager', number: '555' }],
      addresses: [{ type: 'business', street: 'Cresent moon drive', city: 'Albaney', state: 'New York', postalCode: '12345', country: 'United States of America' }],
      company: 'IBM',
      jobTitle: 'Money Counter',
      birthday: '1980-03-22',
      categories: ['Business'],
    };
    const recurIcs = readFileSync(path.join(fixturesDir, 'ics', 'icaljs_recur_instances.ics'), 'utf8');
    const monthly = eventFromIcs(readFileSync(path.join(fixturesDir, 'ics', 'gromox_gxl-475.ics'), 'utf8'));
    const allDay = eventFromIcs(readFileSync(path.join(fixturesDir, 'ics', 'icaljs_day_long_recur_yearly.ics'), 'utf8'));
    const withExceptions = eventFromIcs(recurIcs);
    expect(withExceptions.attendees.length).toBeGreaterThan(0);
    const items: PreparedItem[] = [
      prepare({ kind: 'contact', key: 'c1', folder: { path: ['Contacts'], special: 'contacts' }, size: 100, contact }, folderRef(contacts.path, contacts.targetId)),
      prepare({ kind: 'contact', key: 'c2', folder: { path: ['Contacts', 'Clients'] }, size: 100, contact: { ...contact, displayName: 'Jane Roe', givenName: 'Jane', surname: 'Roe' } }, folderRef(clients.path, clients.targetId)),
      prepare({ kind: 'distlist', key: 'd1', folder: { path: ['Contacts'], special: 'contacts' }, size: 100, list: { displayName: 'Team', members: [{ address: 'a@b.c' }], categories: [] } }, folderRef(contacts.path, contacts.targetId)),
      prepare({ kind: 'event', key: 'e1', folder: { path: ['Calendar'], special: 'calendar' }, size: 100, event: monthly }, folderRef(calendar.path, calendar.targetId)),
      prepare({ kind: 'event', key: 'e2', folder: { path: ['Calendar', 'Holidays'] }, size: 100, event: allDay }, folderRef(holidays.path, holidays.targetId)),
      prepare({ kind: 'event', key: 'e3', folder: { path: ['Calendar'], special: 'calendar' }, size: 100, event: withExceptions }, folderRef(calendar.path, calendar.targetId)),
      prepare(
        { kind: 'task', key: 't1', folder: { path: ['Tasks'], special: 'tasks' }, size: 100, task: { uid: 't1', subject: 'Count money', status: 'waiting', percentComplete: 50, due: new Date('2024-02-01T00:00:00Z'), categories: ['Money'] } },
        folderRef(tasks.path, tasks.targetId),
      ),
    ];
    const outcomes = await target.write(items, signal);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.code))).toEqual(['ok', 'ok', 'ITEM_UNSUPPORTED', 'ok', 'ok', 'ok', 'ok']);
    for (const [index, prepared] of items.entries()) {
      const outcome = outcomes[index];
      if (outcome?.ok) await target.verify(prepared, outcome.targetId);
    }

    const box = peer.mailbox(mailbox);
    // Contacts: the default folder and a child of it, fields as sent.
    const john = box.contacts.find((c) => c.posted.displayName === 'John Doe');
    expect(john?.folderId).toBe(box.defaultContacts.id);
    expect(john?.posted).toMatchObject({ givenName: 'John', surname: 'Doe', generation: 'Sr.', companyName: 'IBM', jobTitle: 'Money Counter', businessPhones: ['(905) 555-1234'], mobilePhone: '(905) 666-1234', birthday: '1980-03-22T00:00:00Z', categories: ['Business'] });
    expect(String(john?.posted.personalNotes)).toContain('pager: 555');
    expect(box.contacts.find((c) => c.posted.displayName === 'Jane Roe')?.folderId).toBe(box.folderByPath(['Clients'], 'contacts')?.id);

    // Events: nobody invited; the organizer and attendees are in the body instead.
    expect(box.events.every((e) => e.posted.attendees === undefined)).toBe(true);
    const gromox = box.events.find((e) => e.posted.subject === monthly.subject);
    // The fixture says 13:00-15:00 in "W. Europe Standard Time", second Monday, 6 times.
    expect(gromox?.posted.start).toEqual({ dateTime: '2024-01-08T13:00:00', timeZone: 'W. Europe Standard Time' });
    expect(gromox?.posted.recurrence).toMatchObject({ pattern: { type: 'relativeMonthly', daysOfWeek: ['monday'], index: 'second' }, range: { type: 'numbered', numberOfOccurrences: 6 } });
    const workdays = box.events.find((e) => e.posted.isAllDay === true);
    expect(workdays?.folderId).toBe(box.folderByPath(['Holidays'], 'calendar')?.id);
    expect((workdays?.posted.start as { dateTime: string }).dateTime).toBe('2012-08-03T00:00:00');
    expect((workdays?.posted.end as { dateTime: string }).dateTime).toBe('2012-08-04T00:00:00');
    const crazy = box.events.find((e) => e.posted.subject === withExceptions.subject);
    const body = String((crazy?.posted.body as { content: string }).content);
    for (const attendee of withExceptions.attendees) expect(body).toContain(attendee.address);
    // Deleted occurrences: the EXDATEs that fall on the fixture's RRULE (ical.js), as original starts.
    const onRule = new Set(ruleStarts(recurIcs));
    const expectedCancelled = withExceptions.deletedOccurrences.map((d) => d.toISOString().replace('.000Z', 'Z')).filter((d) => onRule.has(d)).sort();
    expect(expectedCancelled.length).toBeGreaterThan(0);
    expect([...(crazy?.cancelledOccurrences ?? [])].sort()).toEqual(expectedCancelled);
    const expectedChanged = withExceptions.modifiedOccurrences.filter((c) => onRule.has(c.originalStart.toISOString().replace('.000Z', 'Z')));
    expect(expectedChanged.length).toBeGreaterThan(0);
    for (const change of expectedChanged) {
      const patch = crazy?.exceptions.get(change.originalStart.toISOString().replace('.000Z', 'Z'));
      expect(patch?.subject).toBe(change.subject);
    }
    // Tasks: the default To Do list, status in To Do's words, the source key in a linkedResource.
    const task = box.tasks[0];
    expect(task?.folderId).toBe(box.defaultTaskList.id);
    expect(task?.posted).toMatchObject({ title: 'Count money', status: 'waitingOnOthers', dueDateTime: { dateTime: '2024-02-01T00:00:00', timeZone: 'UTC' }, categories: ['Money'] });

    peer.assertNoSchemaErrors();
    peer.assertNoViolations();

    // After a crash, every written item is found again by its source key (none for the one not written).
    const found = await target.reconcile(items);
    expect(found).toEqual(outcomes.map((o) => (o.ok ? o.targetId : undefined)));
    await target.close();
  });
});
