import ICAL from 'ical.js';

import type { Recurrence, Weekday } from '../../../../contract/index.js';
import { el } from '../soap/xml.js';
import { formatDate, type WallClock } from '../../exchange/time-zones.js';

const dayNames: Record<Weekday, string> = {
  SU: 'Sunday',
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
};
const weekdayOf = (clock: WallClock): Weekday =>
  (['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const)[new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay()] ?? 'MO';

function dayIndex(position: number | undefined): string {
  if (position === -1) return 'Last';
  return ['First', 'Second', 'Third', 'Fourth'][(position ?? 1) - 1] ?? 'Last';
}

/** "Monday to Friday" and "every weekend day" are single DaysOfWeek values in relative patterns. */
function relativeDays(days: readonly Weekday[]): string {
  const set = new Set(days);
  if (set.size === 7) return 'Day';
  if (set.size === 5 && !set.has('SA') && !set.has('SU')) return 'Weekday';
  if (set.size === 2 && set.has('SA') && set.has('SU')) return 'WeekendDay';
  return dayNames[days[0] ?? 'MO'];
}

/**
 * EWS DayOfMonth is 1–31 (EWSREF:dayofmonth); "last day of the month" (BYMONTHDAY=-1) is expressed as 31, which
 * Outlook and Exchange place on the last day of shorter months. Unverified against a real tenant: whether a
 * negative value is refused per item and with which code (README). Other negative days have no EWS form and
 * take the series' own start day.
 */
export function dayOfMonth(byMonthDay: number | undefined, startDay: number): number {
  if (byMonthDay === undefined) return startDay;
  if (byMonthDay === -1) return 31;
  return byMonthDay >= 1 && byMonthDay <= 31 ? byMonthDay : startDay;
}

/**
 * `<t:Recurrence>` for a series whose first occurrence starts at `start` (wall clock in the
 * series' zone) and whose UNTIL, if any, is given as a wall-clock date in that zone.
 */
export function recurrenceXml(recurrence: Recurrence, start: WallClock, until: WallClock | undefined): string {
  const interval = Math.max(1, recurrence.interval);
  const days = recurrence.byDay && recurrence.byDay.length > 0 ? recurrence.byDay : [weekdayOf(start)];
  let pattern: string;
  switch (recurrence.frequency) {
    case 'DAILY':
      pattern = `<t:DailyRecurrence>${el('t:Interval', interval)}</t:DailyRecurrence>`;
      break;
    case 'WEEKLY':
      pattern = `<t:WeeklyRecurrence>${el('t:Interval', interval)}${el('t:DaysOfWeek', days.map((day) => dayNames[day]).join(' '))}${
        recurrence.firstDayOfWeek ? el('t:FirstDayOfWeek', dayNames[recurrence.firstDayOfWeek]) : ''
      }</t:WeeklyRecurrence>`;
      break;
    case 'MONTHLY':
      pattern =
        recurrence.setPosition !== undefined || (recurrence.byDay?.length ?? 0) > 0
          ? `<t:RelativeMonthlyRecurrence>${el('t:Interval', interval)}${el('t:DaysOfWeek', relativeDays(days))}${el('t:DayOfWeekIndex', dayIndex(recurrence.setPosition))}</t:RelativeMonthlyRecurrence>`
          : `<t:AbsoluteMonthlyRecurrence>${el('t:Interval', interval)}${el('t:DayOfMonth', dayOfMonth(recurrence.byMonthDay, start.day))}</t:AbsoluteMonthlyRecurrence>`;
      break;
    case 'YEARLY': {
      const month = monthNames[(recurrence.byMonth ?? start.month) - 1] ?? 'January';
      pattern =
        recurrence.setPosition !== undefined || (recurrence.byDay?.length ?? 0) > 0
          ? `<t:RelativeYearlyRecurrence>${el('t:DaysOfWeek', relativeDays(days))}${el('t:DayOfWeekIndex', dayIndex(recurrence.setPosition))}${el('t:Month', month)}</t:RelativeYearlyRecurrence>`
          : `<t:AbsoluteYearlyRecurrence>${el('t:DayOfMonth', dayOfMonth(recurrence.byMonthDay, start.day))}${el('t:Month', month)}</t:AbsoluteYearlyRecurrence>`;
      break;
    }
  }
  const startDate = el('t:StartDate', formatDate(start));
  let range: string;
  if (recurrence.count !== undefined) range = `<t:NumberedRecurrence>${startDate}${el('t:NumberOfOccurrences', recurrence.count)}</t:NumberedRecurrence>`;
  else if (until !== undefined) range = `<t:EndDateRecurrence>${startDate}${el('t:EndDate', formatDate(until))}</t:EndDateRecurrence>`;
  else range = `<t:NoEndRecurrence>${startDate}</t:NoEndRecurrence>`;
  return `<t:Recurrence>${pattern}${range}</t:Recurrence>`;
}

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The 1-based InstanceIndex of the occurrence that the series places at `original` (both wall
 * clocks in the series' zone), by expanding the rule with ical.js; undefined when the rule never
 * produces it. EWS addresses occurrences by index, not by date.
 */
export function instanceIndex(recurrence: Recurrence, start: WallClock, until: WallClock | undefined, original: WallClock, limit = 5000): number | undefined {
  const data: Record<string, unknown> = { freq: recurrence.frequency, interval: Math.max(1, recurrence.interval) };
  if (recurrence.byDay && recurrence.byDay.length > 0) data.byday = [...recurrence.byDay];
  if (recurrence.setPosition !== undefined) data.bysetpos = [recurrence.setPosition];
  if (recurrence.byMonthDay !== undefined) data.bymonthday = [recurrence.byMonthDay];
  if (recurrence.byMonth !== undefined) data.bymonth = [recurrence.byMonth];
  if (recurrence.firstDayOfWeek) data.wkst = recurrence.firstDayOfWeek;
  if (recurrence.count !== undefined) data.count = recurrence.count;
  if (until !== undefined) data.until = ICAL.Time.fromData({ ...until, isDate: false });
  const rule = ICAL.Recur.fromData(data);
  const iterator = rule.iterator(ICAL.Time.fromData({ ...start, isDate: false }));
  const wanted = ICAL.Time.fromData({ ...original, isDate: false });
  for (let index = 1; index <= limit; index += 1) {
    const next = iterator.next();
    if (!next) return undefined;
    const compared = next.compare(wanted);
    if (compared === 0) return index;
    if (compared > 0) return undefined;
  }
  return undefined;
}
