import { createHash } from 'node:crypto';

/** Characters Windows refuses in file names, and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be replaced
const forbidden = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const reserved = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/**
 * A name every file system of our users takes (Windows first): forbidden characters become "_",
 * trailing dots and spaces go, reserved device names get a "_" prefix, and long names are cut.
 */
export function safeName(name: string, maxLength = 80): string {
  let safe = name.normalize('NFC').replace(forbidden, '_').replace(/\s+/g, ' ').trim();
  safe = safe.replace(/[. ]+$/, '');
  if (safe.length > maxLength) safe = safe.slice(0, maxLength).replace(/[. ]+$/, '');
  if (safe === '' || safe === '.' || safe === '..') safe = '_';
  if (reserved.test(safe)) safe = `_${safe}`;
  return safe;
}

export function shortHash(text: string, length = 10): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

function stamp(date: Date | undefined): string {
  if (!date || Number.isNaN(date.getTime())) return 'undated';
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/**
 * A file name that is readable ("2024-03-01 091500 Quote for the roof ~1f3a9c02de.eml") and the same on
 * every run for the same source item, so a re-sent item overwrites itself instead of adding a copy.
 */
export function itemFileName(key: string, title: string | undefined, date: Date | undefined | null, extension: string): string {
  const label = safeName(title && title.trim() !== '' ? title : 'untitled', 60);
  // null: the item has no date worth sorting by (a contact), so no date prefix at all.
  return `${date === null ? '' : `${stamp(date)} `}${label} ~${shortHash(key)}.${extension}`;
}
