import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { createServiceHost, type ServiceHost } from '../../../electron/cli/service-host.js';
import { callService as call } from '../../support/service-call.js';
import { imapPasswordAccount } from '../../../electron/engine/sources/imap/imap-spec.js';
import { KeytarKeychain } from '../../../electron/engine/secrets/keytar-keychain.js';
import { keychainService } from '../../../electron/engine/secrets/layered-secrets.js';

/** Run with the real keyring: dbus-run-session + an unlocked gnome-keyring-daemon + CLOUDWARD_TEST_KEYRING=1 (build/scripts/test.sh). */
const keyring = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']) && process.env['CLOUDWARD_TEST_KEYRING'] === '1';
if (!keyring) console.warn('batch passwords: skipped: no unlocked keyring (run through build/scripts/test.sh or dbus-run-session)');

const hosts: ServiceHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});


describe.skipIf(!keyring)('a batch plan and the real keychain', () => {
  const keychain = new KeytarKeychain();
  const stored = (user: string) => keychain.get(keychainService, `source-password:${imapPasswordAccount(`imap://${user}@127.0.0.1:1`)}`);

  function batch(tag: string): { csv: string; ledger: string; out: string; users: string[] } {
    const work = mkdtempSync(join(tmpdir(), 'cw-batchpw-'));
    const users = [`ann-${tag}-${process.pid}`, `cid-${tag}-${process.pid}`];
    const csv = join(work, 'users.csv');
    writeFileSync(csv, `EmailAddress,UserName,Password\n${users.map((user, index) => `${user}@contoso.example,${user},pw-${index}-ä`).join('\n')}\n`);
    return { csv, ledger: join(work, 'ledger.sqlite'), out: `dir:${join(work, 'out')}`, users };
  }

  it('planning stores no password; starting the plan does', async () => {
    const { csv, ledger, out, users } = batch('start');
    const host = createServiceHost({ ledgerFile: ledger, environment: {}, host: 'cli', version: '0.0.0-test', keychain, summaryMs: 20, planTtlMs: 60_000 });
    hosts.push(host);
    try {
      const plan = await call(host, 'job:plan', { source: 'imap://127.0.0.1:1', target: out, batchCsv: csv });
      expect(plan.mailboxes).toHaveLength(2);
      for (const user of users) expect(await stored(user), `${user} after planning`).toBeNull();
      const finished = new Promise<void>((resolve) => {
        const stop = host.subscribe((event) => {
          if (event.type === 'job-state' && event.state === 'finished') {
            stop();
            resolve();
          }
        });
      });
      await call(host, 'job:start', { planId: plan.planId });
      expect(await stored(users[0] ?? '')).toBe('pw-0-ä');
      expect(await stored(users[1] ?? '')).toBe('pw-1-ä');
      await finished;
    } finally {
      for (const user of users) await keychain.delete(keychainService, `source-password:${imapPasswordAccount(`imap://${user}@127.0.0.1:1`)}`);
    }
  });

  it('a plan that expires unstarted is forgotten and never reaches the keychain', async () => {
    const { csv, ledger, out, users } = batch('expire');
    const host = createServiceHost({ ledgerFile: ledger, environment: {}, host: 'cli', version: '0.0.0-test', keychain, summaryMs: 20, planTtlMs: 50 });
    hosts.push(host);
    const plan = await call(host, 'job:plan', { source: 'imap://127.0.0.1:1', target: out, batchCsv: csv });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await expect(call(host, 'job:start', { planId: plan.planId })).rejects.toThrow(/JOB_NOT_FOUND/);
    for (const user of users) expect(await stored(user), `${user} after the plan expired`).toBeNull();
  });
});
