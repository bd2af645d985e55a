import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { outlookDiscoveryHandlers } from '../../../electron/cli/outlook-discovery.js';
import { parseResponse } from '../../../electron/contract/index.js';
import { readAutocomplete } from '../../../electron/engine/autocomplete/index.js';
import { createDiscoveryHandlers } from '../../../native/src/outlook-discovery-handlers.js';
import { createSimulatedDiscoveryHost } from '../../../native/src/outlook-discovery-host.js';
import { decodeRegistryString, discoverOutlookFiles, storePathsOf } from '../../../native/src/outlook-discovery.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

/** As `reg query` prints a REG_BINARY: upper-case hex digits. */
const unicodeBinary = (text: string): string => Buffer.from(`${text}\u0000`, 'utf16le').toString('hex').toUpperCase();
const count = (bytes: Uint8Array, path: string): number => readAutocomplete(bytes, path).entries.length;
const when = new Date('2024-05-06T07:08:09Z');

describe('Outlook profile registry values', () => {
  it('decodes PR_PST_PATH / PR_PROFILE_OFFLINE_STORE_PATH from Unicode and ANSI REG_BINARY values', () => {
    expect(decodeRegistryString({ name: '001f6700', type: 'REG_BINARY', data: unicodeBinary('C:\\Mail\\été.pst') }, true)).toBe('C:\\Mail\\été.pst');
    expect(storePathsOf([
      { name: '001f6700', type: 'REG_BINARY', data: unicodeBinary('D:\\Archive.pst') },
      { name: '001E6610', type: 'REG_BINARY', data: Buffer.from('C:\\a.ost\u0000', 'latin1').toString('hex') },
      { name: '001f3001', type: 'REG_BINARY', data: unicodeBinary('Display name, not a path') },
      { name: '001f6700', type: 'REG_BINARY', data: 'zz' },
    ])).toEqual([
      { path: 'D:\\Archive.pst', kind: 'pst' },
      { path: 'C:\\a.ost', kind: 'ost' },
    ]);
  });
});

describe.skipIf(!hasFixtures)('Outlook file discovery on a simulated PC', () => {
  const nk2 = new Uint8Array(readFileSync(resolve(fixturesDir, 'nk2/hughbe_Outlook.NK2')));
  const dat = new Uint8Array(readFileSync(resolve(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat')));
  const profiles = 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles';
  const host = createSimulatedDiscoveryHost({
    environment: { appData: 'C:\\Users\\Ann\\AppData\\Roaming', localAppData: 'C:\\Users\\Ann\\AppData\\Local', userProfile: 'C:\\Users\\Ann' },
    files: {
      'C:\\Users\\Ann\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.NK2': { content: nk2, modified: when },
      'C:\\Users\\Ann\\AppData\\Roaming\\Microsoft\\Outlook\\readme.txt': { bytes: 10, modified: when },
      'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\RoamCache\\Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat': { content: dat, modified: when },
      'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\RoamCache\\Stream_Autocomplete_1_DAMAGED.dat': { content: dat.subarray(0, 100), modified: when },
      'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\RoamCache\\Stream_CalendarCache_0_X.dat': { bytes: 5, modified: when },
      'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\ann@contoso.com.ost': { bytes: 5_000_000_000, modified: when },
      'D:\\Docs\\Outlook Files\\Archive.pst': { bytes: 2_000_000, modified: when },
    },
    registry: [
      { key: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Shell Folders', values: [{ name: 'Personal', type: 'REG_SZ', data: 'D:\\Docs' }] },
      { key: `${profiles}\\Outlook\\9375CFF0413111d3B88A00104B2A6676`, values: [] },
      { key: `${profiles}\\Outlook\\0a0d020000000000c000000000000046`, values: [{ name: '001f6610', type: 'REG_BINARY', data: unicodeBinary('C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\ann@contoso.com.ost') }] },
      { key: `${profiles}\\Old POP\\1f8b2c0e`, values: [{ name: '001f6700', type: 'REG_BINARY', data: unicodeBinary('E:\\Old\\backup.pst') }] },
    ],
  });

  it('finds the NK2 (with its profile), the streams, the data files, and what the profiles point at, with entry counts', async () => {
    const result = await discoverOutlookFiles(host, { countAutocompleteEntries: count });
    expect(result.platformSupported).toBe(true);
    expect(result.profiles).toEqual(['Outlook', 'Old POP']);
    const shape = result.files.map(({ path, kind, bytes, profile, entries, problem, foundBy }) => ({ path, kind, bytes, profile, entries, problem, foundBy }));
    expect(shape).toEqual([
      // Entry counts from the fixtures (SOURCES.md: the .dat has 2 rows, the NK2 1).
      { path: 'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\RoamCache\\Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat', kind: 'autocomplete', bytes: 2212, profile: undefined, entries: 2, problem: undefined, foundBy: 'folder' },
      { path: 'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\RoamCache\\Stream_Autocomplete_1_DAMAGED.dat', kind: 'autocomplete', bytes: 100, profile: undefined, entries: undefined, problem: expect.stringMatching(/^C:.*DAMAGED\.dat: .*offset \d+/), foundBy: 'folder' },
      { path: 'C:\\Users\\Ann\\AppData\\Roaming\\Microsoft\\Outlook\\Outlook.NK2', kind: 'nk2', bytes: 1031, profile: 'Outlook', entries: 1, problem: undefined, foundBy: 'folder' },
      { path: 'D:\\Docs\\Outlook Files\\Archive.pst', kind: 'pst', bytes: 2_000_000, profile: undefined, entries: undefined, problem: undefined, foundBy: 'folder' },
      { path: 'E:\\Old\\backup.pst', kind: 'pst', bytes: 0, profile: 'Old POP', entries: undefined, problem: 'The profile names this file but it is not there', foundBy: 'profile' },
      { path: 'C:\\Users\\Ann\\AppData\\Local\\Microsoft\\Outlook\\ann@contoso.com.ost', kind: 'ost', bytes: 5_000_000_000, profile: 'Outlook', entries: undefined, problem: undefined, foundBy: 'folder' },
    ]);
    expect(result.files[0]!.modified).toBe('2024-05-06T07:08:09.000Z');
  });

  it('answers through the contract: a simulated host on the handlers, and platformSupported: false off Windows', async () => {
    const simulated = await createDiscoveryHandlers({ host: () => host, countAutocompleteEntries: count })['outlook:discover']({});
    expect(parseResponse('outlook:discover', simulated).files).toHaveLength(6);
    const linux = await outlookDiscoveryHandlers('linux')['outlook:discover']({});
    expect(parseResponse('outlook:discover', linux)).toEqual({ platformSupported: false, profiles: [], files: [] });
  });
});
