import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { envelopeVersion, type JobPlan, type PromptEvent } from '../../../electron/contract/index.js';
import { createServiceHost, type ServiceHost } from '../../../electron/cli/service-host.js';
import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';

if (!hasDovecot) console.warn(noDovecotReason);

describe.skipIf(!hasDovecot)('job:plan for an IMAP account, against Dovecot', () => {
  let dovecot: Dovecot;
  let host: ServiceHost;
  const work = mkdtempSync(join(tmpdir(), 'cw-imap-plan-'));
  const total = 300;
  /** Every password question, answered like a person would, a moment later. */
  const prompts: PromptEvent[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    dovecot.addUser('carol', 'carolpass');
    dovecot.writeMaildir('carol', 'INBOX', Array.from({ length: total }, (_, i) => Buffer.from(`From: k${i}@example.com\r\nSubject: Mail ${i}\r\nMessage-ID: <carol-${i}@example.com>\r\n\r\n${'Body line\r\n'.repeat(i % 17)}`)));
    // Dovecot indexes a Maildir written behind its back on first look; two sessions looking at once may count 0
    // (seen here), which no real server's indexed mailbox does: index it first, as any earlier login would.
    const client = await dovecot.client('carol');
    await client.mailboxOpen('INBOX');
    await client.logout();
    host = createServiceHost({ ledgerFile: join(work, 'ledger.sqlite'), environment: {}, host: 'cli', version: 't' });
    host.subscribe((event) => {
      if (event.type !== 'prompt') return;
      prompts.push(event);
      setTimeout(() => void host.dispatch({ v: envelopeVersion, kind: 'request', id: 9, command: 'prompt:answer', payload: { promptId: event.promptId, value: 'carolpass' } }), 200);
    });
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await dovecot?.dispose();
  });

  it('two plans of one account at once (a window that asks twice) ask the person once, and both count every message', async () => {
    prompts.length = 0;
    const spec = { source: `imaps://carol@127.0.0.1:${dovecot.tlsPort}`, target: `dir:${join(work, 'out')}`, options: { sourceCa: dovecot.caFile } };
    const replies = await Promise.all([1, 2].map((id) => host.dispatch({ v: envelopeVersion, kind: 'request', id, command: 'job:plan', payload: spec })));
    const plans = replies.map((reply) => {
      if (!reply.result.ok) throw new Error(reply.result.error.message);
      return reply.result.value as JobPlan;
    });
    expect(prompts).toHaveLength(1);
    for (const plan of plans) {
      expect(plan.warnings).toEqual([]);
      expect(plan.totals.items).toBe(total);
    }
  }, 120_000);

  it('sizes each folder by STATUS SIZE, equal to the sum of RFC822.SIZE imapflow fetches itself', async () => {
    await dovecot.appendMessages('carol', 'Archive/2019', [Buffer.from('From: a@example.com\r\nSubject: old\r\n\r\nhello\r\n'), Buffer.from(`From: b@example.com\r\nSubject: big\r\n\r\n${'x'.repeat(70_000)}\r\n`)]);
    const spec = { source: `imaps://carol@127.0.0.1:${dovecot.tlsPort}`, target: `dir:${join(work, 'out')}`, options: { sourceCa: dovecot.caFile } };
    const reply = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 3, command: 'job:plan', payload: spec });
    if (!reply.result.ok) throw new Error(reply.result.error.message);
    const plan = reply.result.value as JobPlan;
    const client = await dovecot.client('carol');
    try {
      expect(client.capabilities.has('STATUS=SIZE')).toBe(true);
      let total = 0;
      for (const folder of plan.mailboxes[0]?.folders ?? []) {
        const lock = await client.getMailboxLock(folder.path.join(dovecot.separator), { readOnly: true });
        let oracle = 0;
        try {
          for await (const message of client.fetch('1:*', { size: true })) oracle += message.size ?? 0;
        } finally {
          lock.release();
        }
        expect(folder.bytes, folder.path.join('/')).toBe(oracle);
        total += oracle;
      }
      expect(total).toBeGreaterThan(70_000);
      expect(plan.totals.bytes).toBe(total);
    } finally {
      await client.logout();
    }
  }, 120_000);
});
