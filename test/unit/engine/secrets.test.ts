import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { createLogger } from '../../../electron/engine/log/logger.js';
import { KeytarKeychain } from '../../../electron/engine/secrets/keytar-keychain.js';
import { LayeredSecrets } from '../../../electron/engine/secrets/layered-secrets.js';

/** build/scripts/test.sh runs the suite inside dbus-run-session with an unlocked gnome-keyring-daemon. */
const keyring = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']) && process.env['CLOUDWARD_TEST_KEYRING'] === '1';

describe.skipIf(!keyring)('secrets in the real OS keychain (skipped: no unlocked keyring; run the suite through npm test)', () => {
  it('stores, finds and removes secrets, non-ASCII included', async () => {
    const secrets = new LayeredSecrets({ keychain: new KeytarKeychain(), environment: {} });
    const account = `imaps://tést-${process.pid}@mail.example.com`;
    await secrets.set('source-password', account, 'pässwörd ✓');
    expect(await secrets.get('source-password', account)).toBe('pässwörd ✓');
    expect(await secrets.get('target-password', account)).toBeUndefined();
    expect(await secrets.delete('source-password', account)).toBe(true);
    expect(await secrets.get('source-password', account)).toBeUndefined();
  });

  it('prefers the keychain over the environment', async () => {
    const account = `imaps://pref-${process.pid}@mail.example.com`;
    const secrets = new LayeredSecrets({ keychain: new KeytarKeychain(), environment: { CLOUDWARD_SOURCE_PASSWORD: 'from-env' } });
    expect(await secrets.get('source-password', account)).toBe('from-env');
    await secrets.set('source-password', account, 'from-keychain');
    expect(await secrets.get('source-password', account)).toBe('from-keychain');
    await secrets.delete('source-password', account);
  });
});

describe('secrets without a keychain', () => {
  const broken = {
    get: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    set: () => Promise.reject(new Error('no keychain')),
    delete: () => Promise.reject(new Error('no keychain')),
  };

  it('falls back to the environment, then says where a missing secret could come from', async () => {
    const withEnvironment = new LayeredSecrets({ keychain: broken, environment: { CLOUDWARD_TARGET_TOKEN: 'eyJ0' } });
    expect(await withEnvironment.get('target-token', 'ews:https://x')).toBe('eyJ0');
    const without = new LayeredSecrets({ keychain: broken, environment: {} });
    await expect(without.require('source-password', 'imaps://a@b')).rejects.toThrow(/CLOUDWARD_SOURCE_PASSWORD.*D-Bus/);
  });

  it('asks a prompt last, when there is one', async () => {
    const asked: string[] = [];
    const secrets = new LayeredSecrets({ environment: {}, prompt: async (question) => (asked.push(question), 'typed') });
    expect(await secrets.get('source-password', 'imaps://a@b')).toBe('typed');
    expect(asked).toEqual(['source password for imaps://a@b: ']);
  });
});

describe('logs', () => {
  it('never carry a secret, however deep it sits in a logged object', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cw-log-')), 'cw.log');
    const log = createLogger(file);
    log.info({ password: 'hunter2', auth: { token: 'eyJsecret' }, request: { headers: { authorization: 'Bearer eyJsecret' } } }, 'login');
    log.flush();
    const deadline = Date.now() + 5_000;
    let text = '';
    while (!text.includes('login') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    }
    expect(text).toContain('login');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('eyJsecret');
  });
});
