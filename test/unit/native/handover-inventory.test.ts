import { describe, expect, it } from 'vitest';

import { buildPlan, createSimulatedHost, resolveScope, runHandover, takeInventory, type SimulatedWindowsState } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { fixtureNames, handedOverPc, readFixture } from './handover-pc.js';

const ospp15 = 'C:\\Program Files (x86)\\Microsoft Office\\Office15\\OSPP.VBS';

/** Office 2013 Standard (MSI, volume licensed by KMS) 32-bit on 64-bit Windows, as in the vlmcsd fixture. */
function office2013Pc(): SimulatedWindowsState {
  const pc = handedOverPc();
  return {
    ...pc,
    registry: [
      ...pc.registry.filter((dump) => !dump.key.includes('ClickToRun') && !dump.key.includes('16.0')),
      { key: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Office\\15.0\\Common\\InstallRoot', values: [{ name: 'Path', type: 'REG_SZ', data: 'C:\\Program Files (x86)\\Microsoft Office\\Office15\\' }] },
    ],
    files: { ...Object.fromEntries(Object.entries(pc.files).filter(([path]) => !path.endsWith('OSPP.VBS'))), [ospp15]: "' OSPP.VBS\r\n" },
    ospp: { [ospp15]: `${readFixture(fixtureNames.act)}` },
  };
}

describe.skipIf(!hasFixtures)('handover inventory on other kinds of PC', () => {
  it('MSI Office 2013, 32-bit on 64-bit Windows: OSPP.VBS in Office15 under Program Files (x86), its keys', async () => {
    const host = createSimulatedHost(office2013Pc());
    const inventory = await takeInventory(host);
    expect(inventory.installs).toEqual([{ kind: 'msi', version: '15.0', bitness: '32', installPath: 'C:\\Program Files (x86)\\Microsoft Office\\Office15', osppPath: ospp15, productReleaseIds: [] }]);
    expect(inventory.productKeys.map((key) => [key.lastFive, key.osppPath])).toEqual([
      ['GCVGB', ospp15],
      ['WQQTV', ospp15],
    ]);
    expect(inventory.licensing.mode).toBe('unknown');
    expect(inventory.identities.map((identity) => identity.email)).toEqual(['ann.home@outlook.com']);
  });

  it('shared computer activation is reported, with its per-user token folder in the plan', async () => {
    const pc = handedOverPc();
    pc.registry = pc.registry.map((dump) => (dump.key.endsWith('ClickToRun\\Configuration') ? { ...dump, values: [...dump.values, { name: 'SharedComputerLicensing', type: 'REG_SZ', data: '1' }] } : dump));
    const host = createSimulatedHost(pc);
    const inventory = await takeInventory(host);
    expect(inventory.licensing.sharedComputerActivation).toBe(true);
    expect(inventory.warnings.join(' ')).toMatch(/Shared computer activation is on/);
    const plan = buildPlan(inventory, await resolveScope(host, await host.environment()));
    expect(plan.steps.some((step) => step.kind === 'delete-folder' && step.target.endsWith('\\16.0\\Licensing'))).toBe(true);
    // The machine-wide SharedComputerLicensing setting is not the user's: it stays.
    expect(plan.steps.some((step) => step.valueName === 'SharedComputerLicensing')).toBe(false);
  });

  it('a part that cannot be read is a warning, and the run is then not called clean', async () => {
    const pc = handedOverPc();
    const host = createSimulatedHost(pc);
    const failing = {
      ...host,
      runCommand: () => Promise.reject(Object.assign(new Error('cscript did not finish within 120 s and was stopped'), { code: 'COMMAND_FAILED' })),
      listCredentials: () => Promise.reject(new Error('PowerShell failed (exit 1): running scripts is disabled on this system')),
    };
    const inventory = await takeInventory(failing);
    expect(inventory.productKeys).toEqual([]);
    expect(inventory.warnings.filter((warning) => warning.startsWith('Could not'))).toEqual([
      `Could not read product keys: OSPP.VBS /dstatus at ${'C:\\Program Files\\Microsoft Office\\Office16\\OSPP.VBS'}: cscript did not finish within 120 s and was stopped`,
      'Could not read Credential Manager: PowerShell failed (exit 1): running scripts is disabled on this system',
    ]);
    const plan = buildPlan(inventory, await resolveScope(failing, await failing.environment()));
    const result = await runHandover(failing, { confirmToken: plan.confirmToken, dryRun: true });
    expect(result.clean).toBe(false);
  });

  it('an oversized file in the licence folder is reported, not read', async () => {
    const pc = handedOverPc();
    pc.files['C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses\\5\\huge'] = { size: 3 * 1024 * 1024 * 1024 };
    const host = createSimulatedHost(pc);
    let reads = 0;
    const counting = { ...host, readFile: (path: string) => (reads++, host.readFile(path)) };
    const inventory = await takeInventory(counting);
    expect(inventory.vnextLicenses.find((licence) => licence.file.endsWith('huge'))).toMatchObject({ unreadable: expect.stringContaining('larger than any licence file') });
    expect(reads).toBe(2);
  });
});
