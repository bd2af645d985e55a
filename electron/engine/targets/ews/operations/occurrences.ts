import type { EventException } from '../../../../contract/index.js';
import { body } from '../mapping/common.js';
import type { EwsClient } from '../soap/client.js';
import { responseMessages } from '../soap/parse.js';
import { el, escapeAttr, utcDateTime } from '../soap/xml.js';

/**
 * Exceptions of a recurring series. CreateItem cannot carry them (DeletedOccurrences and
 * ModifiedOccurrences are read-only), so after the master exists we delete or update its
 * occurrences by InstanceIndex, never telling attendees (SendToNone).
 */
export function deleteOccurrencesBody(masterId: string, indexes: readonly number[]): string {
  const ids = indexes.map((index) => `<t:OccurrenceItemId RecurringMasterId="${escapeAttr(masterId)}" InstanceIndex="${index}"/>`).join('');
  return `<m:DeleteItem DeleteType="HardDelete" SendMeetingCancellations="SendToNone"><m:ItemIds>${ids}</m:ItemIds></m:DeleteItem>`;
}

function setField(uri: string, inner: string): string {
  return `<t:SetItemField><t:FieldURI FieldURI="${uri}"/><t:CalendarItem>${inner}</t:CalendarItem></t:SetItemField>`;
}

export function updateOccurrencesBody(masterId: string, changes: readonly { index: number; change: EventException }[]): string {
  const itemChanges = changes
    .map(({ index, change }) => {
      const updates: string[] = [];
      if (change.subject !== undefined) updates.push(setField('item:Subject', el('t:Subject', change.subject)));
      if (change.body !== undefined || change.bodyHtml !== undefined) updates.push(setField('item:Body', body(change.body, change.bodyHtml)));
      // Occurrence times go as absolute UTC: the series' zone already governs the occurrence.
      if (change.start !== undefined) updates.push(setField('calendar:Start', el('t:Start', utcDateTime(change.start))));
      if (change.end !== undefined) updates.push(setField('calendar:End', el('t:End', utcDateTime(change.end))));
      if (change.location !== undefined) updates.push(setField('calendar:Location', el('t:Location', change.location)));
      if (updates.length === 0) return '';
      return `<t:ItemChange><t:OccurrenceItemId RecurringMasterId="${escapeAttr(masterId)}" InstanceIndex="${index}"/><t:Updates>${updates.join('')}</t:Updates></t:ItemChange>`;
    })
    .join('');
  if (itemChanges === '') return '';
  return `<m:UpdateItem ConflictResolution="AlwaysOverwrite" SendMeetingInvitationsOrCancellations="SendToNone"><m:ItemChanges>${itemChanges}</m:ItemChanges></m:UpdateItem>`;
}

/** Runs a DeleteItem/UpdateItem and returns the failures as text (the master exists either way). */
export async function applyOccurrenceRequest(client: EwsClient, operation: 'DeleteItem' | 'UpdateItem', requestBody: string, signal: AbortSignal): Promise<string[]> {
  if (requestBody === '') return [];
  const root = await client.call(operation, requestBody, signal);
  return responseMessages(root)
    .filter((message) => message.responseCode !== 'NoError')
    .map((message) => `${operation} ${message.responseCode}${message.messageText ? `: ${message.messageText}` : ''}`);
}
