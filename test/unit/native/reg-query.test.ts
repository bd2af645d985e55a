import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { parseRegQuery, parseRegQueryTree } from '../../../native/index.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

if (!hasFixtures) console.warn(`reg-query: skipping fixture tests, ${fixturesDir} is missing`);

describe.skipIf(!hasFixtures)('parseRegQuery on recorded reg query output', () => {
  it('reads the LicensingNext value line (vNext licensing mode for o365homepremretail)', () => {
    const text = readFileSync(join(fixturesDir, 'windows/reg_query_LicensingNext_value_line__KMS_VL_ALL_AIO-issue15_FRAGMENT.txt'), 'latin1');
    expect(parseRegQuery(text)).toEqual([{ name: 'o365homepremretail', type: 'REG_DWORD', data: '0x2' }]);
  });
});

describe('parseRegQuery', () => {
  it('skips key headers and keeps single spaces inside names and data', () => {
    const text = [
      'HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles',
      '    DefaultProfile    REG_SZ    Outlook Main',
      '    (Default)    REG_SZ    ',
      '    Weird    REG_MADE_UP    1',
      '',
    ].join('\r\n');
    expect(parseRegQuery(text)).toEqual([
      { name: 'DefaultProfile', type: 'REG_SZ', data: 'Outlook Main' },
      { name: '', type: 'REG_SZ', data: '' },
    ]);
  });
});

describe('parseRegQueryTree', () => {
  it('reads `reg query /s`: every key header with its own values, in the short hive form', () => {
    const text = [
      '',
      'HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity',
      '    Version    REG_DWORD    0x1',
      '',
      'HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\abc_ADAL',
      '    EmailAddress    REG_SZ    ann@contoso.com',
      '    FriendlyName    REG_SZ    Ann  Example',
      '',
      'Fin de la recherche : 2 correspondance(s) trouvée(s).',
      '',
    ].join('\r\n');
    expect(parseRegQueryTree(text)).toEqual([
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity', values: [{ name: 'Version', type: 'REG_DWORD', data: '0x1' }] },
      {
        key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\abc_ADAL',
        values: [
          { name: 'EmailAddress', type: 'REG_SZ', data: 'ann@contoso.com' },
          { name: 'FriendlyName', type: 'REG_SZ', data: 'Ann  Example' },
        ],
      },
    ]);
  });
});
