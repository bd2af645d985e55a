import type { Recurrence, Weekday } from '../../../../contract/index.js';
import { formatDate, wallClock } from '../../exchange/time-zones.js';

/** iCalendar-style recurrence as Graph's patternedRecurrence (GRAPH:api/resources/patternedrecurrence). */
const weekdays: Record<Weekday, string> = { SU: 'sunday', MO: 'monday', TU: 'tuesday', WE: 'wednesday', TH: 'thursday', FR: 'friday', SA: 'saturday' };
const indexes: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };

export function patternedRecurrence(recurrence: Recurrence, start: Date, iana: string, windowsZone: string): { value?: Record<string, unknown>; problem?: string } {
  const startClock = wallClock(start, iana);
  const days = (recurrence.byDay ?? []).map((day) => weekdays[day]);
  const interval = Math.max(1, recurrence.interval);
  let pattern: Record<string, unknown>;
  switch (recurrence.frequency) {
    case 'DAILY':
      pattern = { type: 'daily', interval };
      break;
    case 'WEEKLY':
      pattern = { type: 'weekly', interval, daysOfWeek: days.length > 0 ? days : [Object.values(weekdays)[new Date(Date.UTC(startClock.year, startClock.month - 1, startClock.day)).getUTCDay()]], firstDayOfWeek: weekdays[recurrence.firstDayOfWeek ?? 'SU'] };
      break;
    case 'MONTHLY':
    case 'YEARLY': {
      const yearly = recurrence.frequency === 'YEARLY';
      const month = recurrence.byMonth ?? startClock.month;
      if (days.length > 0) {
        const index = indexes[String(recurrence.setPosition ?? 1)];
        if (!index) return { problem: `a ${recurrence.frequency.toLowerCase()} rule on occurrence ${recurrence.setPosition ?? ''} of a weekday` };
        pattern = { type: yearly ? 'relativeYearly' : 'relativeMonthly', interval, daysOfWeek: days, index, ...(yearly ? { month } : {}) };
      } else {
        pattern = { type: yearly ? 'absoluteYearly' : 'absoluteMonthly', interval, dayOfMonth: recurrence.byMonthDay ?? startClock.day, ...(yearly ? { month } : {}) };
      }
      break;
    }
    default:
      return { problem: `recurrence ${String(recurrence.frequency)}` };
  }
  const range: Record<string, unknown> = { startDate: formatDate(startClock), recurrenceTimeZone: windowsZone };
  if (recurrence.count !== undefined) Object.assign(range, { type: 'numbered', numberOfOccurrences: recurrence.count });
  else if (recurrence.until !== undefined) Object.assign(range, { type: 'endDate', endDate: formatDate(wallClock(recurrence.until, iana)) });
  else range.type = 'noEnd';
  return { value: { pattern, range } };
}
