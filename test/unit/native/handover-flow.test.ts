import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { buildPlan, createSimulatedHost, parseRegFile, resolveScope, runHandover, runText, takeInventory } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { annLicence, bob, handedOverPc, officeItemsOfAnn, ospp } from './handover-pc.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudward-handover-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const fixedNow = (): Date => new Date('2026-11-28T23:00:00Z');

async function planFor(host: ReturnType<typeof createSimulatedHost>, options: { includeCredentialStore?: boolean; user?: string } = {}) {
  const env = await host.environment();
  const scope = await resolveScope(host, env, options.user);
  const inventory = await takeInventory(host, { ...(options.user === undefined ? {} : { user: options.user }), now: fixedNow });
  return buildPlan(inventory, scope, { includeCredentialStore: options.includeCredentialStore === true, now: fixedNow });
}

if (!hasFixtures) console.warn('handover flow: skipping, shared/fixtures is missing');

describe.skipIf(!hasFixtures)('handover on a simulated PC built from the recorded Windows outputs', () => {
  it('inventory finds every install, key, identity, licence, credential and folder', async () => {
    const host = createSimulatedHost(handedOverPc());
    const inventory = await takeInventory(host, { now: fixedNow });
    expect(inventory.installs).toEqual([
      {
        kind: 'click-to-run',
        version: '16.0',
        bitness: '64',
        installPath: 'C:\\Program Files\\Microsoft Office',
        osppPath: ospp,
        productReleaseIds: ['O365ProPlusRetail'],
        displayVersion: '16.0.15726.20202',
      },
    ]);
    expect(inventory.productKeys.map((key) => key.lastFive)).toEqual(['M96P2', 'GCVGB', 'WQQTV']);
    expect(inventory.licensing).toEqual({ mode: 'vnext', perProduct: [{ productReleaseId: 'o365homepremretail', mode: 'vnext', hive: 'HKCU' }], sharedComputerActivation: false });
    expect(inventory.identities.map((identity) => [identity.officeVersion, identity.email])).toEqual([
      ['15.0', 'ann.home@outlook.com'],
      ['16.0', 'ann@contoso.com'],
    ]);
    expect(inventory.vnextLicenses).toEqual([
      { file: 'C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses\\5\\a1b2c3d4-0000-4000-8000-000000000001', scope: 'user', licenseId: annLicence.LicenseId, product: 'O365ProPlusRetail', licenseType: 'Subscription', userId: annLicence.Metadata.UserId, tenantId: annLicence.Metadata.TenantId, notBefore: annLicence.Metadata.NotBefore, notAfter: annLicence.Metadata.NotAfter, email: 'ann@contoso.com' },
      { file: 'C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses\\5\\broken-licence', scope: 'user', unreadable: 'not JSON' },
    ]);
    // The fixture's MicrosoftOffice16 ADAL entries and the OneDrive one, plus msteams; not the domain password or virtualapp.
    expect(inventory.credentials.map((credential) => credential.target).sort()).toEqual(officeItemsOfAnn().filter((line) => line.startsWith('credential ')).map((line) => line.replace(/^credential \S+ /, '')).sort());
    expect(inventory.credentials.some((credential) => credential.target.startsWith('OneDrive Cached Credential Business'))).toBe(true);
    expect(inventory.folders.map((folder) => folder.path)).toEqual(['C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing', 'C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses']);
    expect(inventory.credentialStore.map((folder) => folder.path)).toEqual(['C:\\Users\\ann\\AppData\\Roaming\\Microsoft\\Credentials', 'C:\\Users\\ann\\AppData\\Roaming\\Microsoft\\Protect']);
    expect(inventory.otherProfiles).toEqual([{ sid: bob.sid, profilePath: '%SystemDrive%\\Users\\bob', loaded: true }]);
    expect(inventory.registry.map((entry) => `${entry.key}${entry.valueName === undefined ? '' : ` [${entry.valueName}]`}`)).toEqual([
      'HKCU\\Software\\Microsoft\\Office\\15.0\\Common\\Identity',
      'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Identity',
      'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\Licensing',
      'HKCU\\Software\\Microsoft\\Office\\16.0\\Common\\ServicesManagerCache',
      'HKCU\\Software\\Microsoft\\Office\\16.0\\Registration',
      'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration [O365ProPlusRetail.EmailAddress]',
      'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration [O365ProPlusRetail.TenantId]',
    ]);
  });

  it('backup then run removes exactly the planned items and nothing else, and verify shows clean', async () => {
    const host = createSimulatedHost(handedOverPc());
    const before = host.snapshot();
    const plan = await planFor(host);
    const backupRoot = tempDir();
    const result = await runHandover(host, { confirmToken: plan.confirmToken, dryRun: false, backupRoot, now: fixedNow });
    const after = host.snapshot();
    const removed = before.filter((line) => !after.includes(line));
    expect(after.filter((line) => !before.includes(line))).toEqual([]);
    expect(removed).toEqual(officeItemsOfAnn());
    expect(result.results.map((step) => step.status)).toEqual(plan.steps.map(() => 'done'));
    // The commands the run made are the ones the plan showed.
    const unpkeys = host.commands.filter((command) => command.some((arg) => arg.startsWith('/unpkey')));
    expect(unpkeys.map((command) => command.map((arg) => (arg.includes(' ') ? `"${arg}"` : arg)).join(' '))).toEqual(plan.steps.filter((step) => step.kind === 'unpkey').map((step) => step.command));
    expect(plan.steps.find((step) => step.kind === 'delete-registry-value')?.command).toBe('reg.exe delete HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration /v O365ProPlusRetail.EmailAddress /f /reg:64');
    expect(result.clean).toBe(true);
    expect(result.remaining).toEqual([]);
    expect(result.after.identities).toEqual([]);
    expect(result.after.productKeys).toEqual([]);

    // The backup holds every removed key as a .reg export that reads back, each folder's files, and credential names only.
    const backupDir = result.backupDir!;
    const regFiles = readdirSync(join(backupDir, 'registry'));
    const exported = regFiles.flatMap((file) => parseRegFile(readFileSync(join(backupDir, 'registry', file))));
    for (const line of removed.filter((entry) => entry.startsWith('key '))) expect(exported.map((dump) => `key ${dump.key}`)).toContain(line);
    expect(readFileSync(join(backupDir, 'folders', readdirSync(join(backupDir, 'folders')).find((name) => name.includes('Licenses'))!, '5', annLicence.LicenseId)).length).toBeGreaterThan(0);
    const names = readFileSync(join(backupDir, 'credentials.txt'), 'utf8');
    expect(names).toContain('OneDrive Cached Credential Business - Business1');
    expect(names).not.toMatch(/password|secret/i);
  });

  it('a dry run changes nothing and says what a real run would do, step by step', async () => {
    const host = createSimulatedHost(handedOverPc());
    const before = host.snapshot();
    const plan = await planFor(host);
    const result = await runHandover(host, { confirmToken: plan.confirmToken, dryRun: true, now: fixedNow });
    expect(host.snapshot()).toEqual(before);
    expect(result.results.map((step) => [step.kind, step.target, step.status])).toEqual(plan.steps.map((step) => [step.kind, step.target, 'would-do']));
    expect(result.clean).toBe(false);
    expect(result.remaining).toHaveLength(plan.steps.length);
    expect(host.commands.some((command) => command.some((arg) => arg.startsWith('/unpkey')))).toBe(false);
  });

  it('refuses to run while Office is open, naming the programs, and removes nothing', async () => {
    const host = createSimulatedHost(handedOverPc({ processes: [{ name: 'OUTLOOK.EXE', pid: 5120 }, { name: 'explorer.exe', pid: 1 }] }));
    const before = host.snapshot();
    const plan = await planFor(host);
    expect(plan.warnings.join(' ')).toContain('OUTLOOK.EXE');
    await expect(runHandover(host, { confirmToken: plan.confirmToken, dryRun: false, backupRoot: tempDir() })).rejects.toMatchObject({ code: 'OFFICE_RUNNING', message: expect.stringContaining('OUTLOOK.EXE (pid 5120)') });
    expect(host.snapshot()).toEqual(before);
  });

  it('refuses a backup folder inside a folder the handover deletes', async () => {
    const host = createSimulatedHost(handedOverPc());
    const before = host.snapshot();
    const plan = await planFor(host);
    await expect(runHandover(host, { confirmToken: plan.confirmToken, dryRun: false, backupRoot: 'C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses\\backup' })).rejects.toMatchObject({ code: 'BAD_ARGUMENTS' });
    expect(host.snapshot()).toEqual(before);
  });

  it('refuses a confirm token from another plan (the PC changed) before touching anything', async () => {
    const host = createSimulatedHost(handedOverPc());
    const before = host.snapshot();
    await expect(runHandover(host, { confirmToken: '0123456789abcdef', dryRun: false, backupRoot: tempDir() })).rejects.toMatchObject({ code: 'PLAN_CHANGED' });
    expect(host.snapshot()).toEqual(before);
  });

  it('without administrator rights: user items go, machine items fail with ELEVATION_REQUIRED and stay', async () => {
    const host = createSimulatedHost(handedOverPc({ isAdmin: false }));
    const plan = await planFor(host);
    expect(plan.warnings.join(' ')).toMatch(/need an administrator/);
    const result = await runHandover(host, { confirmToken: plan.confirmToken, dryRun: false, backupRoot: tempDir(), now: fixedNow });
    const failed = result.results.filter((step) => step.status === 'failed');
    expect(failed.map((step) => [step.kind, step.error?.code])).toEqual([
      ['unpkey', 'ELEVATION_REQUIRED'],
      ['unpkey', 'ELEVATION_REQUIRED'],
      ['unpkey', 'ELEVATION_REQUIRED'],
      ['delete-registry-value', 'ELEVATION_REQUIRED'],
      ['delete-registry-value', 'ELEVATION_REQUIRED'],
    ]);
    expect(result.after.productKeys.map((key) => key.lastFive)).toEqual(['M96P2', 'GCVGB', 'WQQTV']);
    expect(result.after.identities).toEqual([]);
    expect(result.clean).toBe(false);
    expect(result.remaining).toHaveLength(5);
    expect(runText(result)).toContain('5 step(s) need an administrator: open an elevated prompt');
  });

  it('the whole credential store goes only behind the switch, with a warning', async () => {
    const host = createSimulatedHost(handedOverPc());
    const plain = await planFor(host);
    expect(plain.steps.some((step) => step.credentialStore === true)).toBe(false);
    const withStore = await planFor(host, { includeCredentialStore: true });
    expect(withStore.steps.filter((step) => step.credentialStore === true).map((step) => step.target)).toEqual([
      'C:\\Users\\ann\\AppData\\Roaming\\Microsoft\\Credentials',
      'C:\\Users\\ann\\AppData\\Roaming\\Microsoft\\Protect',
    ]);
    expect(withStore.warnings.join(' ')).toMatch(/EVERY saved password/);
    expect(withStore.confirmToken).not.toBe(plain.confirmToken);
  });

  it("another profile (--user SID): its loaded hive and its folders, not the signed-in user's", async () => {
    const host = createSimulatedHost(handedOverPc());
    const before = host.snapshot();
    const plan = await planFor(host, { user: bob.sid });
    expect(plan.steps.map((step) => [step.kind, step.target, step.needsElevation])).toEqual([
      ['unpkey', 'M96P2', true],
      ['unpkey', 'GCVGB', true],
      ['unpkey', 'WQQTV', true],
      ['delete-registry-key', `HKU\\${bob.sid}\\Software\\Microsoft\\Office\\16.0\\Common\\Identity`, true],
      ['delete-registry-value', 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration', true],
      ['delete-registry-value', 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration', true],
      ['delete-folder', 'C:\\Users\\bob\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing', true],
    ]);
    const result = await runHandover(host, { user: bob.sid, confirmToken: plan.confirmToken, dryRun: false, backupRoot: tempDir(), now: fixedNow });
    expect(result.clean).toBe(true);
    const removed = before.filter((line) => !host.snapshot().includes(line));
    expect(removed.filter((line) => line.includes('\\ann') || line.startsWith('credential') || line.includes('HKCU\\'))).toEqual([]);
    expect(removed.some((line) => line.includes('bob@contoso.com'))).toBe(true);
  });
});
