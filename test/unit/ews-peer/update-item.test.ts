import { readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEwsPeer, type EwsPeer, type PeerItem } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const schemaDir = path.join(fixturesDir, 'ews-schema');
const MAILBOX = 'alice@contoso.example';
const HEADERS = { authorization: 'Bearer test-token', 'x-anchormailbox': MAILBOX, 'content-type': 'text/xml; charset=utf-8' };
const SOAP_HEAD =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">' +
  '<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/></soap:Header><soap:Body>';
const SOAP_TAIL = '</soap:Body></soap:Envelope>';

async function post(peer: EwsPeer, body: string): Promise<{ status: number; body: string }> {
  const res = await fetch(peer.url, { method: 'POST', headers: HEADERS, body: SOAP_HEAD + body + SOAP_TAIL });
  return { status: res.status, body: await res.text() };
}

const responseCodes = (body: string): string[] => [...body.matchAll(/<m:ResponseCode>(\w+)<\/m:ResponseCode>/g)].map((m) => m[1]!);
const setField = (uri: string, inner: string): string => `<t:SetItemField><t:FieldURI FieldURI="${uri}"/><t:CalendarItem>${inner}</t:CalendarItem></t:SetItemField>`;
const occurrence = (masterId: string, index: number): string => `<t:OccurrenceItemId RecurringMasterId="${masterId}" InstanceIndex="${index}"/>`;
const updateItem = (changes: string, invitations = 'SendToNone'): string =>
  `<m:UpdateItem ConflictResolution="AlwaysOverwrite" SendMeetingInvitationsOrCancellations="${invitations}"><m:ItemChanges>${changes}</m:ItemChanges></m:UpdateItem>`;
const deleteOccurrences = (ids: string, cancellations = 'SendToNone'): string =>
  `<m:DeleteItem DeleteType="HardDelete" SendMeetingCancellations="${cancellations}"><m:ItemIds>${ids}</m:ItemIds></m:DeleteItem>`;

if (!hasFixtures) console.warn(`ews-peer UpdateItem tests skipped: ${fixturesDir} (Microsoft's EWS schemas) is missing`);

