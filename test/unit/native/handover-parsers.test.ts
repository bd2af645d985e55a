import { describe, expect, it } from 'vitest';

import { decodeLicenseFile, formatRegFile, parseCmdkeyList, parseRegFile, parseVnextDiagList, type RegistryKeyDump } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { fixtureNames, licenceFile, readFixture } from './handover-pc.js';

if (!hasFixtures) console.warn('handover parsers: skipping fixture tests, shared/fixtures is missing');

/** Independent of the parser: the targets a reader of the console text sees, one per "target=" line. */
const targetsInText = (text: string): string[] => [...text.matchAll(/target=(.*)$/gm)].map((match) => (match[1] ?? '').trim());

describe.skipIf(!hasFixtures)('parseCmdkeyList on the recorded cmdkey /list (capture format only)', () => {
  it('finds every credential of the truncated English output, with type and user where shown', () => {
    const text = readFixture(fixtureNames.cmdkey);
    const credentials = parseCmdkeyList(text);
    expect(credentials.map((credential) => credential.target)).toEqual(targetsInText(text));
    expect(credentials[0]).toEqual({ target: 'danbttest1.danieli.it', type: 'domain-password', userName: 'cosmo\\airoldia1' });
    expect(credentials.find((credential) => credential.target.startsWith('OneDrive'))).toEqual({
      target: 'OneDrive Cached Credential Business - Business1',
      type: 'generic',
      userName: '3e47136a-2382-43d3-98e7-fa3646a91bfe',
    });
    // The last block is cut off after a bare "Type" label: listed, type unknown.
    expect(credentials.at(-1)).toEqual({ target: 'MicrosoftOffice16_Data:ADAL:3e47136a-2382-43d3-98e7-fa3646a91bfe@@@6.000000', type: 'unknown' });
  });

  it('reads the same blocks when the labels are translated (the fixture with zh-CN labels put in)', () => {
    // shared/fixtures has no zh-CN recording; the fixture's own lines with the labels Windows zh-CN prints.
    const text = readFixture(fixtureNames.cmdkey)
      .replace('Currently stored credentials:', '当前保存的凭据:')
      .replace(/Target:/g, '目标:')
      .replace(/Type: Generic/g, '类型: 普通')
      .replace(/Type: Domain Password/g, '类型: 域密码')
      .replace(/User:/g, '用户:')
      .replace(/Local machine persistence/g, '本地计算机持续时间');
    const english = parseCmdkeyList(readFixture(fixtureNames.cmdkey));
    expect(parseCmdkeyList(text)).toEqual(english);
  });

  it('finds nothing in unrelated text and never throws on junk', () => {
    expect(parseCmdkeyList('')).toEqual([]);
    expect(parseCmdkeyList('* NONE *\r\n')).toEqual([]);
    expect(parseCmdkeyList('\u0000target=\uFFFD'.repeat(500))).toEqual([]);
  });
});

describe.skipIf(!hasFixtures)('parseVnextDiagList on the recorded vNextDiag.ps1 output', () => {
  it('reads the mode per product and the user licence (masked e-mail and tenant as the poster left them)', () => {
    expect(parseVnextDiagList(readFixture(fixtureNames.vnextdiag))).toEqual({
      modes: [{ productReleaseId: 'o365proplusretail', mode: 'NUL' }],
      licenses: [
        {
          scope: 'user',
          product: 'O365ProPlusRetail',
          licenseType: 'Subscription',
          email: 'XXXXXXXXXXXXXXXX',
          tenantId: 'XXXXXXXXXXXXXXXX',
          notBefore: '2022-11-02T07:16:15.4587377Z',
          notAfter: '2023-02-01T07:16:15.4587377Z',
          licenseState: 'Licensed',
        },
      ],
    });
  });
});

