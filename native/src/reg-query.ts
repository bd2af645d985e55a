import type { RegistryValue, RegistryValueType } from './windows-host.js';

const valueLine = /^\s{2,}(.*?)\s{2,}(REG_[A-Z_]+)(?:\s{2,}(.*))?$/;
const knownTypes = new Set<string>(['REG_SZ', 'REG_EXPAND_SZ', 'REG_MULTI_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_BINARY', 'REG_NONE']);

/**
 * Reads the value lines of `reg query <key>` output ("    name    REG_DWORD    0x2"). Key header
 * lines and unknown types are skipped. `reg query` pads columns with four spaces, so two or more
 * spaces separate fields and single spaces stay inside names and data.
 */
export function parseRegQuery(output: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  for (const raw of output.split(/\r?\n/)) {
    const match = valueLine.exec(raw.replace(/\s+$/, ''));
    if (match === null || !knownTypes.has(match[2] ?? '')) continue;
    values.push({
      name: match[1] === '(Default)' ? '' : (match[1] ?? ''),
      type: match[2] as RegistryValueType,
      data: match[3] ?? '',
    });
  }
  return values;
}
