import type { HeaderSummary } from './mail-headers.js';

export interface ItemDates {
  sentAt?: Date;
  receivedAt?: Date;
  /** Set when the message had no date of its own: the report says how it was dated. */
  caveat?: string;
}

/** The time a file itself tells, and how the report names it. */
export interface FileTime {
  time: Date;
  what: string;
}

/**
 * A message's dates. Without a usable Date header a target stamps the message with the day of the
 * migration (Exchange: delivery and sent time = now), so it floats to the top of the Inbox. Falls back
 * to the Received headers (the newest hop is the delivery, the oldest is nearest the sending), then to
 * the file's own time (Maildir: the delivery time in its name; .eml: its modification time).
 */
export function datesOf(headers: HeaderSummary, file: FileTime | undefined): ItemDates {
  if (headers.date) return { sentAt: headers.date };
  const why = headers.badDate ? 'unreadable Date header' : 'no Date header';
  const received = headers.received ?? [];
  const newest = received[0];
  const oldest = received[received.length - 1];
  if (newest && oldest) {
    return { sentAt: oldest, receivedAt: newest, caveat: `${why}: dated by its Received headers (delivered ${newest.toISOString()})` };
  }
  // A file's time says when it was stored, not when it was sent: it dates the delivery only. (And a
  // sent time that changes when the file is copied would change the message's duplicate key.)
  if (file) {
    return { receivedAt: file.time, caveat: `${why} and no Received header: dated by ${file.what} (${file.time.toISOString()})` };
  }
  return { caveat: `${why}: no date of its own; the target dates it` };
}

/**
 * The delivery time a Maildir file name starts with ("1700000000.M1P2.host", older "1700000000.1234.host"),
 * or undefined for a name that does not follow the convention.
 */
export function maildirTime(name: string): Date | undefined {
  const match = /^(\d{9,11})[._]/.exec(name);
  if (!match) return undefined;
  const date = new Date(Number(match[1]) * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
