import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { envelopeVersion, replyEnvelopeSchema } from '../../../electron/contract/index.js';
import { serveOnPort } from '../../../electron/cli/port-server.js';
import { createServiceHost } from '../../../electron/cli/service-host.js';
import { Ledger } from '../../../electron/engine/index.js';

/**
 * electron/cli/utility-entry.ts as the utility process runs it: request envelopes arrive on
 * process.parentPort, reply and event envelopes go back on it. The ledger is a real SQLite file.
 */
type Listener = (message: { data: unknown }) => void;
function fakePort(): { port: { on: (event: string, listener: Listener) => void; postMessage: (message: unknown) => void }; sent: unknown[]; deliver: (data: unknown) => void } {
  const sent: unknown[] = [];
  let listener: Listener | undefined;
  return {
    port: { on: (_event, next) => (listener = next), postMessage: (message) => sent.push(message) },
    sent,
    deliver: (data) => listener?.({ data }),
  };
}

let nextId = 1;
async function ask(link: ReturnType<typeof fakePort>, command: string, payload: unknown): Promise<unknown> {
  const id = nextId++;
  link.deliver({ v: envelopeVersion, kind: 'request', id, command, payload });
  await expect.poll(() => link.sent.find((reply) => (reply as { kind?: string; id?: number }).kind === 'reply' && (reply as { id: number }).id === id)).toBeDefined();
  const reply = replyEnvelopeSchema.parse(link.sent.find((message) => (message as { kind?: string; id?: number }).kind === 'reply' && (message as { id: number }).id === id));
  return reply.result;
}

const dir = mkdtempSync(join(tmpdir(), 'cloudward-utility-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the engine utility process entry', () => {
  const link = fakePort();
  const file = join(dir, 'ledger.sqlite');
  let jobId = 0;

  beforeAll(async () => {
    const ledger = Ledger.open(file);
    const job = ledger.findOrCreateJob('pst:C:/old/outlook.pst', 'ews:alice@contoso.test');
    jobId = job.id;
    const mailbox = ledger.findOrCreateMailbox(job.id, 'alice', 'pst:C:/old/outlook.pst', 'ews:alice@contoso.test');
    const folder = ledger.upsertFolder(mailbox.id, ['Inbox'], 'inbox', 3);
    const rows = ['a', 'b', 'c'].map((key) =>
      ledger.recordPending({ mailboxId: mailbox.id, folderId: folder.id, sourceKey: key, kind: 'mail', title: key, size: 10, contentHash: undefined, dedupKey: undefined }),
    );
    ledger.settle([
      { rowId: rows[0]!, state: 'done', targetId: 'AAMk1' },
      { rowId: rows[1]!, state: 'failed', code: 'TARGET_REJECTED', reason: 'too odd', retryable: false },
    ]);
    ledger.close();
    process.env['CLOUDWARD_LEDGER'] = file;
    (process as unknown as { parentPort: typeof link.port }).parentPort = link.port;
    await import('../../../electron/cli/utility-entry.js');
  });

  it('lists each job of a real ledger with its item counts, in reply envelopes', async () => {
    expect(await ask(link, 'jobs:list', {})).toMatchObject({
      ok: true,
      value: { jobs: [{ id: jobId, source: 'pst:C:/old/outlook.pst', target: 'ews:alice@contoso.test', done: 1, skipped: 0, failed: 1, pending: 1, state: 'idle', resumable: false }] },
    });
    expect(await ask(link, 'app:info', {})).toMatchObject({ ok: true, value: { host: 'electron', ledger: file } });
  });

  it('answers a bad request and an unknown command with a coded error, and ignores what is not a request', async () => {
    expect(await ask(link, 'job:status', { jobId: 'seven' })).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
    expect(await ask(link, 'app:erase', {})).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
    const before = link.sent.length;
    link.deliver({ v: envelopeVersion, kind: 'reply', id: 1, result: { ok: true, value: 1 } });
    link.deliver('hello');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(link.sent.length).toBe(before);
  });

  it('pushes service events as event envelopes', async () => {
    const other = fakePort();
    const host = createServiceHost({ ledgerFile: join(dir, 'events.sqlite'), environment: {}, host: 'electron', version: 't' });
    serveOnPort(other.port, host);
    host.publish({ type: 'job-state', jobId: 5, state: 'paused' });
    expect(other.sent).toEqual([{ v: envelopeVersion, kind: 'event', event: { type: 'job-state', jobId: 5, state: 'paused' } }]);
    await host.close();
  });

  it('answers "no jobs" for a ledger that does not exist, without creating it, and LEDGER_FAILED for a corrupt one', async () => {
    const none = join(dir, 'none.sqlite');
    const other = fakePort();
    const host = createServiceHost({ ledgerFile: none, environment: {}, host: 'electron', version: 't' });
    serveOnPort(other.port, host);
    expect(await ask(other, 'jobs:list', {})).toEqual({ ok: true, value: { jobs: [] } });
    expect(existsSync(none)).toBe(false);
    await host.close();

    const garbage = join(dir, 'garbage.sqlite');
    writeFileSync(garbage, 'this is not an SQLite database, just text that is long enough to have a header'.repeat(20));
    const third = fakePort();
    const broken = createServiceHost({ ledgerFile: garbage, environment: {}, host: 'electron', version: 't' });
    serveOnPort(third.port, broken);
    expect(await ask(third, 'jobs:list', {})).toMatchObject({ ok: false, error: { code: 'LEDGER_FAILED' } });
    await broken.close();
  });
});
