import { describe, expect, it } from 'vitest';

import type { CalendarEvent, Task } from '../../../electron/contract/index.js';
import type { MailItem } from '../../../electron/engine/model/items.js';
import { calendarItemXml, eventTimes } from '../../../electron/engine/targets/ews/mapping/event.js';
import { messageXml } from '../../../electron/engine/targets/ews/mapping/mail.js';
import { recurrenceXml } from '../../../electron/engine/targets/ews/mapping/recurrence.js';
import { taskXml } from '../../../electron/engine/targets/ews/mapping/task.js';
import { createItemBody } from '../../../electron/engine/targets/ews/operations/create-item.js';
import { findItemsByKeyBody } from '../../../electron/engine/targets/ews/operations/find-items-by-key.js';
import { envelope } from '../../../electron/engine/targets/ews/soap/envelope.js';
import { XmlChunks } from '../../../electron/engine/targets/ews/soap/xml.js';
import { hasFixtures } from '../../support/fixtures.js';
import { validateRequests } from './ews-schema.js';

/** Issue 9 points 1, 4, 9, 10, 12 at the request level; every document is also checked against Microsoft's schema. */
const hash = 'a'.repeat(64);
const mailbox = 'user@contoso.example';
const doc = (folder: string, xml: string | XmlChunks) => envelope(createItemBody(folder, [typeof xml === 'string' ? new XmlChunks().push(xml) : xml], mailbox)).toString();

const meeting: CalendarEvent = {
  uid: '040000008200E00074C5B7101A82E0080000000070A8E9A1',
  subject: 'Budget review',
  start: new Date('2026-03-10T09:00:00Z'),
  end: new Date('2026-03-10T10:00:00Z'),
  allDay: false,
  timeZone: 'W. Europe Standard Time',
  organizer: { address: 'boss@contoso.example', name: 'The Boss' },
  attendees: [
    { address: 'user@contoso.example', role: 'required' },
    { address: 'cfo@contoso.example', name: 'CFO', role: 'required' },
    { address: 'room1@contoso.example', role: 'resource' },
  ],
  categories: [],
  deletedOccurrences: [],
  modifiedOccurrences: [],
};

const completedTask: Task = {
  uid: 't1',
  subject: 'File taxes',
  status: 'completed',
  percentComplete: 100,
  completed: new Date('2026-02-01T15:00:00Z'),
  due: new Date('2026-02-15T00:00:00Z'),
  categories: [],
};

function mail(flags: Partial<MailItem['flags']>): MailItem {
  return {
    kind: 'mail', key: 'k', folder: { path: ['Inbox'] }, size: 10, flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false, ...flags },
    keywords: [], categories: [], load: async () => new Uint8Array(),
  };
}

