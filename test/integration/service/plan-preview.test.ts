import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { envelopeVersion, type JobPlan } from '../../../electron/contract/index.js';
import { createServiceHost } from '../../../electron/cli/service-host.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { readpstExport } from '../pst/readpst-oracle.js';

const hasReadpst = spawnSync('sh', ['-c', 'command -v readpst'], { stdio: 'ignore' }).status === 0;
if (!hasFixtures || !hasReadpst) console.warn('PST plan preview test skipped: fixtures or readpst (pst-utils) missing');

const work = mkdtempSync(join(tmpdir(), 'cw-plan-'));
const host = createServiceHost({ ledgerFile: join(work, 'ledger.sqlite'), environment: {}, host: 'cli', version: 't' });
afterAll(() => host.close());

describe.skipIf(!hasFixtures || !hasReadpst)('job:plan for a PST', () => {
  it('counts items per folder from the folder tables as readpst finds them, before anything moves', async () => {
    const file = join(fixturesDir, 'pst', 'DFRWS2009-Outlook-Email.pst');
    const reply = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 1, command: 'job:plan', payload: { source: `pst:${file}`, target: `dir:${join(work, 'out')}` } });
    if (!reply.result.ok) throw new Error(reply.result.error.message);
    const plan = reply.result.value as JobPlan;
    const oracle = readpstExport(file);
    try {
      const expected = [...oracle.folders].filter(([, files]) => files.length > 0).map(([path, files]) => [path, files.length]);
      const previewed = (plan.mailboxes[0]?.folders ?? []).filter((folder) => folder.items > 0).map((folder) => [folder.path.join('/'), folder.items]);
      expect(previewed.sort()).toEqual(expected.sort());
      expect(plan.totals.items).toBe(expected.reduce((sum, [, count]) => sum + Number(count), 0));
      expect(plan.mailboxes[0]?.sourceIdentity).toMatch(/^pst:key-[0-9a-f]+$/);
    } finally {
      oracle.cleanup();
    }
  });
});
