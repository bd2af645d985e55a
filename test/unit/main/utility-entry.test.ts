import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/index.js';

/**
 * electron/cli/utility-entry.ts as the utility process runs it: messages arrive on
 * process.parentPort and replies go back on it. The ledger is a real SQLite file.
 */
type Listener = (message: { data: unknown }) => void;
const replies: unknown[] = [];
let deliver: Listener | undefined;
const port = {
  on: (_event: string, listener: Listener) => (deliver = listener),
  postMessage: (message: unknown) => replies.push(message),
};

let nextId = 1;
async function ask(command: string, request: unknown): Promise<unknown> {
  const id = nextId++;
  deliver?.({ data: { type: 'request', id, command, request } });
  await expect.poll(() => replies.find((reply) => (reply as { id: number }).id === id)).toBeDefined();
  return (replies.find((reply) => (reply as { id: number }).id === id) as { result: unknown }).result;
}

const dir = mkdtempSync(join(tmpdir(), 'cloudward-utility-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the engine utility process entry', () => {
  beforeAll(async () => {
    (process as unknown as { parentPort: typeof port }).parentPort = port;
    await import('../../../electron/cli/utility-entry.js');
    expect(deliver).toBeTypeOf('function');
  });

  it('reports each job of a real ledger with its item counts', async () => {
    const file = join(dir, 'ledger.sqlite');
    const ledger = Ledger.open(file);
    const job = ledger.findOrCreateJob('pst:C:/old/outlook.pst', 'ews:alice@contoso.test');
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

    expect(await ask('job:status', { ledger: file })).toEqual({
      ok: true,
      value: { jobs: [{ id: job.id, source: 'pst:C:/old/outlook.pst', target: 'ews:alice@contoso.test', done: 1, skipped: 0, failed: 1, pending: 1 }] },
    });
  });

  it('answers "no jobs" for a ledger that does not exist, without creating it', async () => {
    const file = join(dir, 'none.sqlite');
    expect(await ask('job:status', { ledger: file })).toEqual({ ok: true, value: { jobs: [] } });
    expect(existsSync(file)).toBe(false);
  });

  it('answers a corrupt ledger, a bad request and an unknown command with a coded error', async () => {
    const file = join(dir, 'garbage.sqlite');
    writeFileSync(file, 'this is not an SQLite database, just text that is long enough to have a header'.repeat(20));
    expect(await ask('job:status', { ledger: file })).toMatchObject({ ok: false, error: { code: 'LEDGER_FAILED' } });
    expect(await ask('job:status', { ledger: 7 })).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENTS' } });
    expect(await ask('app:erase', {})).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENTS' } });
  });
});