describe('EWS requests for a real Exchange', () => {
  const documents: Record<string, string> = {};

  it('every distinguished folder names the target mailbox (<t:Mailbox>), in CreateItem and in the reconcile FindItem', () => {
    documents.create = doc('@inbox', '<t:Message><t:Subject>x</t:Subject></t:Message>');
    documents.find = envelope(findItemsByKeyBody('@inbox', [hash], mailbox)).toString();
    for (const xml of [documents.create, documents.find]) {
      expect(xml).toContain('<t:DistinguishedFolderId Id="inbox"><t:Mailbox><t:EmailAddress>user@contoso.example</t:EmailAddress></t:Mailbox></t:DistinguishedFolderId>');
    }
    // The reconcile lookup asks for many keys at once: one OR restriction.
    const many = envelope(findItemsByKeyBody('@inbox', [hash, 'b'.repeat(64), 'c'.repeat(64)], mailbox)).toString();
    expect(many.match(/<t:IsEqualTo>/g)).toHaveLength(3);
    expect(many).toContain('<t:Or>');
    documents.findMany = many;
  });

  it('someone else\'s meeting keeps its UID, and organizer and attendees only as text: the owner is not made organizer of everyone', () => {
    const xml = calendarItemXml(meeting, hash, mailbox);
    expect(xml).toContain(`<t:UID>${meeting.uid}</t:UID>`);
    expect(xml).not.toContain('RequiredAttendees');
    expect(xml).not.toContain('<t:Resources>');
    expect(xml).toMatch(/Organizer: The Boss &lt;boss@contoso.example&gt;/);
    expect(xml).toMatch(/Attendees: user@contoso.example; CFO &lt;cfo@contoso.example&gt;/);
    documents.foreignMeeting = doc('@calendar', xml);
    // The owner's own meeting keeps its attendees (nobody is told: SendToNone).
    const own = calendarItemXml({ ...meeting, organizer: { address: 'User@Contoso.example' } }, hash, mailbox);
    expect(own).toContain('<t:RequiredAttendees>');
    documents.ownMeeting = doc('@calendar', own);
  });

  it('a completed task sends only CompleteDate (Status and PercentComplete would overwrite it); an open one only Status and PercentComplete', () => {
    const done = taskXml(completedTask, hash);
    expect(done).toContain('<t:CompleteDate>2026-02-01T15:00:00Z</t:CompleteDate>');
    expect(done).not.toContain('<t:Status>');
    expect(done).not.toContain('<t:PercentComplete>');
    const open = taskXml({ ...completedTask, status: 'inProgress', percentComplete: 40, completed: undefined }, hash);
    expect(open).toContain('<t:Status>InProgress</t:Status>');
    expect(open).toContain('<t:PercentComplete>40</t:PercentComplete>');
    expect(open).not.toContain('CompleteDate');
    documents.taskDone = doc('@tasks', done);
    documents.taskOpen = doc('@tasks', open);
  });

  it('"last day of the month" (BYMONTHDAY=-1) is DayOfMonth 31', () => {
    const xml = recurrenceXml({ frequency: 'MONTHLY', interval: 1, byMonthDay: -1, count: 12 }, { year: 2026, month: 1, day: 31, hour: 9, minute: 0, second: 0 }, undefined);
    expect(xml).toContain('<t:DayOfMonth>31</t:DayOfMonth>');
    const event: CalendarEvent = { ...meeting, organizer: undefined, attendees: [], uid: 'm', start: new Date('2026-01-31T08:00:00Z'), end: new Date('2026-01-31T09:00:00Z'), recurrence: { frequency: 'MONTHLY', interval: 1, byMonthDay: -1, count: 12 } };
    documents.monthEnd = doc('@calendar', calendarItemXml(event, hash, mailbox));
    expect(documents.monthEnd).toContain('<t:DayOfMonth>31</t:DayOfMonth>');
  });

  it('replied and forwarded mail carry PR_ICON_INDEX (0x1080) beside PR_LAST_VERB_EXECUTED', () => {
    const replied = messageXml(mail({ answered: true }), Buffer.from('Subject: x\r\n\r\nx'), hash).toString();
    expect(replied).toContain('PropertyTag="0x1081" PropertyType="Integer"/><t:Value>102</t:Value>');
    expect(replied).toContain('PropertyTag="0x1080" PropertyType="Integer"/><t:Value>261</t:Value>');
    const forwarded = messageXml(mail({ forwarded: true }), Buffer.from('Subject: x\r\n\r\nx'), hash).toString();
    expect(forwarded).toContain('PropertyTag="0x1080" PropertyType="Integer"/><t:Value>262</t:Value>');
    documents.replied = doc('@inbox', messageXml(mail({ answered: true }), Buffer.from('Subject: x\r\n\r\nx'), hash));
  });

  it('an all-day event without a zone is midnight to midnight in the PC\'s zone, on its own calendar day', () => {
    const day = { start: new Date('2026-03-05T00:00:00Z'), end: new Date('2026-03-06T00:00:00Z'), allDay: true };
    const newYork = eventTimes(day, 'America/New_York');
    expect([newYork.start, newYork.end, newYork.zone]).toEqual(['2026-03-05T00:00:00', '2026-03-06T00:00:00', 'Eastern Standard Time']);
    const berlin = eventTimes(day, 'Europe/Berlin');
    expect([berlin.start, berlin.zone]).toEqual(['2026-03-05T00:00:00', 'W. Europe Standard Time']);
    // A zone the event names wins over the PC's, and the day stays the same.
    expect(eventTimes({ ...day, timeZone: 'Tokyo Standard Time' }, 'America/New_York')).toMatchObject({ start: '2026-03-05T00:00:00', zone: 'Tokyo Standard Time' });
  });

  it.skipIf(!hasFixtures)('all of these requests are valid against Microsoft\'s schema', async () => {
    expect(Object.keys(documents).length).toBeGreaterThanOrEqual(9);
    const errors = await validateRequests(documents);
    expect(errors).toEqual(Object.fromEntries(Object.keys(documents).map((name) => [name, []])));
  });
});
