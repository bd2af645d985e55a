import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { HandoverPlan } from '../../../electron/contract/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { ensureBuilt, runCli } from '../../support/run-cli.js';
import { captureFromFixtures } from '../../unit/native/handover-pc.js';

const onWindows = process.platform === 'win32';
const dir = mkdtempSync(join(tmpdir(), 'cloudward-handover-cli-'));

describe.skipIf(!hasFixtures)('cloudward handover, as a technician runs it (skipped: ../shared/fixtures is missing)', () => {
  beforeAll(() => {
    ensureBuilt();
    captureFromFixtures(dir);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('plans from a capture folder made of the recorded outputs, on any OS', async () => {
    const text = await runCli(['handover', 'plan', '--from-capture', dir]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Uninstall the product key ending M96P2 (OSPP.VBS /unpkey:M96P2)');
    expect(text.stdout).toContain('does: cscript //nologo "C:\\Program Files\\Microsoft Office\\Office16\\OSPP.VBS" /unpkey:M96P2');
    expect(text.stdout).toContain('Delete saved credential OneDrive Cached Credential Business - Business1');
    expect(text.stdout).toContain('Close these first: WINWORD.EXE');
    expect(text.stdout).toMatch(/Confirm token: [0-9a-f]{16}/);

    const json = await runCli(['handover', 'plan', '--from-capture', dir, '--json']);
    const plan = JSON.parse(json.stdout) as HandoverPlan;
    expect(plan.inventory.source).toBe('capture');
    expect(plan.steps.filter((step) => step.kind === 'unpkey').map((step) => step.target)).toEqual(['M96P2']);
    expect(text.stdout).toContain(plan.confirmToken);
  });

  it('refuses to change anything from a capture, and needs a confirm token for a real run', async () => {
    const fromCapture = await runCli(['handover', 'run', '--from-capture', dir, '--confirm', 'x']);
    expect(fromCapture.code).toBe(2);
    expect(fromCapture.stderr).toMatch(/^cloudward: A capture is read-only/);
    const unconfirmed = await runCli(['handover', 'run']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/--confirm TOKEN/);
  });

  it.skipIf(onWindows)('says in one line that it only runs on Windows, without a capture', async () => {
    for (const args of [['handover', 'inventory'], ['handover', 'run', '--dry-run'], ['handover', 'capture', join(dir, 'new')]]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(5);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/Windows only/);
    }
  });
});
