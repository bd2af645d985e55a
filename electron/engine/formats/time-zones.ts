import ICAL from 'ical.js';

import { windowsToIana } from '../model/windows-time-zones.js';

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export interface ZoneInfo {
  /** What TZID says: the Windows id when the source gave one, so Outlook recognises it on import. */
  tzid: string;
  iana: string;
  toLocal(date: Date): LocalTime;
  /** The instant at which the wall clock reads `local` (given as a Date whose UTC fields are the wall time). */
  fromLocal(local: Date): Date;
  vtimezone(fromYear: number, toYear: number): ICAL.Component;
}

export function ianaFor(timeZone: string): string | undefined {
  const candidate = windowsToIana[timeZone] ?? timeZone;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: candidate });
    return candidate;
  } catch {
    return undefined;
  }
}

const zones = new Map<string, ZoneInfo | undefined>();

/** Zone rules by Windows or IANA id; built once per id (Intl formatters and transitions are costly). */
export function zoneFor(timeZone: string | undefined): ZoneInfo | undefined {
  if (!timeZone) return undefined;
  if (zones.has(timeZone)) return zones.get(timeZone);
  const zone = buildZone(timeZone);
  if (zones.size > 512) zones.clear();
  zones.set(timeZone, zone);
  return zone;
}

function buildZone(timeZone: string): ZoneInfo | undefined {
  const iana = ianaFor(timeZone);
  if (!iana) return undefined;
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: iana,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const toLocal = (date: Date): LocalTime => {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(date)) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    return {
      year: parts.year ?? 1970,
      month: parts.month ?? 1,
      day: parts.day ?? 1,
      hour: parts.hour ?? 0,
      minute: parts.minute ?? 0,
      second: parts.second ?? 0,
    };
  };
  const offsetMinutes = (date: Date): number => {
    const l = toLocal(date);
    const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60_000);
  };
  const built = new Map<string, string>();
  const fromLocal = (local: Date): Date => {
    let guess = local.getTime() - offsetMinutes(local) * 60_000;
    guess = local.getTime() - offsetMinutes(new Date(guess)) * 60_000;
    return new Date(guess);
  };
  return {
    tzid: timeZone,
    iana,
    toLocal,
    fromLocal,
    vtimezone(fromYear, toYear) {
      const last = Math.min(toYear, fromYear + 30);
      const key = `${fromYear}-${last}`;
      let text = built.get(key);
      if (text === undefined) {
        text = buildVtimezone(timeZone, fromYear, last, offsetMinutes, toLocal).toString();
        if (built.size > 64) built.clear();
        built.set(key, text);
      }
      // A fresh component each time: callers attach it to their own calendar.
      return ICAL.Component.fromString(text);
    },
  };
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** Transitions found by scanning day by day, then narrowing to the minute. */
function transitions(fromYear: number, toYear: number, offsetMinutes: (d: Date) => number): { at: Date; from: number; to: number }[] {
  const found: { at: Date; from: number; to: number }[] = [];
  const day = 86_400_000;
  let previous = Date.UTC(fromYear, 0, 1);
  let previousOffset = offsetMinutes(new Date(previous));
  const end = Date.UTC(toYear + 1, 0, 1);
  for (let t = previous + day; t <= end; t += day) {
    const offset = offsetMinutes(new Date(t));
    if (offset !== previousOffset) {
      let low = previous;
      let high = t;
      while (high - low > 60_000) {
        const mid = low + Math.floor((high - low) / 120_000) * 60_000;
        if (offsetMinutes(new Date(mid)) === previousOffset) low = mid;
        else high = mid;
      }
      found.push({ at: new Date(high), from: previousOffset, to: offset });
      previousOffset = offset;
    }
    previous = t;
  }
  return found;
}

function buildVtimezone(
  tzid: string,
  fromYear: number,
  toYear: number,
  offsetMinutes: (d: Date) => number,
  toLocal: (d: Date) => LocalTime,
): ICAL.Component {
  const vtimezone = new ICAL.Component('vtimezone');
  vtimezone.addPropertyWithValue('tzid', tzid);
  const found = transitions(fromYear - 1, toYear, offsetMinutes);
  if (found.length === 0) {
    const offset = offsetMinutes(new Date(Date.UTC(fromYear, 0, 1)));
    const standard = new ICAL.Component('standard');
    standard.addPropertyWithValue('dtstart', ICAL.Time.fromData({ year: 1601, month: 1, day: 1, hour: 0, minute: 0, second: 0 }));
    standard.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromString(formatOffset(offset)));
    standard.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromString(formatOffset(offset)));
    vtimezone.addSubcomponent(standard);
    return vtimezone;
  }
  const lastTwo = found.slice(-2);
  found.forEach((transition, index) => {
    const daylight = transition.to > transition.from;
    const observance = new ICAL.Component(daylight ? 'daylight' : 'standard');
    // DTSTART is the local wall time just before the change, in the old offset.
    const local = toLocal(new Date(transition.at.getTime() - 1000));
    const atLocal = new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) + 1000);
    observance.addPropertyWithValue(
      'dtstart',
      ICAL.Time.fromData({
        year: atLocal.getUTCFullYear(),
        month: atLocal.getUTCMonth() + 1,
        day: atLocal.getUTCDate(),
        hour: atLocal.getUTCHours(),
        minute: atLocal.getUTCMinutes(),
        second: 0,
      }),
    );
    observance.addPropertyWithValue('tzoffsetfrom', ICAL.UtcOffset.fromString(formatOffset(transition.from)));
    observance.addPropertyWithValue('tzoffsetto', ICAL.UtcOffset.fromString(formatOffset(transition.to)));
    // The last rule of each kind repeats yearly, so open-ended series stay right after the covered years.
    if (lastTwo.length === 2 && index >= found.length - 2) {
      const month = atLocal.getUTCMonth() + 1;
      const date = atLocal.getUTCDate();
      const daysInMonth = new Date(Date.UTC(atLocal.getUTCFullYear(), month, 0)).getUTCDate();
      const week = date + 7 > daysInMonth ? -1 : Math.ceil(date / 7);
      const weekday = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][atLocal.getUTCDay()] ?? 'SU';
      observance.addPropertyWithValue('rrule', ICAL.Recur.fromString(`FREQ=YEARLY;BYMONTH=${month};BYDAY=${week}${weekday}`));
    }
    vtimezone.addSubcomponent(observance);
  });
  return vtimezone;
}
