import { readFileSync } from 'node:fs';
import path from 'node:path';

import { DOMParser } from '@xmldom/xmldom';
import { beforeAll, describe, expect, it } from 'vitest';

import type { CalendarEvent, Contact, Task } from '../../../electron/contract/index.js';
import type { MailItem } from '../../../electron/engine/model/items.js';
import { contactXml, distributionListXml } from '../../../electron/engine/targets/ews/mapping/contact.js';
import { calendarItemXml, occurrenceChanges } from '../../../electron/engine/targets/ews/mapping/event.js';
import { messageXml } from '../../../electron/engine/targets/ews/mapping/mail.js';
import { taskXml } from '../../../electron/engine/targets/ews/mapping/task.js';
import { createItemBody } from '../../../electron/engine/targets/ews/operations/create-item.js';
import { findItemsByKeyBody } from '../../../electron/engine/targets/ews/operations/find-items-by-key.js';
import { getItemBody } from '../../../electron/engine/targets/ews/operations/get-item.js';
import { deleteOccurrencesBody, updateOccurrencesBody } from '../../../electron/engine/targets/ews/operations/occurrences.js';
import { envelope } from '../../../electron/engine/targets/ews/soap/envelope.js';
import { XmlChunks } from '../../../electron/engine/targets/ews/soap/xml.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { validateRequests } from './ews-schema.js';

const T = 'http://schemas.microsoft.com/exchange/services/2006/types';
const hash = 'a'.repeat(64);
const folder = { path: ['Inbox'], special: 'inbox' as const };

function mail(overrides: Partial<MailItem> = {}): MailItem {
  return {
    kind: 'mail',
    key: 'k1',
    folder,
    size: 10,
    flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false },
    keywords: [],
    categories: [],
    sentAt: new Date('2022-03-01T10:00:00Z'),
    receivedAt: new Date('2022-03-01T10:00:05Z'),
    load: async () => new Uint8Array(),
    ...overrides,
  };
}

const contact: Contact = {
  displayName: 'Dr. Ana María Núñez <&>',
  givenName: 'Ana',
  middleName: 'María',
  surname: 'Núñez',
  prefix: 'Dr.',
  suffix: 'Jr.',
  nickname: 'Ani',
  fileAs: 'Núñez, Ana',
  emails: [
    { address: 'ana@example.org', name: 'Ana Work' },
    { address: 'ana@home.example' },
    { address: 'a3@example.org' },
    { address: 'a4@example.org' },
  ],
  phones: [
    { type: 'business', number: '+34 91 000 0001' },
    { type: 'business', number: '+34 91 000 0002' },
    { type: 'mobile', number: '+34 600 000 000' },
    { type: 'homeFax', number: '+34 91 000 0003' },
    { type: 'ttytdd', number: '123' },
  ],
  addresses: [
    { type: 'home', street: 'Calle Mayor 1', city: 'Madrid', postalCode: '28013', country: 'Spain' },
    { type: 'business', street: 'Gran Vía 2', city: 'Madrid', state: 'M', postalCode: '28013', country: 'Spain' },
  ],
  company: 'Acme & Co',
  department: 'R&D',
  jobTitle: 'Engineer',
  office: 'B-12',
  manager: 'Luis',
  assistant: 'Eva',
  spouse: 'Pat',
  webPage: 'https://example.org/ana',
  imAddress: 'ana@im.example',
  birthday: '1980-02-29',
  anniversary: '2005-06-01',
  notes: 'Met at a conference.\u0007',
  categories: ['Friends', 'Friends', 'VIP'],
};

const weekly: CalendarEvent = {
  uid: 'u1',
  subject: 'Weekly sync',
  start: new Date('2022-03-07T08:00:00Z'), // 09:00 in Berlin (CET)
  end: new Date('2022-03-07T08:30:00Z'),
  allDay: false,
  timeZone: 'W. Europe Standard Time',
  location: 'Room 1',
  body: 'Agenda',
  busyStatus: 'busy',
  reminder: { minutesBefore: 15 },
  categories: ['Work'],
  attendees: [
    { address: 'bob@example.org', name: 'Bob', role: 'required' },
    { address: 'room@example.org', role: 'resource' },
  ],
  recurrence: { frequency: 'WEEKLY', interval: 1, byDay: ['MO'], count: 10 },
  deletedOccurrences: [new Date('2022-03-21T08:00:00Z')],
  // 2022-04-04 is after the DST change: 09:00 Berlin is 07:00Z.
  modifiedOccurrences: [{ originalStart: new Date('2022-04-04T07:00:00Z'), subject: 'Moved sync', start: new Date('2022-04-04T09:00:00Z'), end: new Date('2022-04-04T09:30:00Z') }],
};

