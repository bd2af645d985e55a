import { CloudwardError } from '../../electron/contract/index.js';
import { longKey, normalizeKey } from './registry-path.js';
import type { RegistryKeyDump, RegistryValue } from './windows-host.js';

/**
 * The .reg format `reg export` writes (REGEDIT5: UTF-16LE with a BOM, CRLF, long lines continued
 * with a trailing backslash). Read for captures and backups, written by the simulated host's export.
 * Values come back in `reg query`'s notation so both sources feed the same code.
 */

/** Text of a .reg file from its bytes: UTF-16LE with BOM (regedit 5), or UTF-8/ANSI (REGEDIT4). */
export function decodeRegFile(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  // UTF-16LE without BOM: every other byte of the ASCII header is zero.
  if (bytes.length >= 4 && bytes[1] === 0 && bytes[3] === 0) return bytes.toString('utf16le');
  return bytes.toString('latin1');
}

function unquote(text: string): { value: string; rest: string } | undefined {
  if (!text.startsWith('"')) return undefined;
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      value += text[i + 1];
      i++;
    } else if (char === '"') {
      return { value, rest: text.slice(i + 1) };
    } else {
      value += char;
    }
  }
  return undefined;
}

function hexBytes(text: string): Buffer {
  const digits = text.split(',').map((part) => part.trim()).filter((part) => part !== '');
  if (digits.some((part) => !/^[0-9a-f]{1,2}$/i.test(part))) throw new Error('bad hex bytes');
  return Buffer.from(digits.map((part) => parseInt(part, 16)));
}

function utf16Strings(bytes: Buffer): string[] {
  const text = bytes.toString('utf16le').replace(/\0+$/, '');
  return text === '' ? [] : text.split('\0');
}

function valueFromData(name: string, data: string): RegistryValue {
  const string = unquote(data);
  if (string !== undefined) return { name, type: 'REG_SZ', data: string.value };
  const dword = /^dword:([0-9a-f]{1,8})$/i.exec(data);
  if (dword) return { name, type: 'REG_DWORD', data: `0x${parseInt(dword[1] ?? '0', 16).toString(16)}` };
  const hex = /^hex(?:\(([0-9a-f]+)\))?:(.*)$/i.exec(data);
  if (!hex) throw new Error(`unknown value data "${data.slice(0, 40)}"`);
  const kind = (hex[1] ?? '3').toLowerCase();
  const bytes = hexBytes(hex[2] ?? '');
  switch (kind) {
    case '0':
      return { name, type: 'REG_NONE', data: bytes.toString('hex').toUpperCase() };
    case '2':
      return { name, type: 'REG_EXPAND_SZ', data: utf16Strings(bytes)[0] ?? '' };
    case '7':
      return { name, type: 'REG_MULTI_SZ', data: utf16Strings(bytes).join('\\0') };
    case 'b':
      return { name, type: 'REG_QWORD', data: `0x${(bytes.length === 8 ? bytes.readBigUInt64LE() : 0n).toString(16)}` };
    case '4':
      return { name, type: 'REG_DWORD', data: `0x${(bytes.length === 4 ? bytes.readUInt32LE() : 0).toString(16)}` };
    default:
      return { name, type: 'REG_BINARY', data: bytes.toString('hex').toUpperCase() };
  }
}

/** Keys and values of a .reg file; `[-KEY]` deletions and `"x"=-` removals are ignored (a capture never has them). */
export function parseRegFile(input: string | Buffer, source = '.reg file'): RegistryKeyDump[] {
  const text = typeof input === 'string' ? input : decodeRegFile(input);
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').trim();
  if (header !== 'Windows Registry Editor Version 5.00' && header !== 'REGEDIT4') {
    throw new CloudwardError('FORMAT_INVALID', `${source}: not a registry export (first line "${header.slice(0, 60)}")`);
  }
  const keys: RegistryKeyDump[] = [];
  let current: RegistryKeyDump | undefined;
  for (let i = 1; i < lines.length; i++) {
    let line = (lines[i] ?? '').trimEnd();
    // Continued hex data ("hex:00,01,\" then "  02,03"). A string never ends in a bare backslash: it is escaped.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + (lines[++i] ?? '').trim();
    if (line === '' || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      if (line.startsWith('[-')) {
        current = undefined;
        continue;
      }
      const key = normalizeKey(line.slice(1, line.lastIndexOf(']')));
      if (key === undefined) throw new CloudwardError('FORMAT_INVALID', `${source}, line ${i + 1}: unknown registry hive`);
      current = { key, values: [] };
      keys.push(current);
      continue;
    }
    if (current === undefined) continue;
    let name: string;
    let rest: string;
    if (line.startsWith('@=')) {
      name = '';
      rest = line.slice(2);
    } else {
      const quoted = unquote(line);
      if (quoted === undefined || !quoted.rest.startsWith('=')) throw new CloudwardError('FORMAT_INVALID', `${source}, line ${i + 1}: not a value line`);
      name = quoted.value;
      rest = quoted.rest.slice(1);
    }
    if (rest === '-') continue;
    try {
      current.values.push(valueFromData(name, rest));
    } catch (error) {
      throw new CloudwardError('FORMAT_INVALID', `${source}, line ${i + 1}: ${(error as Error).message}`);
    }
  }
  return keys;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function hexList(bytes: Buffer): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join(',');
}

function formatValue(value: RegistryValue): string {
  const name = value.name === '' ? '@' : quote(value.name);
  switch (value.type) {
    case 'REG_SZ':
      return `${name}=${quote(value.data)}`;
    case 'REG_DWORD':
      return `${name}=dword:${(Number.parseInt(value.data, 16) >>> 0).toString(16).padStart(8, '0')}`;
    case 'REG_EXPAND_SZ':
      return `${name}=hex(2):${hexList(Buffer.from(`${value.data}\0`, 'utf16le'))}`;
    case 'REG_MULTI_SZ':
      return `${name}=hex(7):${hexList(Buffer.from(`${value.data.split('\\0').join('\0')}\0\0`, 'utf16le'))}`;
    case 'REG_QWORD': {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(BigInt(value.data.startsWith('0x') ? value.data : `0x${value.data || '0'}`));
      return `${name}=hex(b):${hexList(bytes)}`;
    }
    case 'REG_NONE':
      return `${name}=hex(0):${hexList(Buffer.from(value.data, 'hex'))}`;
    default:
      return `${name}=hex:${hexList(Buffer.from(value.data, 'hex'))}`;
  }
}

/** A .reg file as `reg export` writes it (UTF-16LE, BOM, CRLF); one line per value, no wrapping. */
export function formatRegFile(keys: readonly RegistryKeyDump[]): Buffer {
  const lines = ['Windows Registry Editor Version 5.00', ''];
  for (const dump of keys) {
    lines.push(`[${longKey(dump.key)}]`);
    for (const value of dump.values) lines.push(formatValue(value));
    lines.push('');
  }
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines.join('\r\n') + '\r\n', 'utf16le')]);
}
