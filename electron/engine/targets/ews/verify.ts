import { CloudwardError } from '../../../contract/index.js';
import type { PreparedItem } from '../../model/items.js';
import { eventTimes } from './mapping/event.js';
import { MSGFLAG_UNSENT, PR_MESSAGE_FLAGS } from './mapping/mail.js';
import { wallClock, formatDate } from '../exchange/time-zones.js';
import type { ReadItem } from './operations/get-item.js';
import { find } from './soap/parse.js';
import { NS_TYPES } from './soap/xml.js';
import { compareMailFacts, mimeFacts } from '../exchange/verify-values.js';

export const verifyFields: Record<string, { fields: string[]; extended: string[] }> = {
  mail: {
    fields: ['item:MimeContent', 'item:Subject', 'item:IsDraft', 'message:IsRead', 'item:DateTimeReceived', 'item:DateTimeSent'],
    extended: ['0x0E07:Integer'],
  },
  contact: { fields: ['item:Subject', 'contacts:DisplayName', 'contacts:GivenName', 'contacts:Surname'], extended: [] },
  distlist: { fields: ['item:Subject', 'contacts:DisplayName'], extended: [] },
  // Not calendar:IsRecurring: Exchange answers false on the organizer's own recurring master (EWSREF:isrecurring).
  event: { fields: ['item:Subject', 'calendar:Start', 'calendar:End', 'calendar:IsAllDayEvent', 'calendar:CalendarItemType', 'calendar:Recurrence'], extended: [] },
  task: { fields: ['item:Subject', 'task:Status', 'task:PercentComplete'], extended: [] },
};

function fail(item: PreparedItem, what: string): never {
  throw new CloudwardError(
    'VERIFY_FAILED',
    `Read-back of "${item.item.title ?? item.item.key}" (${item.item.kind}) shows ${what}; the job stops so the mailbox is not migrated wrongly`,
    { item: item.item.key },
  );
}

const sameInstant = (a: string | undefined, b: Date | undefined) => a !== undefined && b !== undefined && Math.abs(Date.parse(a) - b.getTime()) < 1000;

export async function checkReadBack(prepared: PreparedItem, read: ReadItem): Promise<void> {
  const item = prepared.item;
  switch (item.kind) {
    case 'mail': {
      const flags = Number(read.extended(PR_MESSAGE_FLAGS) ?? 'NaN');
      const isDraft = read.field('IsDraft') === 'true' || (Number.isFinite(flags) && (flags & MSGFLAG_UNSENT) !== 0);
      if (isDraft !== item.flags.draft) fail(prepared, isDraft ? 'a draft (unsent) instead of a received message' : 'a sent message where the source had a draft');
      const isRead = read.field('IsRead');
      if (isRead !== undefined && (isRead === 'true') !== item.flags.seen) fail(prepared, `read state ${isRead === 'true' ? 'read' : 'unread'}, source ${item.flags.seen ? 'read' : 'unread'}`);
      const received = item.receivedAt ?? item.sentAt;
      if (received && !sameInstant(read.field('DateTimeReceived'), received)) fail(prepared, `received date ${read.field('DateTimeReceived') ?? 'missing'} instead of ${received.toISOString()}`);
      if (item.sentAt && !sameInstant(read.field('DateTimeSent'), item.sentAt)) fail(prepared, `sent date ${read.field('DateTimeSent') ?? 'missing'} instead of ${item.sentAt.toISOString()}`);
      const mime = read.field('MimeContent');
      if (mime === undefined || prepared.mime === undefined) fail(prepared, 'no MIME content');
      // Exchange rebuilds MIME from properties (Date in UTC, re-encoded words, other quoting): compare values (issue 9 point 3).
      const problems = compareMailFacts(await mimeFacts(prepared.mime), await mimeFacts(Buffer.from(mime, 'base64')));
      if (problems.length > 0) fail(prepared, problems.join('; '));
      return;
    }
    case 'contact': {
      const expected = item.contact.displayName;
      const got = read.field('DisplayName');
      if (expected !== undefined && got !== undefined && got !== expected) fail(prepared, `display name "${got}" instead of "${expected}"`);
      const surname = read.field('Surname');
      if (item.contact.surname !== undefined && surname !== undefined && surname !== item.contact.surname) fail(prepared, `surname "${read.field('Surname') ?? ''}" instead of "${item.contact.surname}"`);
      return;
    }
    case 'distlist': {
      const got = read.field('DisplayName');
      if (got !== undefined && got !== item.list.displayName) fail(prepared, `name "${got}" instead of "${item.list.displayName}"`);
      return;
    }
    case 'event': {
      const event = item.event;
      if (read.field('Subject') !== undefined && read.field('Subject') !== event.subject) fail(prepared, `subject "${read.field('Subject') ?? ''}" instead of "${event.subject}"`);
      const allDay = read.field('IsAllDayEvent');
      if (allDay !== undefined && (allDay === 'true') !== event.allDay) fail(prepared, 'a different all-day setting');
      if (event.recurrence) {
        const type = read.field('CalendarItemType');
        const hasRecurrence = read.element !== undefined && find(read.element, 'Recurrence', NS_TYPES) !== undefined;
        if (!hasRecurrence && type !== 'RecurringMaster') fail(prepared, `a single event (${type ?? 'no CalendarItemType'}) where the source had a series`);
      }
      const times = eventTimes(event);
      for (const [which, got, sent, instant] of [
        ['start', read.field('Start'), times.start, event.start],
        ['end', read.field('End'), times.end, event.end],
      ] as const) {
        // A field the server leaves out is not compared (Exchange omits empty properties); a different value always fails.
        if (got === undefined) continue;
        const absolute = /(Z|[+-]\d{2}:\d{2})$/.test(got);
        const ok = !absolute
          ? got.slice(0, 19) === sent.slice(0, 19)
          : event.allDay
            ? formatDate(wallClock(new Date(got), times.iana ?? 'Etc/UTC')) === sent.slice(0, 10)
            : sameInstant(got, instant);
        if (!ok) fail(prepared, `${which} ${got} instead of ${event.allDay ? sent : instant.toISOString()}`);
      }
      return;
    }
    case 'task': {
      if (read.field('Subject') !== undefined && read.field('Subject') !== item.task.subject) fail(prepared, `subject "${read.field('Subject') ?? ''}" instead of "${item.task.subject}"`);
      return;
    }
    default:
      return;
  }
}