const allDay: CalendarEvent = {
  uid: 'u2',
  subject: 'Holiday',
  start: new Date('2022-12-25T00:00:00Z'),
  end: new Date('2022-12-26T00:00:00Z'),
  allDay: true,
  categories: [],
  attendees: [],
  recurrence: { frequency: 'YEARLY', interval: 1, until: new Date('2030-12-25T00:00:00Z') },
  deletedOccurrences: [],
  modifiedOccurrences: [],
};

const monthly: CalendarEvent = {
  ...weekly,
  uid: 'u3',
  timeZone: 'America/New_York',
  recurrence: { frequency: 'MONTHLY', interval: 1, byDay: ['MO'], setPosition: 2 },
  deletedOccurrences: [],
  modifiedOccurrences: [],
  attendees: [],
};

const task: Task = {
  uid: 't1',
  subject: 'File taxes',
  body: 'Before April',
  start: new Date('2022-03-01T00:00:00Z'),
  due: new Date('2022-04-15T00:00:00Z'),
  status: 'inProgress',
  percentComplete: 40,
  importance: 'high',
  reminder: new Date('2022-04-10T09:00:00Z'),
  recurrence: { frequency: 'YEARLY', interval: 1 },
  categories: ['Home'],
};

const mime = hasFixtures ? new Uint8Array(readFileSync(path.join(fixturesDir, 'eml', 'tika_testRFC822.eml'))) : new Uint8Array(Buffer.from('Subject: x\r\n\r\nbody\r\n'));

function doc(body: XmlChunks | string, impersonate?: string): string {
  return envelope(body, impersonate ? { impersonate } : {}).toString();
}

