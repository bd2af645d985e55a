import { CloudwardError } from '../../../contract/index.js';
import type { PreparedItem } from '../../model/items.js';
import { resolveZone, wallClock } from '../exchange/time-zones.js';
import { compareMailFacts, htmlText, mimeFacts, type MailFacts } from '../exchange/verify-values.js';
import { eventTimes, eventZone } from './mapping/pim.js';

/**
 * Read-back checks after write, by value (instants, booleans, names), never by raw strings: Graph
 * answers dates in UTC with seven fractional digits, or in the event's zone, and both are right.
 */
function fail(prepared: PreparedItem, what: string): never {
  throw new CloudwardError(
    'VERIFY_FAILED',
    `Read-back of "${prepared.item.title ?? prepared.item.key}" (${prepared.item.kind}) shows ${what}; the job stops so the mailbox is not migrated wrongly`,
    { item: prepared.item.key },
  );
}

const sameInstant = (a: unknown, b: Date | undefined) => typeof a === 'string' && b !== undefined && Math.abs(Date.parse(a) - b.getTime()) < 1000;

/** The instant a Graph dateTimeTimeZone names (UTC, or a Windows/IANA zone). */
export function instantOf(value: { dateTime?: string; timeZone?: string } | undefined): number | undefined {
  if (!value?.dateTime) return undefined;
  const local = value.dateTime.replace(/(\.\d+)?Z?$/, '');
  const asUtc = Date.parse(`${local}Z`);
  if (!Number.isFinite(asUtc)) return undefined;
  const tz = value.timeZone ?? 'UTC';
  if (/^(UTC|Etc\/UTC|GMT|Coordinated Universal Time)$/i.test(tz)) return asUtc;
  const zone = resolveZone(tz);
  if (!zone) return undefined;
  // Two passes find the instant whose wall clock in the zone is `local` (DST edges included).
  let guess = asUtc;
  for (let pass = 0; pass < 2; pass += 1) {
    const clock = wallClock(new Date(guess), zone.iana);
    const shown = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
    guess += asUtc - shown;
  }
  return guess;
}

interface GraphRecipient {
  emailAddress?: { address?: string; name?: string };
}

export interface ReadMail {
  isDraft?: boolean;
  isRead?: boolean;
  receivedDateTime?: string;
  sentDateTime?: string | null;
  subject?: string;
  from?: GraphRecipient | null;
  toRecipients?: GraphRecipient[];
  ccRecipients?: GraphRecipient[];
  body?: { contentType?: string; content?: string };
}

/** The fields a message read back needs for checkMail. */
export const readMailSelect = 'subject,isDraft,isRead,receivedDateTime,sentDateTime,from,toRecipients,ccRecipients,body';

const bare = (list: (GraphRecipient | null | undefined)[]) => list.map((entry) => entry?.emailAddress?.address?.toLowerCase()).filter((address): address is string => address !== undefined && address !== '');

/** A Graph message as the values the shared comparer checks (the Date header is Graph's sentDateTime). */
export function graphMailFacts(read: ReadMail): MailFacts {
  const sent = read.sentDateTime ? new Date(read.sentDateTime) : undefined;
  const content = read.body?.content;
  return {
    date: sent && Number.isFinite(sent.getTime()) ? sent : undefined,
    subject: read.subject,
    from: bare([read.from]),
    to: bare(read.toRecipients ?? []),
    cc: bare(read.ccRecipients ?? []),
    text: content === undefined ? undefined : read.body?.contentType?.toLowerCase() === 'html' ? htmlText(content) : content,
  };
}

/**
 * Graph-only state (draft, read, received date) here; subject, sender, recipients, Date and body
 * through the comparer the EWS target uses (exchange/verify-values.ts), against the source MIME.
 */
export async function checkMail(prepared: PreparedItem, read: ReadMail): Promise<void> {
  const item = prepared.item;
  if (item.kind !== 'mail') return;
  if (read.isDraft !== item.flags.draft) fail(prepared, read.isDraft ? 'a draft instead of a received message' : 'a sent message where the source had a draft');
  if (read.isRead !== item.flags.seen) fail(prepared, `read state ${read.isRead ? 'read' : 'unread'}, source ${item.flags.seen ? 'read' : 'unread'}`);
  const received = item.receivedAt ?? item.sentAt;
  if (received && !sameInstant(read.receivedDateTime, received)) fail(prepared, `received date ${read.receivedDateTime ?? 'missing'} instead of ${received.toISOString()}`);
  if (item.sentAt && !item.flags.draft && !sameInstant(read.sentDateTime, item.sentAt)) fail(prepared, `sent date ${read.sentDateTime ?? 'missing'} instead of ${item.sentAt.toISOString()}`);
  if (prepared.mime === undefined) return;
  // Graph keeps the HTML part where there is one (mapping/mail.ts), so that is what the read-back must match.
  const expected = await mimeFacts(prepared.mime, { preferHtml: true });
  // Without a usable Date in the source, Graph's sentDateTime is the time of creation: nothing to compare.
  if (item.sentAt === undefined) delete expected.date;
  const problems = compareMailFacts(expected, graphMailFacts(read));
  if (problems.length > 0) fail(prepared, problems.join('; '));
}

export function checkTyped(prepared: PreparedItem, read: Record<string, unknown>): void {
  const item = prepared.item;
  switch (item.kind) {
    case 'contact': {
      if (item.contact.displayName !== undefined && read.displayName !== undefined && read.displayName !== item.contact.displayName) fail(prepared, `display name "${String(read.displayName)}" instead of "${item.contact.displayName}"`);
      if (item.contact.surname !== undefined && read.surname !== item.contact.surname) fail(prepared, `surname "${String(read.surname ?? '')}" instead of "${item.contact.surname}"`);
      return;
    }
    case 'event': {
      const event = item.event;
      if (read.subject !== event.subject) fail(prepared, `subject "${String(read.subject ?? '')}" instead of "${event.subject}"`);
      if (read.isAllDay !== undefined && read.isAllDay !== event.allDay) fail(prepared, 'a different all-day setting');
      if (event.recurrence && read.recurrence === null) fail(prepared, 'a single event where the source had a series');
      const zone = eventZone(event);
      const sent = eventTimes(event, zone);
      for (const which of ['start', 'end'] as const) {
        const got = instantOf(read[which] as { dateTime?: string; timeZone?: string } | undefined);
        const want = instantOf(sent[which]);
        if (got === undefined || want === undefined || Math.abs(got - want) >= 1000) fail(prepared, `${which} ${JSON.stringify(read[which])} instead of ${JSON.stringify(sent[which])}`);
      }
      return;
    }
    case 'task':
      if (read.title !== (item.task.subject === '' ? '(no subject)' : item.task.subject)) fail(prepared, `title "${String(read.title ?? '')}" instead of "${item.task.subject}"`);
      return;
    default:
      return;
  }
}
