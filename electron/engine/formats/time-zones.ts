import ICAL from 'ical.js';

/**
 * Windows time zone ids (what Outlook stores) to IANA ids (what Node's Intl knows), after CLDR's
 * windowsZones.xml, territory 001. VTIMEZONE blocks are then built from Intl's own tz data, so the
 * output carries the real transitions of the years the event spans.
 */
const windowsToIana: Record<string, string> = {
  'Dateline Standard Time': 'Etc/GMT+12',
  'UTC-11': 'Etc/GMT+11',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time (Mexico)': 'America/Tijuana',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time (Mexico)': 'America/Mazatlan',
  'Mountain Standard Time': 'America/Denver',
  'Central America Standard Time': 'America/Guatemala',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time (Mexico)': 'America/Cancun',
  'Eastern Standard Time': 'America/New_York',
  'US Eastern Standard Time': 'America/Indianapolis',
  'Venezuela Standard Time': 'America/Caracas',
  'Paraguay Standard Time': 'America/Asuncion',
  'Atlantic Standard Time': 'America/Halifax',
  'Central Brazilian Standard Time': 'America/Cuiaba',
  'SA Western Standard Time': 'America/La_Paz',
  'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'SA Eastern Standard Time': 'America/Cayenne',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'Greenland Standard Time': 'America/Godthab',
  'Montevideo Standard Time': 'America/Montevideo',
  'UTC-02': 'Etc/GMT+2',
  'Mid-Atlantic Standard Time': 'Etc/GMT+2',
  'Azores Standard Time': 'Atlantic/Azores',
  'Cape Verde Standard Time': 'Atlantic/Cape_Verde',
  UTC: 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'Jordan Standard Time': 'Asia/Amman',
  'GTB Standard Time': 'Europe/Bucharest',
  'Middle East Standard Time': 'Asia/Beirut',
  'Egypt Standard Time': 'Africa/Cairo',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Syria Standard Time': 'Asia/Damascus',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'FLE Standard Time': 'Europe/Kiev',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Kaliningrad Standard Time': 'Europe/Kaliningrad',
  'Arabic Standard Time': 'Asia/Baghdad',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Arab Standard Time': 'Asia/Riyadh',
  'Belarus Standard Time': 'Europe/Minsk',
  'Russian Standard Time': 'Europe/Moscow',
  'E. Africa Standard Time': 'Africa/Nairobi',
  'Iran Standard Time': 'Asia/Tehran',
  'Arabian Standard Time': 'Asia/Dubai',
  'Azerbaijan Standard Time': 'Asia/Baku',
  'Mauritius Standard Time': 'Indian/Mauritius',
  'Georgian Standard Time': 'Asia/Tbilisi',
  'Caucasus Standard Time': 'Asia/Yerevan',
  'Afghanistan Standard Time': 'Asia/Kabul',
  'West Asia Standard Time': 'Asia/Tashkent',
  'Ekaterinburg Standard Time': 'Asia/Yekaterinburg',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Calcutta',
  'Sri Lanka Standard Time': 'Asia/Colombo',
  'Nepal Standard Time': 'Asia/Katmandu',
  'Central Asia Standard Time': 'Asia/Almaty',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'Myanmar Standard Time': 'Asia/Rangoon',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'N. Central Asia Standard Time': 'Asia/Novosibirsk',
  'China Standard Time': 'Asia/Shanghai',
  'North Asia Standard Time': 'Asia/Krasnoyarsk',
  'Singapore Standard Time': 'Asia/Singapore',
  'W. Australia Standard Time': 'Australia/Perth',
  'Taipei Standard Time': 'Asia/Taipei',
  'Ulaanbaatar Standard Time': 'Asia/Ulaanbaatar',
  'North Asia East Standard Time': 'Asia/Irkutsk',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'West Pacific Standard Time': 'Pacific/Port_Moresby',
  'Tasmania Standard Time': 'Australia/Hobart',
  'Yakutsk Standard Time': 'Asia/Yakutsk',
  'Vladivostok Standard Time': 'Asia/Vladivostok',
  'Central Pacific Standard Time': 'Pacific/Guadalcanal',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Fiji Standard Time': 'Pacific/Fiji',
  'Tonga Standard Time': 'Pacific/Tongatapu',
  'Samoa Standard Time': 'Pacific/Apia',
};

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