describe.skipIf(!hasFixtures)('EWS peer: UpdateItem and occurrences', () => {
  let peer: EwsPeer;
  let series: PeerItem;

  beforeAll(async () => {
    peer = await startEwsPeer({ schemaDir, auth: { bearerTokens: ['test-token'] } });
    // A weekly series of NumberOfOccurrences 10, as ews-javascript-api sends it.
    const sample = readFileSync(path.join(schemaDir, 'samples', 'ewsjs-createitem-calendaritem-recurring.xml'), 'utf8');
    const res = await fetch(peer.url, { method: 'POST', headers: HEADERS, body: sample });
    expect(res.status).toBe(200);
    const id = /<t:ItemId Id="([^"]+)"/.exec(await res.text())?.[1];
    series = peer.mailbox(MAILBOX).items.find((item) => item.id === id)!;
    expect(series?.kind).toBe('CalendarItem');
  });
  afterAll(() => peer.close());

  it('answers a schema-valid UpdateItem per ItemChange in order and stores an occurrence change as an exception of the series', async () => {
    const moved = { subject: 'Weekly sync (moved)', start: '2022-03-21T14:00:00Z', end: '2022-03-21T15:00:00Z', location: 'Room 7', freeBusy: 'Tentative', reminder: '5' };
    const occurrenceChange =
      `<t:ItemChange>${occurrence(series.id, 3)}<t:Updates>` +
      setField('item:Subject', `<t:Subject>${moved.subject}</t:Subject>`) +
      setField('item:ReminderMinutesBeforeStart', `<t:ReminderMinutesBeforeStart>${moved.reminder}</t:ReminderMinutesBeforeStart>`) +
      setField('calendar:Start', `<t:Start>${moved.start}</t:Start>`) +
      setField('calendar:End', `<t:End>${moved.end}</t:End>`) +
      setField('calendar:LegacyFreeBusyStatus', `<t:LegacyFreeBusyStatus>${moved.freeBusy}</t:LegacyFreeBusyStatus>`) +
      setField('calendar:Location', `<t:Location>${moved.location}</t:Location>`) +
      `</t:Updates></t:ItemChange>`;
    const seriesChange = `<t:ItemChange><t:ItemId Id="${series.id}" ChangeKey="${series.changeKey}"/><t:Updates>${setField('item:Subject', '<t:Subject>Weekly sync 2</t:Subject>')}</t:Updates></t:ItemChange>`;
    const unknownMaster = `<t:ItemChange>${occurrence('AAMkADnot-a-stored-item', 1)}<t:Updates>${setField('item:Subject', '<t:Subject>x</t:Subject>')}</t:Updates></t:ItemChange>`;
    const pastTheEnd = `<t:ItemChange>${occurrence(series.id, 11)}<t:Updates>${setField('item:Subject', '<t:Subject>x</t:Subject>')}</t:Updates></t:ItemChange>`;
    const request = updateItem(occurrenceChange + seriesChange + unknownMaster + pastTheEnd);
    expect((await peer.validate(SOAP_HEAD + request + SOAP_TAIL)).errors).toEqual([]);

    const keyBefore = series.changeKey;
    const res = await post(peer, request);
    expect(res.status).toBe(200);
    expect(responseCodes(res.body)).toEqual(['NoError', 'NoError', 'ErrorItemNotFound', 'ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange']);
    // The answer itself is what Exchange's messages.xsd declares.
    expect((await peer.validate(res.body)).errors).toEqual([]);
    const [occurrenceId, seriesId] = [...res.body.matchAll(/<t:ItemId Id="([^"]+)" ChangeKey="([^"]+)"\/>/g)].map((m) => m[1]);
    expect(seriesId).toBe(series.id);
    expect(occurrenceId).not.toBe(series.id);

    expect(series.exceptions).toEqual([
      {
        instanceIndex: 3,
        id: occurrenceId,
        changeKey: expect.any(String),
        changes: {
          'item:Subject': moved.subject,
          'item:ReminderMinutesBeforeStart': moved.reminder,
          'calendar:Start': moved.start,
          'calendar:End': moved.end,
          'calendar:LegacyFreeBusyStatus': moved.freeBusy,
          'calendar:Location': moved.location,
        },
      },
    ]);
    // The series itself only changed where its own ItemId was addressed.
    expect(series.subject).toBe('Weekly sync 2');
    expect(series.fields.Subject).toBe('Weekly sync 2');
    expect(series.changeKey).not.toBe(keyBefore);
    expect(series.deletedOccurrences).toEqual([]);
    expect(peer.violations).toEqual([]);
    await peer.assertNoSchemaErrors();
  });

  it('deletes occurrences by InstanceIndex: recorded on the series, unknown masters and deleted occurrences refused', async () => {
    const res = await post(peer, deleteOccurrences(occurrence(series.id, 5) + occurrence('AAMkADnot-a-stored-item', 2) + occurrence(series.id, 3)));
    expect(responseCodes(res.body)).toEqual(['NoError', 'ErrorItemNotFound', 'NoError']);
    expect(series.deletedOccurrences).toEqual([3, 5]);
    // Deleting the changed occurrence 3 takes its exception with it.
    expect(series.exceptions).toEqual([]);
    const again = await post(peer, updateItem(`<t:ItemChange>${occurrence(series.id, 5)}<t:Updates>${setField('item:Subject', '<t:Subject>x</t:Subject>')}</t:Updates></t:ItemChange>`));
    expect(responseCodes(again.body)).toEqual(['ErrorCalendarOccurrenceIsDeletedFromRecurrence']);
    expect(peer.mailbox(MAILBOX).items).toContain(series);
    expect(peer.violations).toEqual([]);
    await peer.assertNoSchemaErrors();
  });

  it('records a violation when an update or a delete would tell attendees (SendToAll...)', async () => {
    const change = `<t:ItemChange>${occurrence(series.id, 2)}<t:Updates>${setField('calendar:Location', '<t:Location>Room 9</t:Location>')}</t:Updates></t:ItemChange>`;
    await post(peer, updateItem(change, 'SendToAllAndSaveCopy'));
    await post(peer, deleteOccurrences(occurrence(series.id, 4), 'SendToAllAndSaveCopy'));
    expect(peer.violations.map((v) => [v.operation, v.rule])).toEqual([
      ['UpdateItem', 'meeting-invitations-sent'],
      ['DeleteItem', 'meeting-cancellations-sent'],
    ]);
    expect(() => peer.assertNoViolations()).toThrow(/SendMeetingInvitationsOrCancellations="SendToAllAndSaveCopy"/);
    await peer.assertNoSchemaErrors();
  });

  it('answers Exchange errors for a change description holding two properties and for a missing SendMeetingInvitationsOrCancellations', async () => {
    const twoProps = `<t:ItemChange>${occurrence(series.id, 6)}<t:Updates><t:SetItemField><t:FieldURI FieldURI="item:Subject"/><t:CalendarItem><t:Subject>a</t:Subject><t:Location>b</t:Location></t:CalendarItem></t:SetItemField></t:Updates></t:ItemChange>`;
    const res = await post(peer, updateItem(twoProps));
    expect(responseCodes(res.body)).toEqual(['ErrorIncorrectUpdatePropertyCount']);
    const bare = await post(peer, `<m:UpdateItem ConflictResolution="AlwaysOverwrite"><m:ItemChanges>${twoProps}</m:ItemChanges></m:UpdateItem>`);
    expect(responseCodes(bare.body)).toEqual(['ErrorSendMeetingInvitationsOrCancellationsRequired']);
    expect(series.exceptions.map((e) => e.instanceIndex)).not.toContain(6);
    await peer.assertNoSchemaErrors();
  });
});
