import { win32 } from 'node:path';

import type { DiscoveredFile, DiscoveryResult } from '../../electron/contract/index.js';
import type { DiscoveryHost } from './outlook-discovery-host.js';
import type { RegistryValue } from './windows-host.js';

/** Where Outlook keeps its profiles: Office 2016+ (16.0), 2013 (15.0), and 2010 and older. */
export const profileRoots = [
  'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles',
  'HKCU\\Software\\Microsoft\\Office\\15.0\\Outlook\\Profiles',
  'HKCU\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Windows Messaging Subsystem\\Profiles',
] as const;

/**
 * Store paths in a profile's service subkeys: PR_PST_PATH (0x6700) and PR_PROFILE_OFFLINE_STORE_PATH
 * (0x6610), as REG_BINARY values named by their property tag, Unicode (001f) or ANSI (001e).
 */
const storePathValues: Record<string, 'pst' | 'ost'> = { '001f6700': 'pst', '001e6700': 'pst', '001f6610': 'ost', '001e6610': 'ost' };

/** A REG_BINARY as `reg query` prints it (hex digits) holding a NUL-terminated string. */
export function decodeRegistryString(value: RegistryValue, unicode: boolean): string | undefined {
  if (value.type !== 'REG_BINARY') return value.type === 'REG_SZ' || value.type === 'REG_EXPAND_SZ' ? value.data : undefined;
  const hex = value.data.replace(/\s+/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) return undefined;
  const bytes = Buffer.from(hex, 'hex');
  const text = unicode ? bytes.subarray(0, bytes.length & ~1).toString('utf16le') : bytes.toString('latin1');
  const nul = text.indexOf('\u0000');
  const path = (nul === -1 ? text : text.slice(0, nul)).trim();
  return path === '' ? undefined : path;
}

/** The PST/OST paths a profile's service subkeys name (one level below the profile key). */
export function storePathsOf(values: readonly RegistryValue[]): { path: string; kind: 'pst' | 'ost' }[] {
  const found: { path: string; kind: 'pst' | 'ost' }[] = [];
  for (const value of values) {
    const kind = storePathValues[value.name.toLowerCase()];
    if (!kind) continue;
    const path = decodeRegistryString(value, value.name.toLowerCase().startsWith('001f'));
    if (path) found.push({ path, kind });
  }
  return found;
}

const AUTOCOMPLETE_MAX_BYTES = 64 * 1024 * 1024;

export interface DiscoveryOptions {
  /** Counts the entries of an NK2 / autocomplete stream; throws (one line) for a damaged one. */
  countAutocompleteEntries: (bytes: Uint8Array, path: string) => number;
}

/**
 * Outlook's files for the signed-in user: autocomplete lists (NK2 in %APPDATA%\Microsoft\Outlook,
 * Stream_Autocomplete_*.dat in %LOCALAPPDATA%\Microsoft\Outlook\RoamCache), data files in the usual
 * folders (%LOCALAPPDATA%\Microsoft\Outlook, Documents\Outlook Files) and wherever a profile points.
 */
