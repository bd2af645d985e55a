import { describe, expect, it } from 'vitest';

import type { PromptAnswer, PromptBody } from '../../../electron/contract/index.js';
import type { Prompter } from '../../../electron/engine/prompts/prompter.js';
import { LayeredSecrets } from '../../../electron/engine/secrets/layered-secrets.js';
import type { Keychain } from '../../../electron/engine/secrets/secret-provider.js';

/** A keychain in memory (the real one is tested under test/unit/engine/secrets.test.ts with gnome-keyring). */
class MemoryKeychain implements Keychain {
  readonly entries = new Map<string, string>();
  async get(service: string, account: string): Promise<string | null> {
    return this.entries.get(`${service}/${account}`) ?? null;
  }
  async set(service: string, account: string, secret: string): Promise<void> {
    this.entries.set(`${service}/${account}`, secret);
  }
  async delete(service: string, account: string): Promise<boolean> {
    return this.entries.delete(`${service}/${account}`);
  }
}

function answering(answer: Omit<PromptAnswer, 'promptId'>): Prompter & { asked: PromptBody[] } {
  const asked: PromptBody[] = [];
  return {
    asked,
    ask: async (prompt) => {
      asked.push(prompt);
      return { promptId: 'p', ...answer };
    },
    show: () => ({ close: () => undefined }),
  };
}

describe('secrets asked through the service', () => {
  it('asks a secret prompt only when the keychain and the environment lack it, and remembers it when told', async () => {
    const keychain = new MemoryKeychain();
    const prompter = answering({ value: 'hunter2', remember: true });
    const secrets = new LayeredSecrets({ keychain, environment: {}, prompter });
    expect(await secrets.get('source-password', 'imap://alice@mail.example')).toBe('hunter2');
    expect(prompter.asked).toEqual([{ kind: 'secret', role: 'source-password', account: 'imap://alice@mail.example', label: 'source password for imap://alice@mail.example', canRemember: true }]);
    expect(keychain.entries.get('Cloudward/source-password:imap://alice@mail.example')).toBe('hunter2');
    // Next time the keychain has it: nobody is asked.
    expect(await secrets.get('source-password', 'imap://alice@mail.example')).toBe('hunter2');
    expect(prompter.asked).toHaveLength(1);
    const fromEnvironment = new LayeredSecrets({ keychain: new MemoryKeychain(), environment: { CLOUDWARD_SOURCE_PASSWORD: 'env' }, prompter });
    expect(await fromEnvironment.get('source-password', 'imap://bob@mail.example')).toBe('env');
    expect(prompter.asked).toHaveLength(1);
  });

  it('a declined prompt leaves the secret missing, with the one-line advice, and stores nothing', async () => {
    const keychain = new MemoryKeychain();
    const secrets = new LayeredSecrets({ keychain, environment: {}, prompter: answering({ cancelled: true }) });
    await expect(secrets.require('target-token', 'ews://a@b')).rejects.toMatchObject({ code: 'SECRET_MISSING', message: expect.stringContaining('CLOUDWARD_TARGET_TOKEN') });
    expect(keychain.entries.size).toBe(0);
    const notRemembered = new LayeredSecrets({ keychain, environment: {}, prompter: answering({ value: 'once' }) });
    expect(await notRemembered.get('target-token', 'ews://a@b')).toBe('once');
    expect(keychain.entries.size).toBe(0);
  });
});
