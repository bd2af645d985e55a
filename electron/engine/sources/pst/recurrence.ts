import type { Recurrence, Weekday } from '../../../contract/index.js';

/**
 * The recurrence blob of an appointment (PidLidAppointmentRecur, [MS-OXOCAL] 2.2.1.44): a
 * RecurrencePattern followed by the exception list. Times in it are minutes since 1601-01-01 in the
 * appointment's own time zone ("local"), which is how Outlook stores them.
 */
export interface ParsedRecurrence {
  recurrence: Recurrence;
  /** Local dates (UTC-midnight Date of the local day) of deleted occurrences, modified ones included. */
  deletedDates: Date[];
  /** Local dates of modified occurrences' original day. */
  modifiedDates: Date[];
  /** Local start/end of the series' occurrences, minutes after midnight. */
  startMinute: number;
  endMinute: number;
  exceptions: RecurrenceException[];
}

export interface RecurrenceException {
  /** Local start/end of the modified occurrence and of the occurrence it replaces (minutes since 1601). */
  start: number;
  end: number;
  originalStart: number;
  subject?: string;
  location?: string;
  reminderDelta?: number;
  reminderSet?: boolean;
  busyStatus?: number;
  allDay?: boolean;
}

const weekdays: Weekday[] = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const minutesTo1970 = 11644473600 / 60;

/** Minutes since 1601 (local) → a Date whose UTC fields are that local time. */
export function localMinutesToDate(minutes: number): Date {
  return new Date((minutes - minutesTo1970) * 60_000);
}

class Reader {
  at = 0;
  constructor(readonly data: Buffer) {}
  need(bytes: number): void {
    if (this.at + bytes > this.data.length) throw new Error('recurrence blob is truncated');
  }
  u16(): number {
    this.need(2);
    const v = this.data.readUInt16LE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.data.readUInt32LE(this.at);
    this.at += 4;
    return v;
  }
  skip(bytes: number): void {
    this.need(bytes);
    this.at += bytes;
  }
}

function days(mask: number): Weekday[] {
  return weekdays.filter((_, index) => (mask & (1 << index)) !== 0);
}

