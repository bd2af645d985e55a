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
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await dovecot?.dispose();
  });

  it('two plans of one account at once (a window that asks twice) ask the person once, and both count every message', async () => {
    const prompts: PromptEvent[] = [];
    host.subscribe((event) => {
      if (event.type !== 'prompt') return;
      prompts.push(event);
      setTimeout(() => void host.dispatch({ v: envelopeVersion, kind: 'request', id: 9, command: 'prompt:answer', payload: { promptId: event.promptId, value: 'carolpass' } }), 200);
    });
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
});
