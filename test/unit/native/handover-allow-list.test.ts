import { describe, expect, it } from 'vitest';

import { assertAllowed, buildPlan, createSimulatedHost, resolveScope, takeInventory, type HandoverScope } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { handedOverPc } from './handover-pc.js';

const scope: HandoverScope = {
  hive: 'HKCU',
  otherUser: false,
  localAppData: 'C:\\Users\\x\\AppData\\Local',
  appData: 'C:\\Users\\x\\AppData\\Roaming',
  programData: 'C:\\ProgramData',
};
const outside = expect.objectContaining({ code: 'OUTSIDE_ALLOW_LIST' });
const folder = (target: string, credentialStore?: boolean) => ({ kind: 'delete-folder' as const, target, ...(credentialStore === undefined ? {} : { credentialStore }) });

describe('the handover allow-list', () => {
  it('takes the locations of Microsoft’s own clean-up', () => {
    for (const step of [
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity' },
      { kind: 'delete-registry-key' as const, target: 'HKEY_CURRENT_USER\\SOFTWARE\\microsoft\\office\\15.0\\common\\licensing\\LicensingNext' },
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Registration' },
      { kind: 'delete-registry-value' as const, target: 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration', valueName: 'O365ProPlusRetail.EmailAddress' },
      { kind: 'delete-credential' as const, target: 'MicrosoftOffice16_Data:ADAL:3e47136a' },
      { kind: 'delete-credential' as const, target: 'OneDrive Cached Credential Business - Business1' },
      folder('C:\\Users\\x\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing'),
      folder('c:\\users\\x\\appdata\\local\\microsoft\\office\\licenses\\5'),
      folder('C:\\ProgramData\\Microsoft\\Office\\Licenses'),
      folder('C:\\Users\\x\\AppData\\Roaming\\Microsoft\\Protect', true),
      { kind: 'unpkey' as const, target: 'M96P2', osppPath: 'C:\\Program Files (x86)\\Microsoft Office\\Office15\\OSPP.VBS' },
    ]) {
      expect(() => assertAllowed(step, scope), `${step.kind} ${step.target}`).not.toThrow();
    }
  });

  it('refuses anything else with OUTSIDE_ALLOW_LIST', () => {
    for (const step of [
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Windows' },
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Office' },
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common' },
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\IdentityX' },
      { kind: 'delete-registry-key' as const, target: 'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity\\..\\..\\..\\..\\Windows' },
      { kind: 'delete-registry-key' as const, target: 'HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Common\\Identity' },
      { kind: 'delete-registry-key' as const, target: 'HKU\\S-1-5-21-1-2-3-1002\\Software\\Microsoft\\Office\\16.0\\Common\\Identity' },
      { kind: 'delete-registry-key' as const, target: 'Software\\Microsoft\\Office\\16.0\\Common\\Identity' },
      { kind: 'delete-registry-value' as const, target: 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration', valueName: 'CDNBaseUrl' },
      { kind: 'delete-registry-value' as const, target: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run', valueName: 'x.EmailAddress' },
      { kind: 'delete-credential' as const, target: 'Domain:target=fileserver' },
      { kind: 'delete-credential' as const, target: 'virtualapp/didlogical' },
      folder('C:\\Users\\x\\Documents'),
      folder('C:\\Users\\x\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing\\..\\..\\..\\..\\..\\Documents'),
      folder('C:\\Users\\x\\AppData\\Local\\Microsoft\\Office\\LicensesBackup'),
      folder('C:\\Users\\x\\AppData\\Local\\Microsoft\\Office'),
      folder('\\\\server\\share\\Microsoft\\Office\\Licenses'),
      folder('Microsoft\\Office\\Licenses'),
      folder('C:\\Users\\x\\AppData\\Roaming\\Microsoft\\Credentials'),
      folder('C:\\Users\\x\\AppData\\Roaming\\Microsoft\\Credentials', false),
      folder('C:\\Users\\y\\AppData\\Local\\Microsoft\\Office\\Licenses'),
      { kind: 'unpkey' as const, target: 'M96P2', osppPath: 'C:\\Temp\\OSPP.VBS' },
      { kind: 'unpkey' as const, target: 'M96P2 /dstatus', osppPath: 'C:\\Program Files\\Microsoft Office\\Office16\\OSPP.VBS' },
      { kind: 'unpkey' as const, target: 'M96P2' },
    ]) {
      expect(() => assertAllowed(step, scope), `${step.kind} ${step.target}`).toThrow(outside);
    }
  });

  it('never lets a credential into another user’s plan (the vault is per user)', () => {
    expect(() => assertAllowed({ kind: 'delete-credential', target: 'MicrosoftOffice16_Data:ADAL:x' }, { ...scope, hive: 'HKU\\S-1-5-21-1-2-3-1002', otherUser: true })).toThrow(outside);
  });

  it.skipIf(!hasFixtures)('a plan cannot be built once a location outside the list is sneaked into the inventory', async () => {
    const host = createSimulatedHost(handedOverPc());
    const env = await host.environment();
    const planScope = await resolveScope(host, env);
    const inventory = await takeInventory(host);
    expect(() => buildPlan(inventory, planScope)).not.toThrow();
    expect(() => buildPlan({ ...inventory, registry: [...inventory.registry, { key: 'HKCU\\Software\\Microsoft\\Windows', purpose: 'sneaked in' }] }, planScope)).toThrow(outside);
    expect(() => buildPlan({ ...inventory, folders: [...inventory.folders, { path: 'C:\\Users\\ann\\Documents', files: 1, bytes: 2, purpose: 'sneaked in' }] }, planScope)).toThrow(outside);
    expect(() => buildPlan({ ...inventory, credentials: [...inventory.credentials, { target: 'Domain:target=danbttest1.danieli.it', type: 'domain-password' }] }, planScope)).toThrow(outside);
  });
});