export async function discoverOutlookFiles(host: DiscoveryHost, options: DiscoveryOptions): Promise<DiscoveryResult> {
  const env = await host.environment();
  const files = new Map<string, DiscoveredFile>();
  const profiles: string[] = [];
  const storeProfiles = new Map<string, { kind: 'pst' | 'ost'; path: string; profiles: Set<string> }>();

  for (const root of profileRoots) {
    for (const profile of await host.listSubkeys(root)) {
      if (!profiles.some((known) => known.toLowerCase() === profile.toLowerCase())) profiles.push(profile);
      const profileKey = `${root}\\${profile}`;
      for (const service of await host.listSubkeys(profileKey)) {
        for (const store of storePathsOf(await host.readRegistry(`${profileKey}\\${service}`))) {
          const key = store.path.toLowerCase();
          const entry = storeProfiles.get(key) ?? { ...store, profiles: new Set<string>() };
          entry.profiles.add(profile);
          storeProfiles.set(key, entry);
        }
      }
    }
  }
  const profileOf = (name: string): string | undefined => profiles.find((profile) => profile.toLowerCase() === name.toLowerCase());

  const add = (file: DiscoveredFile): void => {
    const key = file.path.toLowerCase();
    if (!files.has(key)) files.set(key, file);
  };
  const scan = async (folder: string, pattern: RegExp, kind: DiscoveredFile['kind'], profileFromName: boolean): Promise<void> => {
    for (const info of (await host.listFiles(folder)) ?? []) {
      if (!pattern.test(info.name)) continue;
      const path = win32.join(folder, info.name);
      const profile = profileFromName ? profileOf(info.name.replace(/\.nk2$/i, '')) : undefined;
      add({ path, kind, bytes: info.bytes, modified: info.modified.toISOString(), foundBy: 'folder', ...(profile ? { profile } : {}) });
    }
  };

  const outlookRoaming = win32.join(env.appData, 'Microsoft', 'Outlook');
  const outlookLocal = win32.join(env.localAppData, 'Microsoft', 'Outlook');
  // Outlook 2003/2007 name the NK2 after the profile: Outlook.NK2 for the profile "Outlook".
  await scan(outlookRoaming, /\.nk2$/i, 'nk2', true);
  await scan(win32.join(outlookLocal, 'RoamCache'), /^Stream_Autocomplete_.*\.dat$/i, 'autocomplete', false);
  await scan(outlookLocal, /\.pst$/i, 'pst', false);
  await scan(outlookLocal, /\.ost$/i, 'ost', false);
  await scan(outlookRoaming, /\.pst$/i, 'pst', false);
  const documents = await documentsFolder(host, env.userProfile);
  if (documents) await scan(win32.join(documents, 'Outlook Files'), /\.pst$/i, 'pst', false);

  for (const store of storeProfiles.values()) {
    const [profile] = [...store.profiles];
    const known = files.get(store.path.toLowerCase());
    if (known) {
      if (!known.profile && profile) files.set(store.path.toLowerCase(), { ...known, profile });
      continue;
    }
    const stat = await host.stat(store.path);
    add({
      path: store.path,
      kind: store.kind,
      bytes: stat?.bytes ?? 0,
      modified: (stat?.modified ?? new Date(0)).toISOString(),
      foundBy: 'profile',
      ...(profile ? { profile } : {}),
      ...(stat ? {} : { problem: 'The profile names this file but it is not there' }),
    });
  }

  for (const [key, file] of files) {
    if (file.kind !== 'nk2' && file.kind !== 'autocomplete') continue;
    const bytes = await host.readFile(file.path, AUTOCOMPLETE_MAX_BYTES).catch(() => undefined);
    if (!bytes) {
      files.set(key, { ...file, problem: file.bytes > AUTOCOMPLETE_MAX_BYTES ? 'Far larger than any autocomplete list' : 'Could not be read' });
      continue;
    }
    try {
      files.set(key, { ...file, entries: options.countAutocompleteEntries(bytes, file.path) });
    } catch (error) {
      files.set(key, { ...file, problem: (error instanceof Error ? error.message : String(error)).split('\n')[0]! });
    }
  }
  const order: Record<DiscoveredFile['kind'], number> = { autocomplete: 0, nk2: 1, pst: 2, ost: 3 };
  return {
    platformSupported: true,
    profiles,
    files: [...files.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.path.localeCompare(b.path)),
  };
}

/** The Documents folder, wherever it was redirected (OneDrive, a server share): Shell Folders\Personal. */
async function documentsFolder(host: DiscoveryHost, userProfile: string | undefined): Promise<string | undefined> {
  const values = await host.readRegistry('HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders').catch(() => []);
  const personal = values.find((value) => value.name.toLowerCase() === 'personal');
  if (personal && personal.data.trim() !== '') return personal.data.trim();
  return userProfile ? win32.join(userProfile, 'Documents') : undefined;
}
