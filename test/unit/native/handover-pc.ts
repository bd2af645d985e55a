import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { formatRegFile, parseCmdkeyList, parseRegQuery, type CaptureManifest, type SimulatedWindowsState } from '../../../native/index.js';
import { fixturesDir } from '../../support/fixtures.js';

/**
 * A handed-over PC for the simulated Windows host, built from the recorded outputs in
 * shared/fixtures/windows plus decoys that a handover must never touch. `office` lists, independently
 * of Cloudward's code, every item Microsoft's clean-up removes on this PC, one snapshot line each.
 */
export const windowsFixtures = join(fixturesDir, 'windows');
export const readFixture = (name: string): string => readFileSync(join(windowsFixtures, name), 'latin1');

export const fixtureNames = {
  dstatus: 'ospp_dstatus_o365proplus_oob_grace__MAS-issue269.txt',
  act: 'ospp_act_office2024_kms_multi_product__py-kms-issue126_TRUNCATED.txt',
  cmdkey: 'cmdkey_list_office16_adal_onedrive__AdysTech-CredentialManager-issue56_TRUNCATED.txt',
  licensingNext: 'reg_query_LicensingNext_value_line__KMS_VL_ALL_AIO-issue15_FRAGMENT.txt',
  vnextdiag: 'vnextdiag_list_o365proplus_user_subscription__DeployOffice-issue946.txt',
} as const;

export const ann = { name: 'ann', sid: 'S-1-5-21-1004336348-1177238915-682003330-1001' };
export const bob = { name: 'bob', sid: 'S-1-5-21-1004336348-1177238915-682003330-1002' };
export const ospp = 'C:\\Program Files\\Microsoft Office\\Office16\\OSPP.VBS';
const annLocal = 'C:\\Users\\ann\\AppData\\Local';
const annRoaming = 'C:\\Users\\ann\\AppData\\Roaming';
const identityId = '3e47136a-2382-43d3-98e7-fa3646a91bfe';

/** A vNext licence file as Office writes it: UTF-16LE JSON whose License is base64 JSON (field values from the vnextdiag fixture). */
export function licenceFile(licence: Record<string, unknown>): Buffer {
  const inner = Buffer.from(JSON.stringify(licence)).toString('base64');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ Version: 5, License: inner }), 'utf16le')]);
}

