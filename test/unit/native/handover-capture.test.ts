import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { buildPlan, createSimulatedHost, openCapture, resolveScope, takeInventory, writeCapture } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { ann, captureFromFixtures, handedOverPc, ospp } from './handover-pc.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudward-capture-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasFixtures)('inventory and plan from a capture folder, on any OS', () => {
  it('reads a capture assembled from the recorded outputs', async () => {
    const dir = tempDir();
    captureFromFixtures(dir);
    const host = await openCapture(dir);
    const inventory = await takeInventory(host);
    expect(inventory.source).toBe('capture');
    expect(inventory.productKeys).toEqual([{ lastFive: 'M96P2', licenseName: 'Office 16, Office16O365ProPlusR_ Subscription1 edition', status: 'OOB_GRACE', skuId: '149dbce7-a48e-44db-8364-a53386cd4580', osppPath: ospp }]);
    expect(inventory.installs.map((install) => [install.kind, install.bitness, install.osppPath])).toEqual([['click-to-run', '32', ospp]]);
    expect(inventory.licensing.mode).toBe('vnext');
    expect(inventory.identities.map((identity) => identity.email)).toEqual(['user@example.com']);
    expect(inventory.vnextLicenses).toEqual([
      { file: '(vnextdiag-list.txt)', scope: 'user', product: 'O365ProPlusRetail', licenseType: 'Subscription', email: 'XXXXXXXXXXXXXXXX', tenantId: 'XXXXXXXXXXXXXXXX', notBefore: '2022-11-02T07:16:15.4587377Z', notAfter: '2023-02-01T07:16:15.4587377Z' },
    ]);
    expect(inventory.credentials.map((credential) => credential.target)).toContain('OneDrive Cached Credential Business - Business1');
    expect(inventory.credentials.some((credential) => credential.target.includes('danieli'))).toBe(false);
    expect(inventory.folders.map((folder) => [folder.path, folder.files, folder.bytes])).toEqual([
      ['C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\16.0\\Licensing', 1, 5],
      ['C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses', 1, 1200],
    ]);
    expect(inventory.runningOfficeApps).toEqual([{ name: 'WINWORD.EXE', pid: 777 }]);
    const plan = buildPlan(inventory, await resolveScope(host, await host.environment()));
    expect(plan.steps.map((step) => step.kind)).toEqual(['unpkey', 'delete-registry-key', 'delete-registry-key', ...inventory.credentials.map(() => 'delete-credential'), 'delete-folder', 'delete-folder']);
    // A capture is read-only.
    await expect(host.deleteFolder('C:\\Users\\ann\\AppData\\Local\\Microsoft\\Office\\Licenses')).rejects.toMatchObject({ code: 'WINDOWS_ONLY' });
  });

  it('a capture written from a PC gives the same inventory and plan as the PC itself', async () => {
    const pc = createSimulatedHost(handedOverPc());
    const dir = tempDir();
    const written = await writeCapture(pc, dir);
    expect(written).toEqual(expect.arrayContaining(['capture.json', 'ospp-dstatus.txt', 'credentials.json', 'folder-listing.txt', 'vnext-licenses.json']));
    const now = () => new Date('2026-11-28T23:00:00Z');
    const live = await takeInventory(pc, { now });
    const captured = await takeInventory(await openCapture(dir), { now });
    expect({ ...captured, source: 'simulated' }).toEqual(live);
    const scope = await resolveScope(pc, await pc.environment());
    expect(buildPlan(captured, scope, { now }).confirmToken).toBe(buildPlan(live, scope, { now }).confirmToken);
    expect(ann.sid).toBe(live.user.sid);
  });

  it('says clearly when a folder is not a capture, or a capture file is damaged', async () => {
    await expect(openCapture(tempDir())).rejects.toMatchObject({ code: 'BAD_ARGUMENTS', message: expect.stringContaining('capture.json') });
    const dir = tempDir();
    captureFromFixtures(dir);
    writeFileSync(join(dir, 'registry', 'broken.reg'), 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\x]\r\n"a"=hex:zz\r\n');
    await expect(openCapture(dir)).rejects.toMatchObject({ code: 'FORMAT_INVALID', message: expect.stringContaining('broken.reg') });
    const other = tempDir();
    writeFileSync(join(other, 'capture.json'), '{"version": 7}');
    await expect(openCapture(other)).rejects.toMatchObject({ code: 'FORMAT_INVALID' });
  });
});
