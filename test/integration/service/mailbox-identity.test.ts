import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServiceEvent, ServiceRequest } from '../../../electron/contract/index.js';
import { createServiceHost, type ServiceHost } from '../../../electron/cli/service-host.js';
import { callService as call } from '../../support/service-call.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { writeEmlCorpus } from '../../support/generate-mail.js';

/**
 * A mailbox is what it is, not where it was reached: a PST moved to another drive, or an Exchange
 * mailbox reached under another EWS URL, continues the same ledger rows, so nothing arrives twice.
 * The EWS peer counts what it stores; it does not deduplicate (Exchange's CreateItem does not either).
 */

/** Runs a job to its end; with `cancelAfter`, cancels it once that many items were written. */
async function runToEnd(host: ServiceHost, spec: ServiceRequest<'job:start'>, cancelAfter?: number): Promise<ServiceEvent[]> {
  const events: ServiceEvent[] = [];
  const started: { jobId?: number } = {};
  let written = 0;
  const finished = new Promise<void>((resolve) => {
    host.subscribe(
      (event) => {
        events.push(event);
        if (event.type === 'item' && event.state === 'done' && ++written === cancelAfter) void call(host, 'job:cancel', { jobId: event.jobId });
        if (event.type === 'job-state' && event.state === 'finished' && (started.jobId === undefined || event.jobId === started.jobId)) resolve();
      },
      { items: true },
    );
  });
  started.jobId = (await call(host, 'job:start', spec)).jobId;
  await finished;
  return events;
}

if (!hasFixtures) console.warn('Moved-PST identity test skipped: ../shared/fixtures is missing');

const summaryOf = (events: ServiceEvent[]): ServiceEvent | undefined => events.find((event) => event.type === 'summary');

describe('mailbox identity', () => {
  let peer: EwsPeer;
  let work: string;
  const environment = { CLOUDWARD_TARGET_TOKEN: 'peer-token' };
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'deferred' });
    work = mkdtempSync(join(tmpdir(), 'cw-identity-'));
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('continues the same mailbox when the EWS URL changes mid-job: every message exactly once', async () => {
    const mailbox = 'moved-url@contoso.example';
    const count = 60;
    writeEmlCorpus(join(work, 'mail'), count, 11, ['Inbox', 'Archive']);
    const ledgerFile = join(work, 'url.sqlite');
    const options = { targetMailbox: mailbox, targetAuth: 'token', ewsBudgetMb: 1000 };
    const first = createServiceHost({ ledgerFile, environment, host: 'cli', version: 't' });
    const before = await runToEnd(first, { spec: { source: `eml:${join(work, 'mail')}`, target: `ews:${peer.url}`, options, parallel: 1 } }, 20);
    await first.close();
    expect(summaryOf(before)).toMatchObject({ outcome: 'interrupted' });
    const partial = peer.mailbox(mailbox).items.length;
    expect(partial).toBeGreaterThanOrEqual(20);
    expect(partial).toBeLessThan(count);

    // The same server under another name: another endpoint URL, the same Exchange mailbox.
    const otherUrl = peer.url.replace('127.0.0.1', 'localhost').replace('/EWS/Exchange.asmx', '/ews/exchange.asmx');
    expect(otherUrl).not.toBe(peer.url);
    const second = createServiceHost({ ledgerFile, environment, host: 'cli', version: 't' });
    const after = await runToEnd(second, { spec: { source: `eml:${join(work, 'mail')}`, target: `ews:${otherUrl}`, options, parallel: 1 } });
    expect(summaryOf(after)).toMatchObject({ outcome: 'complete', itemsDone: count });
    const jobs = (await call(second, 'jobs:list', {})).jobs;
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.target).toBe(`ews:${otherUrl}`);
    await second.close();
    expect(peer.mailbox(mailbox).items.length).toBe(count);
    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
  });

  it.skipIf(!hasFixtures)('continues the same mailbox when the PST moved to another drive: nothing sent twice (skipped without ../shared/fixtures)', async () => {
    const mailbox = 'moved-pst@contoso.example';
    mkdirSync(join(work, 'D'));
    mkdirSync(join(work, 'USB'));
    const original = join(work, 'D', 'Outlook.pst');
    copyFileSync(join(fixturesDir, 'pst', 'aspose_Chunks_Test_part1.pst'), original);
    const ledgerFile = join(work, 'pst.sqlite');
    const options = { targetMailbox: mailbox, targetAuth: 'token', ewsBudgetMb: 1000 };
    const first = createServiceHost({ ledgerFile, environment, host: 'cli', version: 't' });
    const before = await runToEnd(first, { spec: { source: `pst:${original}`, target: `ews:${peer.url}`, options } });
    await first.close();
    expect(summaryOf(before)).toMatchObject({ outcome: expect.stringMatching(/complete|with-issues/) });
    const stored = peer.mailbox(mailbox).items.length;
    expect(stored).toBeGreaterThan(0);
    const createsBefore = peer.requests.filter((request) => /CreateItem|UploadItems/.test(request.operation)).length;

    // Moved and renamed: D:\Outlook.pst is now E:\backup from old pc.pst.
    const moved = join(work, 'USB', 'backup from old pc.pst');
    copyFileSync(original, moved);
    rmSync(original);
    const second = createServiceHost({ ledgerFile, environment, host: 'cli', version: 't' });
    const after = await runToEnd(second, { spec: { source: `pst:${moved}`, target: `ews:${peer.url}`, options } });
    const jobs = (await call(second, 'jobs:list', {})).jobs;
    await second.close();
    expect(summaryOf(after)).toMatchObject({ itemsDone: (summaryOf(before) as { itemsDone: number }).itemsDone });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.source).toBe(`pst:${moved}`);
    expect(peer.requests.filter((request) => /CreateItem|UploadItems/.test(request.operation)).length).toBe(createsBefore);
    expect(peer.mailbox(mailbox).items.length).toBe(stored);
  });
});