describe('decodeLicenseFile', () => {
  it('decodes UTF-16 JSON whose License field is base64 JSON', () => {
    const file = licenceFile({ LicenseId: 'id-1', ProductReleaseId: 'O365BusinessRetail', LicenseType: 'Subscription', Metadata: { UserId: 'u1', TenantId: 't1', NotBefore: 'a', NotAfter: 'b' } });
    expect(decodeLicenseFile(file)).toEqual({ licenseId: 'id-1', product: 'O365BusinessRetail', licenseType: 'Subscription', userId: 'u1', tenantId: 't1', notBefore: 'a', notAfter: 'b' });
  });

  it('says what is wrong with a damaged file instead of crashing', () => {
    expect(() => decodeLicenseFile(Buffer.from('garbage'))).toThrow('not JSON');
    expect(() => decodeLicenseFile(Buffer.from('{"Version":5}'))).toThrow('no License field');
    expect(() => decodeLicenseFile(Buffer.from('{"License":"%%%"}'))).toThrow('not base64');
    expect(() => decodeLicenseFile(Buffer.from(JSON.stringify({ License: Buffer.from('not json').toString('base64') })))).toThrow('does not decode to JSON');
    expect(() => decodeLicenseFile(Buffer.alloc(5 * 1024 * 1024, 0x20))).toThrow(/larger/);
  });
});

describe('parseRegFile and formatRegFile', () => {
  // As regedit/reg export writes it: UTF-16LE with BOM, CRLF, wrapped hex lines.
  const exported = [
    'Windows Registry Editor Version 5.00',
    '',
    '[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\abc_ADAL]',
    '"EmailAddress"="ann@contoso.com"',
    '"FriendlyName"="Ann \\"the boss\\" Example"',
    '"Path"="C:\\\\Users\\\\ann"',
    '"Flags"=dword:00000102',
    '@="default"',
    '"Expand"=hex(2):25,00,41,00,50,00,50,00,44,00,41,00,54,00,41,00,25,00,00,00',
    '"Multi"=hex(7):61,00,00,00,62,00,00,00,00,00',
    '"Big"=hex(b):01,00,00,00,00,00,00,00',
    '"Blob"=hex:de,ad,\\',
    '  be,ef',
    '',
    '[-HKEY_CURRENT_USER\\Software\\Gone]',
    '',
  ].join('\r\n');

  it('reads every value type of a UTF-16 export, with escapes and continued lines', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(exported, 'utf16le')]);
    expect(parseRegFile(bytes)).toEqual([
      {
        key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\abc_ADAL',
        values: [
          { name: 'EmailAddress', type: 'REG_SZ', data: 'ann@contoso.com' },
          { name: 'FriendlyName', type: 'REG_SZ', data: 'Ann "the boss" Example' },
          { name: 'Path', type: 'REG_SZ', data: 'C:\\Users\\ann' },
          { name: 'Flags', type: 'REG_DWORD', data: '0x102' },
          { name: '', type: 'REG_SZ', data: 'default' },
          { name: 'Expand', type: 'REG_EXPAND_SZ', data: '%APPDATA%' },
          { name: 'Multi', type: 'REG_MULTI_SZ', data: 'a\\0b' },
          { name: 'Big', type: 'REG_QWORD', data: '0x1' },
          { name: 'Blob', type: 'REG_BINARY', data: 'DEADBEEF' },
        ],
      },
    ]);
  });

  it('writes what it reads back (round trip through the UTF-16 export)', () => {
    const keys: RegistryKeyDump[] = parseRegFile(exported);
    expect(parseRegFile(formatRegFile(keys))).toEqual(keys);
  });

  it('refuses a file that is not a registry export, or a damaged line, with FORMAT_INVALID', () => {
    expect(() => parseRegFile('hello')).toThrow(expect.objectContaining({ code: 'FORMAT_INVALID' }));
    expect(() => parseRegFile('REGEDIT4\r\n[HKEY_NOWHERE\\x]\r\n')).toThrow(expect.objectContaining({ code: 'FORMAT_INVALID' }));
    expect(() => parseRegFile('REGEDIT4\r\n[HKEY_CURRENT_USER\\x]\r\n"a"=hex:zz\r\n')).toThrow(expect.objectContaining({ code: 'FORMAT_INVALID', message: expect.stringContaining('line 3') }));
  });
});
