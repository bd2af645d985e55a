/**
 * Registry key paths as reg.exe prints and takes them. Hives have long and short names
 * (HKEY_CURRENT_USER = HKCU); everything here works on the short form so keys compare reliably.
 * Registry names are case-insensitive, so comparisons go through `keyId`.
 */
const hiveAliases: Record<string, string> = {
  HKEY_CURRENT_USER: 'HKCU',
  HKCU: 'HKCU',
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKLM: 'HKLM',
  HKEY_USERS: 'HKU',
  HKU: 'HKU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKCR: 'HKCR',
  HKEY_CURRENT_CONFIG: 'HKCC',
  HKCC: 'HKCC',
};

/** "HKEY_CURRENT_USER\\Software\\X\\" → "HKCU\\Software\\X"; undefined when the hive is unknown. */
export function normalizeKey(key: string): string | undefined {
  const parts = key
    .trim()
    .replace(/^\\+|\\+$/g, '')
    .split('\\')
    .filter((part) => part !== '');
  const hive = hiveAliases[(parts[0] ?? '').toUpperCase()];
  if (hive === undefined) return undefined;
  return [hive, ...parts.slice(1)].join('\\');
}

/** The form reg.exe and the .reg format print (HKEY_CURRENT_USER\...). */
export function longKey(key: string): string {
  const normalized = normalizeKey(key) ?? key;
  const [hive = '', ...rest] = normalized.split('\\');
  const long = { HKCU: 'HKEY_CURRENT_USER', HKLM: 'HKEY_LOCAL_MACHINE', HKU: 'HKEY_USERS', HKCR: 'HKEY_CLASSES_ROOT', HKCC: 'HKEY_CURRENT_CONFIG' }[hive] ?? hive;
  return [long, ...rest].join('\\');
}

/** Case-insensitive identity of a key. */
export function keyId(key: string): string {
  return (normalizeKey(key) ?? key).toLowerCase();
}

export function joinKey(...parts: string[]): string {
  return parts.filter((part) => part !== '').join('\\');
}

/** True when `key` is `root` or below it. */
export function isKeyAtOrUnder(key: string, root: string): boolean {
  const k = keyId(key);
  const r = keyId(root);
  return k === r || k.startsWith(`${r}\\`);
}