export function parseAppointmentRecurrence(data: Buffer): ParsedRecurrence {
  const r = new Reader(data);
  r.u16(); // ReaderVersion 0x3004
  r.u16(); // WriterVersion 0x3004
  const frequency = r.u16(); // 0x200A daily, 0x200B weekly, 0x200C monthly, 0x200D yearly
  const patternType = r.u16();
  r.u16(); // CalendarType
  r.u32(); // FirstDateTime
  const period = r.u32();
  r.u32(); // SlidingFlag
  let patternSpecific1 = 0;
  let patternSpecific2 = 0;
  if (patternType === 1) patternSpecific1 = r.u32();
  else if (patternType === 2 || patternType === 4 || patternType === 0xa || patternType === 0xc) patternSpecific1 = r.u32();
  else if (patternType === 3 || patternType === 0xb) {
    patternSpecific1 = r.u32();
    patternSpecific2 = r.u32();
  }
  const endType = r.u32(); // 0x2021 by date, 0x2022 after count, 0x2023/0xFFFFFFFF never
  const occurrenceCount = r.u32();
  const firstDow = r.u32();
  const deletedCount = r.u32();
  if (deletedCount > 100_000) throw new Error('recurrence blob claims too many deleted instances');
  const deletedDates: Date[] = [];
  for (let i = 0; i < deletedCount; i++) deletedDates.push(localMinutesToDate(r.u32()));
  const modifiedCount = r.u32();
  if (modifiedCount > 100_000) throw new Error('recurrence blob claims too many modified instances');
  const modifiedDates: Date[] = [];
  for (let i = 0; i < modifiedCount; i++) modifiedDates.push(localMinutesToDate(r.u32()));
  const startDate = r.u32();
  const endDate = r.u32();

  const recurrence: Recurrence = { frequency: 'DAILY', interval: 1 };
  switch (frequency) {
    case 0x200a:
      recurrence.frequency = 'DAILY';
      if (patternType === 1) {
        // "Every weekday" is stored as a weekly pattern on a daily frequency.
        recurrence.frequency = 'WEEKLY';
        recurrence.interval = Math.max(1, period);
        recurrence.byDay = days(patternSpecific1);
      } else {
        recurrence.interval = Math.max(1, Math.round(period / 1440));
      }
      break;
    case 0x200b:
      recurrence.frequency = 'WEEKLY';
      recurrence.interval = Math.max(1, period);
      recurrence.byDay = days(patternSpecific1);
      break;
    case 0x200c:
    case 0x200d: {
      const yearly = frequency === 0x200d || period % 12 === 0;
      recurrence.frequency = yearly ? 'YEARLY' : 'MONTHLY';
      recurrence.interval = Math.max(1, yearly ? Math.round(period / 12) : period);
      if (patternType === 3 || patternType === 0xb) {
        recurrence.byDay = days(patternSpecific1);
        recurrence.setPosition = patternSpecific2 === 5 ? -1 : patternSpecific2;
      } else if (patternType === 2 || patternType === 4 || patternType === 0xa || patternType === 0xc) {
        recurrence.byMonthDay = patternSpecific1 === 31 && patternType === 4 ? -1 : patternSpecific1;
      }
      if (yearly) recurrence.byMonth = localMinutesToDate(startDate).getUTCMonth() + 1;
      break;
    }
    default:
      throw new Error(`unknown recurrence frequency 0x${frequency.toString(16)}`);
  }
  if (firstDow <= 6 && recurrence.frequency === 'WEEKLY') recurrence.firstDayOfWeek = weekdays[firstDow];
  if (endType === 0x2021) recurrence.until = localMinutesToDate(endDate);
  else if (endType === 0x2022) recurrence.count = occurrenceCount;

  // AppointmentRecurrencePattern continues: ReaderVersion2, WriterVersion2, StartTimeOffset, EndTimeOffset.
  let startMinute = 0;
  let endMinute = 0;
  const exceptions: RecurrenceException[] = [];
  try {
    r.u32(); // ReaderVersion2
    const writerVersion2 = r.u32();
    startMinute = r.u32();
    endMinute = r.u32();
    const exceptionCount = r.u16();
    const flagsOf: number[] = [];
    for (let i = 0; i < exceptionCount && i < 10_000; i++) {
      const exception: RecurrenceException = { start: r.u32(), end: r.u32(), originalStart: r.u32() };
      const flags = r.u16();
      if (flags & 0x0001) {
        r.u16();
        const length = r.u16();
        r.need(length);
        exception.subject = data.toString('latin1', r.at, r.at + length);
        r.skip(length);
      }
      if (flags & 0x0002) r.u32(); // MeetingType
      if (flags & 0x0004) exception.reminderDelta = r.u32();
      if (flags & 0x0008) exception.reminderSet = r.u32() !== 0;
      if (flags & 0x0010) {
        r.u16();
        const length = r.u16();
        r.need(length);
        exception.location = data.toString('latin1', r.at, r.at + length);
        r.skip(length);
      }
      if (flags & 0x0020) exception.busyStatus = r.u32();
      if (flags & 0x0040) r.u32(); // Attachment
      if (flags & 0x0080) exception.allDay = r.u32() !== 0;
      if (flags & 0x0100) r.u32(); // AppointmentColor
      exceptions.push(exception);
      flagsOf.push(flags);
    }
    r.skip(r.u32()); // ReservedBlock1
    // ExtendedException blocks carry the Unicode subject and location.
    exceptions.forEach((exception, index) => {
      if (writerVersion2 >= 0x3009) r.skip(r.u32()); // ChangeHighlight
      r.skip(r.u32()); // ReservedBlockEE1
      const flags = flagsOf[index] ?? 0;
      if (flags & 0x0011) {
        r.skip(12); // StartDateTime, EndDateTime, OriginalStartDate
        if (flags & 0x0001) {
          const length = r.u16();
          r.need(length * 2);
          exception.subject = data.toString('utf16le', r.at, r.at + length * 2);
          r.skip(length * 2);
        }
        if (flags & 0x0010) {
          const length = r.u16();
          r.need(length * 2);
          exception.location = data.toString('utf16le', r.at, r.at + length * 2);
          r.skip(length * 2);
        }
        r.skip(r.u32()); // ReservedBlockEE2
      }
    });
  } catch {
    // Outlook 97-era blobs stop after the basic pattern; what we have is still the series.
  }
  return { recurrence, deletedDates, modifiedDates, startMinute, endMinute, exceptions };
}
