/** Numbers, sizes, durations and rates in the reader's language (Intl), never hand-rolled separators. */

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(bytes: number, locale: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

/** "2 h 05 min", "4 min 10 s", "12 s": short, unambiguous in English, Dutch and French. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

export function formatRate(itemsPerSecond: number, locale: string): string {
  if (!Number.isFinite(itemsPerSecond) || itemsPerSecond <= 0) return '–';
  const perMinute = itemsPerSecond * 60;
  return itemsPerSecond >= 1
    ? `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(itemsPerSecond)}/s`
    : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(perMinute)}/min`;
}

export function formatDateTime(iso: string | undefined, locale: string): string {
  if (iso === undefined) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/**
 * What a progress bar shows: 0..100, or undefined for an indeterminate (moving) bar. A total of 0 is known to
 * hold nothing (full); an unknown total moves only while the thing is `active`, else it waits at 0.
 */
export function barValue(done: number, total: number | undefined, active: boolean): number | undefined {
  if (total === 0) return 100;
  return percent(done, total) ?? (active ? undefined : 0);
}

/** 0..100, never NaN; an unknown total shows as an indeterminate bar (undefined). */
export function percent(done: number, total: number | undefined): number | undefined {
  if (total === undefined || total <= 0) return undefined;
  return Math.max(0, Math.min(100, Math.round((done / total) * 1000) / 10));
}
