import { normalizeKey } from './registry-path.js';
import type { RegistryKeyDump, RegistryValue, RegistryValueType } from './windows-host.js';

const valueLine = /^\s{2,}(.*?)\s{2,}(REG_[A-Z_]+)(?:\s{2,}(.*))?$/;
const knownTypes = new Set<string>(['REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_BINARY', 'REG_NONE']);

function valueFrom(raw: string): RegistryValue | undefined {
  const match = valueLine.exec(raw.replace(/\s+$/, ''));
  if (match === null || !knownTypes.has(match[2] ?? '')) return undefined;
  return {
    name: match[1] === '(Default)' ? '' : (match[1] ?? ''),
    type: match[2] as RegistryValueType,
    data: match[3] ?? '',
  };
}

/**
 * Reads the value lines of `reg query <key>` output ("    name    REG_DWORD    0x2"). Key header
 * lines and unknown types are skipped. `reg query` pads columns with four spaces, so two or more
 * spaces separate fields and single spaces stay inside names and data.
 */
export function parseRegQuery(output: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const value = valueFrom(raw);
    if (value !== undefined) values.push(value);
  }
  return values;
}

/**
 * Reads `reg query <key> /s` output: each key header (a line starting with a hive name) followed by
 * its value lines. Keys come back in the short form (HKCU\...). The "End of search" line and other
 * localized chatter match neither form and are skipped.
 */
export function parseRegQueryTree(output: string): RegistryKeyDump[] {
  const keys: RegistryKeyDump[] = [];
  let current: RegistryKeyDump | undefined;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.replace(/\s+$/, '');
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      const key = normalizeKey(line);
      current = key === undefined ? undefined : { key, values: [] };
      if (current !== undefined) keys.push(current);
      continue;
    }
    const value = valueFrom(line);
    if (value !== undefined && current !== undefined) current.values.push(value);
  }
  return keys;
}
