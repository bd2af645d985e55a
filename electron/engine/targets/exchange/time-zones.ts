import type { LocalTime } from '../../formats/time-zones.js';
import { ianaToWindows, windowsToIana } from '../../model/windows-time-zones.js';

/** The zone as both ids, or undefined when we cannot name it for Exchange. */
export function resolveZone(zone: string | undefined): { windows: string; iana: string } | undefined {
  if (zone === undefined || zone === '') return undefined;
  const fromWindows = windowsToIana[zone];
  if (fromWindows !== undefined) return { windows: zone, iana: fromWindows };
  const windows = ianaToWindows.get(zone);
  if (windows !== undefined) return { windows, iana: zone };
  return undefined;
}

/** A wall-clock reading: the same shape the iCalendar side uses. */
export type WallClock = LocalTime;

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

/**
 * The PC's own zone, for items that carry none (an all-day event without a zone would span two days
 * if written as UTC midnight to a mailbox in another zone; issue 9 point 12). `override` is for tests.
 */
export function localZone(override?: string): { windows: string; iana: string } | undefined {
  const iana = override ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return resolveZone(iana) ?? (iana === 'UTC' || iana === 'Etc/UTC' ? { windows: 'UTC', iana: 'Etc/UTC' } : undefined);
}
