import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JobEvent } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { emlSourceSpec } from '../../../electron/engine/sources/eml/eml-spec.js';
import { ewsTargetSpec } from '../../../electron/engine/targets/ews/ews-spec.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { MemorySecrets, silentLog } from './ews-helpers.js';

const emlDir = path.join(fixturesDir, 'eml');

if (!hasFixtures) console.warn('EWS job tests skipped: ../shared/fixtures is not present');

describe.skipIf(!hasFixtures)('eml fixtures migrated into the EWS peer through runJob', () => {
  let peer: EwsPeer;
  let dir: string;
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'deferred', seed: 7 });
    dir = mkdtempSync(path.join(tmpdir(), 'cw-ews-job-'));
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function migrate(mailbox: string, ledgerFile: string, events: JobEvent[] = []) {
    const secrets = new MemorySecrets();
    await secrets.set('target-token', `ews://${mailbox}@${new URL(peer.url).host}`, 'peer-token');
    const context = { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'token', ewsRequestTimeoutMs: 10_000 } };
    const ledger = Ledger.open(ledgerFile);
    try {
      return await runJob({
        ledger,
        source: `eml:${emlDir}`,
        target: `ews:${peer.url}`,
        mailboxes: [{ label: mailbox, source: `eml:${emlDir}`, target: `ews:${peer.url}`, createSource: () => emlSourceSpec.create(emlDir, context), createTarget: () => ewsTargetSpec.create(peer.url, context) }],
        retry: { maxAttempts: 25, baseDelayMs: 5, maxDelayMs: 100 },
        onEvent: (event) => events.push(event),
      });
    } finally {
      ledger.close();
    }
  }

  it('a throttling storm (429, 503, ErrorServerBusy, lost answers) ends with every message stored once, byte for byte', async () => {
    const mailbox = 'storm@contoso.example';
    peer.configure({
      random: { rate429: 0.25, rate503: 0.15, rateServerBusy: 0.2, retryAfterSeconds: 0, backOffMs: 10, operations: ['CreateItem', 'FindFolder', 'FindItem', 'GetItem'] },
      maxConcurrent: { perMailbox: 2, answer: 'ErrorServerBusy', backOffMs: 10 },
      dropConnections: { everyNth: 3, phase: 'after-commit', operations: ['CreateItem'] },
    });
    const events: JobEvent[] = [];
    let result;
    try {
      result = await migrate(mailbox, path.join(dir, 'storm.sqlite'), events);
    } finally {
      peer.configure({ random: null, maxConcurrent: null, dropConnections: null });
    }
    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml'));
    const failed = events.filter((e) => e.type === 'item' && e.state === 'failed');
    expect(failed).toEqual([]);
    expect(result.summary.itemsFailed).toBe(0);
    expect(result.summary.itemsDone).toBe(files.length);
    expect(peer.stats.throttled.http429 + peer.stats.throttled.http503 + peer.stats.throttled.serverBusy).toBeGreaterThan(5);
    expect(peer.stats.dropped).toBeGreaterThan(0);

    const stored = peer.mailbox(mailbox).items.filter((item) => item.kind === 'Message');
    expect(stored).toHaveLength(files.length);
    for (const name of files) {
      const bytes = readFileSync(path.join(emlDir, name));
      const copies = stored.filter((item) => item.mime && Buffer.compare(item.mime, bytes) === 0);
      expect(copies, name).toHaveLength(1);
      expect(copies[0]?.extendedProps.find((p) => p.tag === '0x0e07')?.value).toBe('1');
    }
    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });

  it('gateways that answer 502/504 or a bare HTTP 500 after Exchange committed, and throttling inside HTTP 200: every message stored once', async () => {
    const mailbox = 'gateway@contoso.example';
    peer.configure({
      failAfterCommit: { status: 504, everyNth: 2, operations: ['CreateItem'] },
      innerServerBusy: { everyNth: 3, backOffMs: 10, operations: ['CreateItem'] },
    });
    let result;
    try {
      result = await migrate(mailbox, path.join(dir, 'gateway.sqlite'));
    } finally {
      peer.configure({ failAfterCommit: null, innerServerBusy: null });
    }
    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml'));
    expect(result.summary.itemsFailed).toBe(0);
    expect(result.summary.itemsDone).toBe(files.length);
    expect(peer.requests.some((r) => r.mailbox === mailbox && r.outcome === 'HTTP 504 after commit')).toBe(true);
    const stored = peer.mailbox(mailbox).items.filter((item) => item.kind === 'Message');
    expect(stored).toHaveLength(files.length);
    for (const name of files) {
      const bytes = readFileSync(path.join(emlDir, name));
      expect(stored.filter((item) => item.mime && Buffer.compare(item.mime, bytes) === 0), name).toHaveLength(1);
    }
  });

  it('running the same job again writes nothing new', async () => {
    const mailbox = 'rerun@contoso.example';
    const ledgerFile = path.join(dir, 'rerun.sqlite');
    await migrate(mailbox, ledgerFile);
    const count = peer.mailbox(mailbox).items.length;
    const creates = peer.stats.byOperation.CreateItem ?? 0;
    const again = await migrate(mailbox, ledgerFile);
    expect(again.summary.itemsFailed).toBe(0);
    expect(peer.mailbox(mailbox).items.length).toBe(count);
    expect(peer.stats.byOperation.CreateItem ?? 0).toBe(creates);
  });
});
