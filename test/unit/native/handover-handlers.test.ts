import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { parseEvent, parseRequest, parseResponse, type HandoverStepEvent } from '../../../electron/contract/index.js';
import { createHandoverHandlers, createSimulatedHost, openCapture } from '../../../native/index.js';
import { hasFixtures } from '../../support/fixtures.js';
import { handedOverPc } from './handover-pc.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cloudward-handover-svc-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasFixtures)('handover service handlers (the app’s handover screen)', () => {
  it('inventory, plan, run with the plan’s token, report: every answer inside the contract', async () => {
    const host = createSimulatedHost(handedOverPc());
    const events: HandoverStepEvent[] = [];
    const backupRoot = tempDir();
    const handlers = createHandoverHandlers({ localHost: () => host, openCapture, backupRoot, emit: (event) => events.push(event) });

    const inventory = parseResponse('handover:inventory', await handlers['handover:inventory'](parseRequest('handover:inventory', {})));
    expect(inventory.identities.length).toBeGreaterThan(0);
    const plan = parseResponse('handover:plan', await handlers['handover:plan'](parseRequest('handover:plan', {})));
    const dry = parseResponse('handover:run', await handlers['handover:run'](parseRequest('handover:run', { confirmToken: plan.confirmToken, dryRun: true })));
    expect(dry.results.every((result) => result.status === 'would-do')).toBe(true);
    expect(dry.backupDir).toBeUndefined();

    events.length = 0;
    const run = parseResponse('handover:run', await handlers['handover:run'](parseRequest('handover:run', { confirmToken: plan.confirmToken })));
    expect(run.clean).toBe(true);
    expect(events.map((event) => parseEvent(event))).toHaveLength(plan.steps.length);
    expect(new Set(events.map((event) => event.runId))).toEqual(new Set([run.runId]));
    expect(existsSync(join(run.backupDir!, 'report.html'))).toBe(true);

    // A new service (the app restarted) still finds the report on disk.
    const later = createHandoverHandlers({ localHost: () => host, openCapture, backupRoot });
    const report = parseResponse('handover:report', await later['handover:report'](parseRequest('handover:report', { runId: run.runId, format: 'text' })));
    expect(report.content).toContain('Check afterwards: clean');
    const html = await later['handover:report']({ runId: run.runId, format: 'html' });
    expect(html.content).toContain('ann@contoso.com');
    expect(html.content).not.toMatch(/<script/i);
    expect(readFileSync(join(run.backupDir!, 'report.txt'), 'utf8')).toContain(`Backup: ${run.backupDir}`);
    await expect(later['handover:report']({ runId: '../../etc', format: 'html' })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });

  it('off Windows without a capture: WINDOWS_ONLY, in one line', async () => {
    const handlers = createHandoverHandlers({ localHost: undefined, openCapture, backupRoot: tempDir() });
    await expect(handlers['handover:inventory']({})).rejects.toMatchObject({ code: 'WINDOWS_ONLY' });
    await expect(handlers['handover:run']({ confirmToken: 'x', dryRun: true, includeCredentialStore: false })).rejects.toMatchObject({ code: 'WINDOWS_ONLY' });
  });

  it('the contract refuses a malformed SID', () => {
    expect(() => parseRequest('handover:plan', { user: 'HKLM\\SOFTWARE' })).toThrow(expect.objectContaining({ code: 'IPC_INVALID_REQUEST' }));
  });
});
