/**
 * Windows time zone ids (what Exchange wants in StartTimeZone/@Id) ↔ IANA ids (what Intl can compute
 * wall clocks in). The common zones from CLDR's windowsZones.xml, territory "001".
 */
const windowsToIana: Record<string, string> = {
  'Dateline Standard Time': 'Etc/GMT+12',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time': 'America/Denver',
  'Central Standard Time': 'America/Chicago',
  'Central America Standard Time': 'America/Guatemala',
  'Canada Central Standard Time': 'America/Regina',
  'Mexico Standard Time': 'America/Mexico_City',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Eastern Standard Time': 'America/New_York',
  'SA Pacific Standard Time': 'America/Bogota',
  'Atlantic Standard Time': 'America/Halifax',
  'SA Western Standard Time': 'America/La_Paz',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'Argentina Standard Time': 'America/Buenos_Aires',
  'UTC': 'Etc/UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'GTB Standard Time': 'Europe/Bucharest',
  'FLE Standard Time': 'Europe/Kiev',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Egypt Standard Time': 'Africa/Cairo',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Russian Standard Time': 'Europe/Moscow',
  'Arab Standard Time': 'Asia/Riyadh',
  'Arabian Standard Time': 'Asia/Dubai',
  'Iran Standard Time': 'Asia/Tehran',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Calcutta',
  'Nepal Standard Time': 'Asia/Katmandu',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'China Standard Time': 'Asia/Shanghai',
  'Singapore Standard Time': 'Asia/Singapore',
  'Taipei Standard Time': 'Asia/Taipei',
  'W. Australia Standard Time': 'Australia/Perth',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'Tasmania Standard Time': 'Australia/Hobart',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Fiji Standard Time': 'Pacific/Fiji',
  'Tonga Standard Time': 'Pacific/Tongatapu',
};

const ianaToWindows = new Map<string, string>();
for (const [windows, iana] of Object.entries(windowsToIana)) if (!ianaToWindows.has(iana)) ianaToWindows.set(iana, windows);
// Aliases sources commonly write.
for (const [alias, windows] of [
  ['Europe/Amsterdam', 'W. Europe Standard Time'],
  ['Europe/Rome', 'W. Europe Standard Time'],
  ['Europe/Vienna', 'W. Europe Standard Time'],
  ['Europe/Zurich', 'W. Europe Standard Time'],
  ['Europe/Stockholm', 'W. Europe Standard Time'],
  ['Europe/Brussels', 'Romance Standard Time'],
  ['Europe/Madrid', 'Romance Standard Time'],
  ['Europe/Copenhagen', 'Romance Standard Time'],
  ['Europe/Prague', 'Central Europe Standard Time'],
  ['Europe/Dublin', 'GMT Standard Time'],
  ['Europe/Lisbon', 'GMT Standard Time'],
  ['Europe/Helsinki', 'FLE Standard Time'],
  ['Europe/Kyiv', 'FLE Standard Time'],
  ['Europe/Athens', 'GTB Standard Time'],
  ['America/Toronto', 'Eastern Standard Time'],
  ['America/Detroit', 'Eastern Standard Time'],
  ['America/Vancouver', 'Pacific Standard Time'],
  ['Asia/Kolkata', 'India Standard Time'],
  ['Asia/Hong_Kong', 'China Standard Time'],
  ['UTC', 'UTC'],
  ['Etc/GMT', 'UTC'],
  ['GMT', 'UTC'],
] as const) {
  ianaToWindows.set(alias, windows);
}

/** The zone as both ids, or undefined when we cannot name it for Exchange. */
export function resolveZone(zone: string | undefined): { windows: string; iana: string } | undefined {
  if (zone === undefined || zone === '') return undefined;
  const fromWindows = windowsToIana[zone];
  if (fromWindows !== undefined) return { windows: zone, iana: fromWindows };
  const windows = ianaToWindows.get(zone);
  if (windows !== undefined) return { windows, iana: zone };
  return undefined;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading of `instant` in an IANA zone. */
export function wallClock(instant: Date, iana: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: iana,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? '0');
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatLocal(clock: WallClock): string {
  return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}T${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
}

export function formatDate(clock: WallClock): string {
  return `${pad(clock.year, 4)}-${pad(clock.month)}-${pad(clock.day)}`;
}

export function utcClock(instant: Date): WallClock {
  return {
    year: instant.getUTCFullYear(),
    month: instant.getUTCMonth() + 1,
    day: instant.getUTCDate(),
    hour: instant.getUTCHours(),
    minute: instant.getUTCMinutes(),
    second: instant.getUTCSeconds(),
  };
}
