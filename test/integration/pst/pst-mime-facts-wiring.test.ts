import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import type { MailItem } from '../../../electron/engine/model/items.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { generousCapabilities, ScriptedTarget } from '../../support/scripted-target.js';

if (!hasFixtures) console.warn('PST MIME facts wiring test skipped: ../shared/fixtures is not present');

/** For each mail the target was handed, whether its source's facts came with the very MIME it got. */
async function factsSeen(readsMimeFacts: boolean): Promise<boolean[]> {
  const target = new ScriptedTarget({ ...generousCapabilities, readsMimeFacts });
  const seen: boolean[] = [];
  target.script = (_call, batch) => {
    for (const prepared of batch) {
      if (prepared.item.kind === 'mail' && prepared.mime) seen.push((prepared.item as MailItem).facts?.(prepared.mime) !== undefined);
    }
  };
  const file = path.join(fixturesDir, 'pst', 'DFRWS2009-Outlook-Email.pst');
  const result = await runJob({
    ledger: Ledger.open(':memory:'),
    source: 'pst',
    target: 'scripted',
    mailboxes: [{ label: 'a', source: `pst:${file}`, target: 'scripted', createSource: () => new PstSource([file]), createTarget: () => target }],
    retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
  expect(result.summary.itemsFailed).toBe(0);
  return seen;
}

describe.skipIf(!hasFixtures)('the PST source records MIME facts only for a target that reads them', () => {
  it('hands them, through the pipeline, with the MIME a Graph-like target gets, and none to the others', async () => {
    const withFacts = await factsSeen(true);
    expect(withFacts.length).toBeGreaterThan(0);
    expect(withFacts.every(Boolean)).toBe(true);
    const without = await factsSeen(false);
    expect(without).toHaveLength(withFacts.length);
    expect(without.some(Boolean)).toBe(false);
  });
});
