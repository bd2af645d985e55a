import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { parseEvent } from '../../../electron/contract/index.js';
import { ensureBuilt, runCli } from '../../support/run-cli.js';

/**
 * The CLI is a client of the service: a question the engine asks travels as a prompt event. With
 * --json and no terminal nobody can answer, so it is declined at once (never a hang), and both the
 * question and its closing are --json lines a script can see.
 */
describe('prompts through the CLI', () => {
  beforeAll(() => ensureBuilt());

  it('declines a password prompt under --json without a terminal, shows it as events, and exits 2 with SECRET_MISSING', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-prompt-'));
    const result = await runCli(
      ['migrate', '--source', 'imap://alice@127.0.0.1:1', '--target', `dir:${join(work, 'out')}`, '--ledger', join(work, 'l.sqlite'), '--json'],
      { CLOUDWARD_HOME: work, CLOUDWARD_SOURCE_PASSWORD: '' },
      60_000,
    );
    expect(result.code).toBe(2);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    const contractEvents = events.filter((event) => event.type !== 'batch-row').map((event) => parseEvent(event));
    const prompt = contractEvents.find((event) => event.type === 'prompt');
    expect(prompt).toMatchObject({ prompt: { kind: 'secret', role: 'source-password', account: 'imap://alice@127.0.0.1:1' } });
    expect(contractEvents).toContainEqual({ type: 'prompt-closed', promptId: prompt?.type === 'prompt' ? prompt.promptId : '', outcome: 'cancelled' });
    expect(contractEvents.find((event) => event.type === 'mailbox' && event.phase === 'failed')).toMatchObject({ error: { code: 'SECRET_MISSING' } });
    // The password is never on stdout, stderr, or in the prompt itself.
    expect(result.stderr).toBe('');
  });

  it('without --json and without a terminal, declines too and says where the password could come from', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-prompt-'));
    const result = await runCli(['migrate', '--source', 'imap://alice@127.0.0.1:1', '--target', `dir:${join(work, 'out')}`, '--ledger', join(work, 'l.sqlite')], { CLOUDWARD_HOME: work }, 60_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/CLOUDWARD_SOURCE_PASSWORD/);
  });
});