export const annLicence = {
  LicenseId: 'a1b2c3d4-0000-4000-8000-000000000001',
  ProductReleaseId: 'O365ProPlusRetail',
  LicenseType: 'Subscription',
  Status: 'Provisioned',
  Metadata: { UserId: identityId, TenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a', NotBefore: '2022-11-02T07:16:15.4587377Z', NotAfter: '2023-02-01T07:16:15.4587377Z' },
};

export function handedOverPc(options: { isAdmin?: boolean; processes?: SimulatedWindowsState['processes'] } = {}): SimulatedWindowsState {
  const licensingNext = parseRegQuery(readFixture(fixtureNames.licensingNext));
  const credentials = parseCmdkeyList(readFixture(fixtureNames.cmdkey));
  return {
    environment: {
      computerName: 'FRONTDESK-01',
      userName: ann.name,
      userSid: ann.sid,
      isAdmin: options.isAdmin ?? true,
      localAppData: annLocal,
      appData: annRoaming,
      programData: 'C:\\ProgramData',
      programFiles: 'C:\\Program Files',
      programFilesX86: 'C:\\Program Files (x86)',
    },
    registry: [
      {
        key: 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration',
        values: [
          { name: 'Platform', type: 'REG_SZ', data: 'x64' },
          { name: 'ProductReleaseIds', type: 'REG_SZ', data: 'O365ProPlusRetail' },
          { name: 'VersionToReport', type: 'REG_SZ', data: '16.0.15726.20202' },
          { name: 'InstallationPath', type: 'REG_SZ', data: 'C:\\Program Files\\Microsoft Office' },
          { name: 'CDNBaseUrl', type: 'REG_SZ', data: 'http://officecdn.microsoft.com/pr/492350f6-3a01-4f97-b9c0-c7c6ddf67d60' },
          { name: 'O365ProPlusRetail.EmailAddress', type: 'REG_SZ', data: 'ann@contoso.com' },
          { name: 'O365ProPlusRetail.TenantId', type: 'REG_SZ', data: annLicence.Metadata.TenantId },
        ],
      },
      { key: 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun', values: [{ name: 'InstallPath', type: 'REG_SZ', data: 'C:\\Program Files\\Microsoft Office' }] },
      { key: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\' + ann.sid, values: [{ name: 'ProfileImagePath', type: 'REG_EXPAND_SZ', data: 'C:\\Users\\ann' }] },
      { key: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\' + bob.sid, values: [{ name: 'ProfileImagePath', type: 'REG_EXPAND_SZ', data: '%SystemDrive%\\Users\\bob' }] },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Licensing\\LicensingNext', values: licensingNext },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Licensing', values: [{ name: 'NextUserLicensingLicenseIds', type: 'REG_MULTI_SZ', data: annLicence.LicenseId }] },
      {
        key: `HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\${identityId}_ADAL`,
        values: [
          { name: 'EmailAddress', type: 'REG_SZ', data: 'ann@contoso.com' },
          { name: 'FriendlyName', type: 'REG_SZ', data: 'Ann Example' },
          { name: 'FederationProvider', type: 'REG_SZ', data: 'login.windows.net' },
        ],
      },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity', values: [{ name: 'Version', type: 'REG_DWORD', data: '0x1' }] },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\ServicesManagerCache\\Identities\\' + identityId, values: [{ name: 'LastUpdated', type: 'REG_QWORD', data: '0x1d8ef3c' }] },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Registration\\{00000000-0000-0000-0000-000000000000}', values: [{ name: 'ProductName', type: 'REG_SZ', data: 'Microsoft 365 Apps for enterprise' }] },
      { key: 'HKCU\\Software\\Microsoft\\Office\\15.0\\Common\\Identity\\Identities\\old_LiveId', values: [{ name: 'EmailAddress', type: 'REG_SZ', data: 'ann.home@outlook.com' }] },
      // Bob's hive is loaded (he signed in once, shared computer activation style): his identity is his own business.
      { key: `HKU\\${bob.sid}\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\bobid_ADAL`, values: [{ name: 'EmailAddress', type: 'REG_SZ', data: 'bob@contoso.com' }] },
      // Decoys: near the allow-listed keys, never to be touched.
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\General', values: [{ name: 'ShownFirstRunOptin', type: 'REG_DWORD', data: '0x1' }] },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook', values: [{ name: 'Default', type: 'REG_SZ', data: '' }] },
      { key: 'HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer', values: [{ name: 'ShellState', type: 'REG_BINARY', data: '240000003E28000000000000' }] },
    ],
    credentials: [...credentials, { target: 'virtualapp/didlogical', type: 'generic', userName: '02yvmbwdnwsnnkpi' }, { target: 'msteams_adalsso/adal_context_0', type: 'generic' }],
    files: {
      [ospp]: "' OSPP.VBS\r\n",
      [`${annLocal}\\Microsoft\\Office\\16.0\\Licensing\\6ad6ad2b-authString-0`]: 'token',
      [`${annLocal}\\Microsoft\\Office\\Licenses\\5\\${annLicence.LicenseId}`]: licenceFile(annLicence),
      [`${annLocal}\\Microsoft\\Office\\Licenses\\5\\broken-licence`]: Buffer.from('not json at all'),
      [`${annRoaming}\\Microsoft\\Credentials\\DFBE70A7E5CC19A398EBF1B96859CE5D`]: Buffer.from([1, 0, 0, 0, 0xd0, 0x8c]),
      [`${annRoaming}\\Microsoft\\Protect\\${ann.sid}\\Preferred`]: Buffer.alloc(24),
      // Decoys.
      [`${annLocal}\\Microsoft\\Office\\16.0\\OfficeFileCache\\FSD-{A}.FSD`]: 'cache',
      [`${annLocal}\\Microsoft\\Office\\LicensesBackup\\keep.txt`]: 'not a licence folder',
      ['C:\\Users\\ann\\Documents\\Quote for the roof.docx']: 'PK',
      ['C:\\Users\\bob\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing\\bob-authString']: 'bob token',
    },
    processes: options.processes ?? [
      { name: 'explorer.exe', pid: 4120 },
      { name: 'OfficeClickToRun.exe', pid: 3012 },
    ],
    ospp: { [ospp]: `${readFixture(fixtureNames.dstatus)}\r\n${readFixture(fixtureNames.act)}` },
  };
}

/** Every snapshot line Microsoft's clean-up removes from `handedOverPc()` for Ann (without the credential store). */
export function officeItemsOfAnn(): string[] {
  const pc = handedOverPc();
  const lines: string[] = [];
  const userKeys = /^HKCU\\Software\\Microsoft\\Office\\1[56]\.0\\(Common\\Identity|Common\\Licensing|Common\\ServicesManagerCache|Registration)(\\|$)/;
  for (const dump of pc.registry) {
    if (userKeys.test(dump.key)) {
      lines.push(`key ${dump.key}`);
      for (const value of dump.values) lines.push(`value ${dump.key} [${value.name}] ${value.type} ${value.data}`);
    } else {
      for (const value of dump.values) if (/\.(EmailAddress|TenantId)$/.test(value.name)) lines.push(`value ${dump.key} [${value.name}] ${value.type} ${value.data}`);
    }
  }
  for (const credential of pc.credentials) if (/^(MicrosoftOffice1\d|msteams|Microsoft_OC|OneDrive)/i.test(credential.target)) lines.push(`credential ${credential.type} ${credential.target}`);
  for (const [path, content] of Object.entries(pc.files)) {
    if (/\\AppData\\Local\\Microsoft\\Office\\(16\.0\\Licensing|Licenses)\\/.test(path) && path.startsWith(annLocal)) lines.push(`file ${path} ${typeof content === 'string' ? Buffer.byteLength(content) : Buffer.isBuffer(content) ? content.length : content.size}`);
  }
  const keyLines = `${readFixture(fixtureNames.dstatus)}\n${readFixture(fixtureNames.act)}`.match(/Last 5 characters of installed product key:\s*\w{5}/g) ?? [];
  for (const line of keyLines) lines.push(`product-key ${ospp.toLowerCase()} ${line.slice(-5)}`);
  return lines.sort();
}

/** A capture folder as a technician would bring back, its raw files the recorded fixtures themselves. */
export function captureFromFixtures(dir: string): void {
  const manifest: CaptureManifest = {
    version: 1,
    takenAt: '2026-11-28T20:00:00.000Z',
    environment: handedOverPc().environment,
    osppPaths: [ospp],
    processes: [{ name: 'WINWORD.EXE', pid: 777 }],
  };
  writeFileSync(join(dir, 'capture.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'ospp-dstatus.txt'), readFixture(fixtureNames.dstatus), 'latin1');
  writeFileSync(join(dir, 'cmdkey-list.txt'), readFixture(fixtureNames.cmdkey), 'latin1');
  writeFileSync(join(dir, 'vnextdiag-list.txt'), readFixture(fixtureNames.vnextdiag), 'latin1');
  mkdirSync(join(dir, 'registry'));
  writeFileSync(
    join(dir, 'registry', 'HKEY_CURRENT_USER_Software_Microsoft_Office.reg'),
    formatRegFile([
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Licensing\\LicensingNext', values: parseRegQuery(readFixture(fixtureNames.licensingNext)) },
      { key: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\Identities\\3e47136a-2382-43d3-98e7-fa3646a91bfe_ADAL', values: [{ name: 'EmailAddress', type: 'REG_SZ', data: 'user@example.com' }] },
    ]),
  );
  writeFileSync(
    join(dir, 'registry', 'HKEY_LOCAL_MACHINE_SOFTWARE_Microsoft_Office.reg'),
    formatRegFile([
      {
        key: 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration',
        values: [
          { name: 'Platform', type: 'REG_SZ', data: 'x86' },
          { name: 'ProductReleaseIds', type: 'REG_SZ', data: 'O365ProPlusRetail' },
          { name: 'InstallationPath', type: 'REG_SZ', data: 'C:\\Program Files\\Microsoft Office' },
        ],
      },
    ]),
  );
  writeFileSync(join(dir, 'folder-listing.txt'), '5\tC:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing\\x-authString-0\r\n1200\tC:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses\\5\\lic\r\n');
}

