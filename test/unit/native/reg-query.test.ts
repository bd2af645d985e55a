import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { createDryRunHost, parseRegQuery } from '../../../native/index.js';
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

describe('createDryRunHost', () => {
  it('records what would run, in order, and changes nothing', async () => {
    const host = createDryRunHost();
    expect(host.live).toBe(false);
    const result = await host.runCommand('cscript', ['//nologo', 'ospp.vbs', '/dstatus']);
    await host.readRegistry('HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Licensing\\LicensingNext');
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(host.plan.steps).toEqual([
      { kind: 'command', program: 'cscript', args: ['//nologo', 'ospp.vbs', '/dstatus'] },
      { kind: 'registry-read', key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Licensing\\LicensingNext' },
    ]);
  });
});
