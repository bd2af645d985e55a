import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';

import type { SourceFolder } from '../../../electron/engine/model/items.js';
import { renderTypedItem } from '../../../electron/engine/formats/render-item.js';

const folder: SourceFolder = { path: ['Calendar'] };

function parse(content: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(content));
}

describe('renderTypedItem', () => {
  it('writes a recurring event with its time zone, exceptions, alarm and attendees as data', () => {
    const { extension, content } = renderTypedItem({
      kind: 'event',
      key: 'k1',
      folder,
      size: 1,
      event: {
        uid: 'uid-1',
        subject: 'Weekly',
        start: new Date('2016-08-02T15:00:00Z'),
        end: new Date('2016-08-02T15:30:00Z'),
        allDay: false,
        timeZone: 'Pacific Standard Time',
        location: 'Room 1',
        reminder: { minutesBefore: 15 },
        busyStatus: 'tentative',
        categories: ['Blue'],
        organizer: { address: 'boss@example.com', name: 'Boss' },
        attendees: [{ address: 'a@example.com', name: 'A', role: 'optional', response: 'accepted' }],
        recurrence: { frequency: 'WEEKLY', interval: 2, byDay: ['TU'], until: new Date('2016-12-27T16:00:00Z') },
        deletedOccurrences: [new Date('2016-08-16T15:00:00Z'), new Date('2016-08-30T15:00:00Z')],
        modifiedOccurrences: [{ originalStart: new Date('2016-08-30T15:00:00Z'), start: new Date('2016-08-30T17:00:00Z'), subject: 'Moved' }],
      },
    });
    expect(extension).toBe('.ics');
    const calendar = parse(content);
    expect(calendar.getFirstSubcomponent('vtimezone')?.getFirstPropertyValue('tzid')).toBe('Pacific Standard Time');
    const [master, moved] = calendar.getAllSubcomponents('vevent');
    if (!master || !moved) throw new Error('two VEVENTs expected');
    const start = master.getFirstProperty('dtstart');
    expect(start?.getParameter('tzid')).toBe('Pacific Standard Time');
    expect(String(start?.getFirstValue())).toBe('2016-08-02T08:00:00');
    const rule = master.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect(rule.freq).toBe('WEEKLY');
    expect(rule.interval).toBe(2);
    expect(rule.parts.BYDAY).toEqual(['TU']);
    // The modified occurrence is not also excluded.
    expect(master.getAllProperties('exdate').map((p) => String(p.getFirstValue()))).toEqual(['2016-08-16T08:00:00']);
    expect(String(moved.getFirstPropertyValue('recurrence-id'))).toBe('2016-08-30T08:00:00');
    expect(moved.getFirstPropertyValue('summary')).toBe('Moved');
    expect(master.getFirstSubcomponent('valarm')?.getFirstPropertyValue('trigger')?.toString()).toBe('-PT15M');
    const attendee = master.getFirstProperty('attendee');
    expect(attendee?.getFirstValue()).toBe('mailto:a@example.com');
    expect(attendee?.getParameter('rsvp')).toBe('FALSE');
    expect(attendee?.getParameter('role')).toBe('OPT-PARTICIPANT');
    expect(calendar.getFirstPropertyValue('method')).toBeNull();
    // ical.js expands the series in its own zone: 08:00 Pacific every other Tuesday, 16 August excluded.
    const event = new ICAL.Event(master, { exceptions: [moved] });
    const iterator = event.iterator();
    const first = iterator.next();
    const second = iterator.next();
    expect(first?.toJSDate().toISOString()).toBe('2016-08-02T15:00:00.000Z');
    expect(second?.toJSDate().toISOString()).toBe('2016-08-30T15:00:00.000Z');
  });

  it('writes all-day events as dates', () => {
    const { content } = renderTypedItem({
      kind: 'event',
      key: 'k2',
      folder,
      size: 1,
      event: {
        uid: 'uid-2',
        subject: 'Holiday',
        start: new Date('2024-12-25T00:00:00Z'),
        end: new Date('2024-12-26T00:00:00Z'),
        allDay: true,
        categories: [],
        attendees: [],
        recurrence: { frequency: 'YEARLY', interval: 1, byMonth: 12, byMonthDay: 25 },
        deletedOccurrences: [],
        modifiedOccurrences: [],
      },
    });
    const vevent = parse(content).getFirstSubcomponent('vevent');
    expect(vevent?.getFirstProperty('dtstart')?.type).toBe('date');
    expect(String(vevent?.getFirstPropertyValue('dtstart'))).toBe('2024-12-25');
    const rule = vevent?.getFirstPropertyValue('rrule') as ICAL.Recur;
    expect([rule.freq, rule.parts.BYMONTH, rule.parts.BYMONTHDAY]).toEqual(['YEARLY', [12], [25]]);
  });

  it('writes contacts as vCard 3.0 and distribution lists as vCard 4.0 groups', () => {
    const contact = renderTypedItem({
      kind: 'contact',
      key: 'c1',
      folder: { path: ['Contacts'] },
      size: 1,
      contact: {
        displayName: 'Zoë Ünal',
        givenName: 'Zoë',
        surname: 'Ünal',
        emails: [{ address: 'zoe@example.com', name: 'Zoë' }, { address: 'z@example.org' }],
        phones: [{ type: 'mobile', number: '+33 6 00 00 00 00' }],
        addresses: [{ type: 'home', street: '1 rue de la Paix', city: 'Paris', country: 'France' }],
        company: 'ACME',
        jobTitle: 'Boss',
        birthday: '1980-05-04',
        notes: 'line 1\nline 2',
        categories: ['VIP'],
        photo: { mediaType: 'image/png', data: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) },
      },
    });
    expect(contact.extension).toBe('.vcf');
    const card = parse(contact.content);
    expect(card.getFirstPropertyValue('version')).toBe('3.0');
    expect(card.getFirstPropertyValue('fn')).toBe('Zoë Ünal');
    expect(card.getAllProperties('email').map((p) => p.getFirstValue())).toEqual(['zoe@example.com', 'z@example.org']);
    expect(card.getFirstPropertyValue('note')).toBe('line 1\nline 2');
    expect(card.getFirstProperty('tel')?.getParameter('type')).toEqual(['CELL', 'VOICE']);
    expect(card.getFirstPropertyValue('adr')).toEqual(['', '', '1 rue de la Paix', 'Paris', '', '', 'France']);
    expect(String(card.getFirstPropertyValue('bday'))).toBe('1980-05-04');
    const list = renderTypedItem({
      kind: 'distlist',
      key: 'd1',
      folder: { path: ['Contacts'] },
      size: 1,
      list: { displayName: 'Team', members: [{ name: 'A', address: 'a@example.com' }, { address: 'b@example.com' }], categories: [] },
    });
    const group = parse(list.content);
    expect(group.getFirstPropertyValue('kind')).toBe('group');
    expect(group.getAllProperties('member').map((p) => p.getFirstValue())).toEqual(['mailto:a@example.com', 'mailto:b@example.com']);
  });

  it('writes tasks as VTODO and notes and journal entries as VJOURNAL', () => {
    const task = parse(
      renderTypedItem({
        kind: 'task',
        key: 't1',
        folder: { path: ['Tasks'] },
        size: 1,
        task: { uid: 't1', subject: 'Do it', status: 'inProgress', percentComplete: 50, due: new Date('2024-03-01T00:00:00Z'), categories: [], reminder: new Date('2024-02-28T09:00:00Z') },
      }).content,
    ).getFirstSubcomponent('vtodo');
    expect(task?.getFirstPropertyValue('status')).toBe('IN-PROCESS');
    expect(task?.getFirstPropertyValue('percent-complete')).toBe(50);
    expect(String(task?.getFirstPropertyValue('due'))).toBe('2024-03-01');
    const journal = parse(
      renderTypedItem({
        kind: 'journal',
        key: 'j1',
        folder: { path: ['Journal'] },
        size: 1,
        note: { subject: 'Call', body: 'talked', categories: [], journal: { type: 'Phone call', start: new Date('2024-01-01T10:00:00Z') } },
      }).content,
    ).getFirstSubcomponent('vjournal');
    expect(journal?.getFirstPropertyValue('summary')).toBe('Call');
    expect(journal?.getFirstPropertyValue('categories')).toBe('Phone call');
  });
});
