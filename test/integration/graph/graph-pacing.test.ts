import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { emlSourceSpec } from '../../../electron/engine/sources/eml/eml-spec.js';
import { graphTargetSpec } from '../../../electron/engine/targets/graph/graph-spec.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';
import { MemorySecrets, silentLog } from '../ews/ews-helpers.js';

if (!hasFixtures) console.warn('Graph pacing tests skipped: ../shared/fixtures/graph-schema is not present');

const mailbox = 'pace@contoso.example';

/** `count` messages with a ~100 KB attachment each: too large for a $batch, so one create per item. */
function writeMail(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i += 1) {
    const attachment = randomBytes(75_000).toString('base64').replace(/.{76}/g, '$&\r\n');
    writeFileSync(
      path.join(dir, `m${String(i).padStart(3, '0')}.eml`),
      `From: Ann <ann@example.org>\r\nTo: ${mailbox}\r\nSubject: Pace ${i}\r\nDate: Tue, 01 Mar 2022 10:${String(i).padStart(2, '0')}:00 +0000\r\nMessage-ID: <pace-${i}@example.org>\r\n` +
        `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nBody ${i}\r\n--b\r\nContent-Type: application/octet-stream\r\n` +
        `Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="a${i}.bin"\r\n\r\n${attachment}\r\n--b--\r\n`,
    );
  }
}

async function migrate(peer: GraphPeer, dir: string, work: string, budget?: { budgetMb?: number; windowMs?: number; batchMb?: number }): Promise<Awaited<ReturnType<typeof runJob>>> {
  const secrets = new MemorySecrets();
  await secrets.set('target-token', `graph://${mailbox}@${new URL(peer.url).host}`, 'peer-token');
  const options = { targetMailbox: mailbox, targetAuth: 'token', graphEndpoint: peer.url, ...(budget?.budgetMb ? { graphBudgetMb: budget.budgetMb } : {}), ...(budget?.windowMs ? { graphBudgetWindowMs: budget.windowMs } : {}), ...(budget?.batchMb ? { graphMaxBatchMb: budget.batchMb } : {}) };
  const context = { secrets, log: silentLog, options };
  const ledger = Ledger.open(path.join(work, 'ledger.sqlite'));
  try {
    return await runJob({
      ledger,
      source: `eml:${dir}`,
      target: 'graph:',
      mailboxes: [{ label: mailbox, source: `eml:${dir}`, target: 'graph:', createSource: () => emlSourceSpec.create(dir, context), createTarget: () => graphTargetSpec.create('graph:', context) }],
    });
  } finally {
    ledger.close();
  }
}

describe.skipIf(!hasFixtures)('Graph target against the per-mailbox limits, through the whole pipeline', () => {
  let peer: GraphPeer | undefined;
  let work: string | undefined;
  afterEach(async () => {
    await peer?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('keeps 4 creates in flight per mailbox when the budget allows (Outlook allows 4), never a 5th', async () => {
    work = mkdtempSync(path.join(tmpdir(), 'cw-graph-pace-'));
    writeMail(path.join(work, 'mail'), 16);
    // Each create takes 400 ms at the peer: one at a time would leave the mailbox three quarters idle.
    peer = await startGraphPeer({ simulate: { maxConcurrent: 4, delayMs: (method, url) => (method === 'POST' && url.endsWith('/messages') ? 400 : 0) } });
    // One item per pipeline batch (as with items larger than a batch): the 4 must come from writes in flight side by side.
    const result = await migrate(peer, path.join(work, 'mail'), work, { batchMb: 0.05 });
    expect(result.mailboxErrors).toEqual([]);
    expect(result.summary.itemsDone).toBe(16);
    expect(peer.stats.throttled).toBe(0);
    expect(peer.stats.maxConcurrentSeen[mailbox]).toBe(4);
  });

  it('paces on the bytes Graph counts: no upload refused at a window edge though the server counts a request only once it has read it', async () => {
    work = mkdtempSync(path.join(tmpdir(), 'cw-graph-pace-'));
    writeMail(path.join(work, 'mail'), 14);
    // 300 KB per 1.5 s: three creates per window. Each create is counted 250 ms after it arrived (the
    // peer's delay comes first), so a client counting from its own send would reuse the window too early.
    peer = await startGraphPeer({ simulate: { uploadBudget: { bytes: 310 * 1024, windowMs: 1500 }, delayMs: (method) => (method === 'POST' ? 250 : 0) } });
    const started = Date.now();
    const result = await migrate(peer, path.join(work, 'mail'), work, { budgetMb: 310 / 1024, windowMs: 1500 });
    expect(result.mailboxErrors).toEqual([]);
    expect(result.summary.itemsDone).toBe(14);
    expect(peer.stats.throttled).toBe(0);
    // 14 creates at 3 per window: at least four windows gone by, and not much more than five.
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * 1500);
    expect(Date.now() - started).toBeLessThan(12_000);
  });
});