function parse(xml: string) {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

function extended(xmlOrChunks: string | XmlChunks): Map<string, string> {
  const xml = typeof xmlOrChunks === 'string' ? xmlOrChunks : doc(createItemBody('@inbox', [xmlOrChunks], 'alice@contoso.example'));
  const out = new Map<string, string>();
  const props = parse(xml).getElementsByTagNameNS(T, 'ExtendedProperty');
  for (let i = 0; i < props.length; i += 1) {
    const prop = props.item(i);
    const uri = prop?.getElementsByTagNameNS(T, 'ExtendedFieldURI').item(0);
    const key = uri?.getAttribute('PropertyTag') || uri?.getAttribute('PropertyName') || '';
    out.set(key, prop?.getElementsByTagNameNS(T, 'Value').item(0)?.textContent ?? '');
  }
  return out;
}

const text = (xml: string, local: string) => parse(xml).getElementsByTagNameNS(T, local).item(0)?.textContent ?? undefined;

describe('EWS request bodies', () => {
  const documents: Record<string, string> = {};
  let errors: Record<string, string[]> = {};

  const readUnread = messageXml(mail({ flags: { seen: false, flagged: true, answered: true, draft: false, forwarded: false }, categories: ['Blue'], keywords: ['Project', '$Forwarded'] }), mime, hash);
  const draft = messageXml(mail({ flags: { seen: true, flagged: false, answered: false, draft: true, forwarded: true } }), mime, hash);
  const occurrences = occurrenceChanges(weekly);

  documents.mailBatch = doc(createItemBody('@inbox', [messageXml(mail(), mime, hash), readUnread, draft], 'alice@contoso.example'), 'alice@contoso.example');
  documents.mailInFolderId = doc(createItemBody('AAMkADk=', [messageXml(mail({ sentAt: undefined, receivedAt: undefined }), mime, hash)], 'alice@contoso.example'));
  documents.contact = doc(createItemBody('@contacts', [new XmlChunks().push(contactXml(contact, hash))], 'alice@contoso.example'));
  documents.distlist = doc(createItemBody('@contacts', [new XmlChunks().push(distributionListXml({ displayName: 'Team', members: [{ name: 'Bob', address: 'bob@example.org' }, { address: 'eve@example.org' }], categories: [] }, hash))], 'alice@contoso.example'));
  documents.weekly = doc(createItemBody('@calendar', [new XmlChunks().push(calendarItemXml(weekly, hash))], 'alice@contoso.example'));
  documents.allDay = doc(createItemBody('@calendar', [new XmlChunks().push(calendarItemXml(allDay, hash))], 'alice@contoso.example'));
  documents.monthly = doc(createItemBody('@calendar', [new XmlChunks().push(calendarItemXml(monthly, hash))], 'alice@contoso.example'));
  documents.task = doc(createItemBody('@tasks', [new XmlChunks().push(taskXml(task, hash))], 'alice@contoso.example'));
  documents.findByKey = doc(findItemsByKeyBody('@inbox', [hash, 'b'.repeat(64)], 'alice@contoso.example'));
  documents.findByOneKey = doc(findItemsByKeyBody('AAMkADk=', [hash], 'alice@contoso.example'));
  documents.getItem = doc(getItemBody('AAMkADk=', ['item:MimeContent', 'item:IsDraft', 'message:IsRead', 'item:DateTimeReceived'], ['0x0E07:Integer']));
  documents.deleteOccurrences = doc(deleteOccurrencesBody('AAMkADk=', occurrences.changes.filter((c) => !c.change).map((c) => c.index)));
  documents.updateOccurrences = doc(
    updateOccurrencesBody(
      'AAMkADk=',
      occurrences.changes.flatMap((c) => (c.change ? [{ index: c.index, change: c.change }] : [])),
    ),
  );

  beforeAll(async () => {
    if (!hasFixtures) return;
    const invalid = readFileSync(path.join(fixturesDir, 'ews-schema', 'samples', 'invalid', 'isread-before-mimecontent.xml'), 'utf8');
    errors = await validateRequests({ ...documents, knownInvalid: invalid });
  }, 60_000);

  it.skipIf(!hasFixtures)('the validator rejects a known-invalid request (so passing means something)', () => {
    expect(errors.knownInvalid?.length).toBeGreaterThan(0);
  });

  it.skipIf(!hasFixtures).each(Object.keys(documents))('%s validates against the EWS schema', (name) => {
    expect(errors[name]).toEqual([]);
  });

  it('carries the MIME bytes unchanged, as base64', () => {
    const b64 = text(documents.mailBatch ?? '', 'MimeContent') ?? '';
    expect(Buffer.compare(Buffer.from(b64, 'base64'), Buffer.from(mime))).toBe(0);
  });

  it('base64 pieces concatenate to the same text as one encoding', () => {
    const big = new Uint8Array(3 * 256 * 1024 * 2 + 7).map((_, i) => (i * 31) & 0xff);
    const xml = messageXml(mail(), big, hash).toString();
    expect(xml).toContain(Buffer.from(big).toString('base64'));
  });

  it('marks mail received, not draft, with its dates, read state, flag and reply state', () => {
    const read = extended(messageXml(mail(), mime, hash));
    expect(read.get('0x0E07')).toBe('1');
    expect(read.get('0x0E06')).toBe('2022-03-01T10:00:05Z');
    expect(read.get('0x0039')).toBe('2022-03-01T10:00:00Z');
    expect(read.get('0x1090')).toBeUndefined();
    expect(read.get('CloudwardSourceKey')).toBe(hash);
    const unread = extended(readUnread);
    expect(unread.get('0x0E07')).toBe('0');
    expect(unread.get('0x1090')).toBe('2');
    expect(unread.get('0x1081')).toBe('102');
    const categories = parse(doc(createItemBody('@inbox', [readUnread], 'alice@contoso.example'))).getElementsByTagNameNS(T, 'String');
    expect([categories.item(0)?.textContent, categories.item(1)?.textContent, categories.length]).toEqual(['Blue', 'Project', 2]);
    // A source draft stays a draft (MSGFLAG_UNSENT), forwarded gets its verb.
    expect(extended(draft).get('0x0E07')).toBe(String(0x1 | 0x8));
    expect(extended(draft).get('0x1081')).toBe('104');
  });

  it('never sends: SaveOnly and SendToNone on every CreateItem, SendToNone on occurrence changes', () => {
    for (const name of ['mailBatch', 'contact', 'weekly', 'task']) {
      expect(documents[name]).toContain('MessageDisposition="SaveOnly"');
      expect(documents[name]).toContain('SendMeetingInvitations="SendToNone"');
    }
    expect(documents.deleteOccurrences).toContain('SendMeetingCancellations="SendToNone"');
    expect(documents.updateOccurrences).toContain('SendMeetingInvitationsOrCancellations="SendToNone"');
  });

  it('app-only requests carry the impersonation header', () => {
    expect(documents.mailBatch).toContain('<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>alice@contoso.example</t:SmtpAddress>');
    expect(documents.contact).not.toContain('ExchangeImpersonation');
  });

  it('maps contact fields onto Exchange slots and keeps what has no slot in the notes', () => {
    const xml = documents.contact ?? '';
    expect(xml).toContain('<t:Entry Key="EmailAddress1" Name="Ana Work">ana@example.org</t:Entry>');
    expect(xml).toContain('<t:Entry Key="BusinessPhone2">+34 91 000 0002</t:Entry>');
    expect(xml).toContain('<t:Entry Key="TtyTddPhone">123</t:Entry>');
    expect(xml).toContain('<t:Entry Key="Business"><t:Street>Gran Vía 2</t:Street><t:City>Madrid</t:City><t:State>M</t:State><t:CountryOrRegion>Spain</t:CountryOrRegion><t:PostalCode>28013</t:PostalCode></t:Entry>');
    expect(text(xml, 'DisplayName')).toBe('Dr. Ana María Núñez <&>');
    expect(text(xml, 'Birthday')).toBe('1980-02-29T12:00:00Z');
    expect(text(xml, 'Generation')).toBe('Jr.');
    expect(text(xml, 'Body')).toBe('Met at a conference.\nE-mail: a4@example.org');
    expect(extended(xml).get('0x3A45')).toBe('Dr.');
  });

  it('sends wall clock plus the Windows zone, and a recurrence in that zone', () => {
    const xml = documents.weekly ?? '';
    expect(text(xml, 'Start')).toBe('2022-03-07T09:00:00');
    expect(text(xml, 'End')).toBe('2022-03-07T09:30:00');
    expect(xml).toContain('<t:StartTimeZone Id="W. Europe Standard Time"/>');
    expect(xml).toContain('<t:WeeklyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek></t:WeeklyRecurrence><t:NumberedRecurrence><t:StartDate>2022-03-07</t:StartDate><t:NumberOfOccurrences>10</t:NumberOfOccurrences>');
    expect(text(documents.monthly ?? '', 'Start')).toBe('2022-03-07T03:00:00');
    expect(documents.monthly).toContain('<t:RelativeMonthlyRecurrence><t:Interval>1</t:Interval><t:DaysOfWeek>Monday</t:DaysOfWeek><t:DayOfWeekIndex>Second</t:DayOfWeekIndex>');
    expect(documents.monthly).toContain('<t:StartTimeZone Id="Eastern Standard Time"/>');
  });

  it('places exceptions by instance index across a DST change', () => {
    expect(occurrences.unplaced).toEqual([]);
    expect(occurrences.changes.map((c) => [c.index, c.change === undefined])).toEqual([
      [3, true],
      [5, false],
    ]);
  });

  it('writes all-day events midnight to midnight with a yearly rule', () => {
    const xml = documents.allDay ?? '';
    expect(text(xml, 'Start')).toBe('2022-12-25T00:00:00');
    expect(text(xml, 'End')).toBe('2022-12-26T00:00:00');
    expect(text(xml, 'IsAllDayEvent')).toBe('true');
    expect(xml).toContain('<t:AbsoluteYearlyRecurrence><t:DayOfMonth>25</t:DayOfMonth><t:Month>December</t:Month></t:AbsoluteYearlyRecurrence><t:EndDateRecurrence><t:StartDate>2022-12-25</t:StartDate><t:EndDate>2030-12-25</t:EndDate>');
  });

  it('maps task status and progress', () => {
    const xml = documents.task ?? '';
    expect(text(xml, 'Status')).toBe('InProgress');
    expect(text(xml, 'PercentComplete')).toBe('40');
    expect(text(xml, 'DueDate')).toBe('2022-04-15T00:00:00Z');
  });

  it('searches by our source-key property', () => {
    expect(documents.findByKey).toContain('<t:Or><t:IsEqualTo><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="CloudwardSourceKey" PropertyType="String"/>');
    expect(documents.findByOneKey).not.toContain('<t:Or>');
  });
});
