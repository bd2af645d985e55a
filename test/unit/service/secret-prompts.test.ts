import { describe, expect, it } from 'vitest';

import type { PromptAnswer, PromptBody } from '../../../electron/contract/index.js';
import type { PromptAnswer as Answer, PromptEvent, ServiceEvent } from '../../../electron/contract/index.js';
import type { Prompter } from '../../../electron/engine/prompts/prompter.js';
import { LayeredSecrets } from '../../../electron/engine/secrets/layered-secrets.js';
import type { Keychain } from '../../../electron/engine/secrets/secret-provider.js';
import { ServicePrompter } from '../../../electron/engine/service/service-prompter.js';

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

describe('a person is asked once per secret', () => {
  /** The service's own prompter; each question is answered by `reply` a little later, like a person in the window. */
  function servicePrompter(reply: (event: PromptEvent) => Omit<Answer, 'promptId'>): { prompter: ServicePrompter; prompts: PromptEvent[] } {
    const prompts: PromptEvent[] = [];
    const prompter: ServicePrompter = new ServicePrompter((event: ServiceEvent) => {
      if (event.type !== 'prompt') return;
      prompts.push(event);
      setTimeout(() => prompter.answer({ promptId: event.promptId, ...reply(event) }), 20);
    });
    return { prompter, prompts };
  }

  it('connections that need the password at once share one question, and all get the answer', async () => {
    const { prompter, prompts } = servicePrompter(() => ({ value: 'carolpass', remember: false }));
    const secrets = new LayeredSecrets({ keychain: new MemoryKeychain(), environment: {}, prompter });
    const account = 'imaps://carol@127.0.0.1:993';
    const answers = await Promise.all([1, 2, 3, 4].map(() => secrets.get('source-password', account)));
    expect(answers).toEqual(['carolpass', 'carolpass', 'carolpass', 'carolpass']);
    expect(prompts).toHaveLength(1);
    // Later (the job starting after its plan, a reconnect): still not asked again, though nothing went to the keychain.
    expect(await secrets.get('source-password', account)).toBe('carolpass');
    expect(prompts).toHaveLength(1);
    // Another secret is its own question.
    expect(await secrets.get('source-password', 'imaps://dave@127.0.0.1:993')).toBe('carolpass');
    expect(prompts).toHaveLength(2);
  });

  it('a declined question is not kept: the concurrent askers get nothing, a later need asks again', async () => {
    let decline = true;
    const { prompter, prompts } = servicePrompter(() => (decline ? { cancelled: true } : { value: 'second', remember: false }));
    const secrets = new LayeredSecrets({ environment: {}, prompter });
    expect(await Promise.all([secrets.get('target-token', 'ews://a@b'), secrets.get('target-token', 'ews://a@b')])).toEqual([undefined, undefined]);
    expect(prompts).toHaveLength(1);
    decline = false;
    expect(await secrets.get('target-token', 'ews://a@b')).toBe('second');
    expect(prompts).toHaveLength(2);
  });

  it('a question withdrawn by a cancel is not kept either', async () => {
    const prompts: PromptEvent[] = [];
    const prompter = new ServicePrompter((event) => event.type === 'prompt' && void prompts.push(event));
    let controller = new AbortController();
    const secrets = new LayeredSecrets({ environment: {}, prompter, scope: () => ({ signal: controller.signal }) });
    const both = Promise.allSettled([secrets.get('source-password', 'imap://x@y'), secrets.get('source-password', 'imap://x@y')]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect((await both).map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(prompts).toHaveLength(1);
    // The job runs again: its need is a new question, not the withdrawn one.
    controller = new AbortController();
    const retried = secrets.get('source-password', 'imap://x@y');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(prompts).toHaveLength(2);
    prompter.answer({ promptId: prompts[1]?.promptId ?? '', value: 'late' });
    expect(await retried).toBe('late');
  });

  it('two plans of the same account (two providers) share the one question too; one cancelled asker does not withdraw it from the other', async () => {
    const events: ServiceEvent[] = [];
    const prompter = new ServicePrompter((event) => void events.push(event));
    const first = new AbortController();
    const plans = [first.signal, undefined].map((signal) => new LayeredSecrets({ environment: {}, prompter, scope: () => (signal ? { signal } : {}) }));
    const asks = plans.map((secrets) => secrets.get('source-password', 'imaps://carol@127.0.0.1:993'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const prompts = events.filter((event): event is PromptEvent => event.type === 'prompt');
    expect(prompts).toHaveLength(1);
    first.abort();
    await expect(asks[0]).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(events.filter((event) => event.type === 'prompt-closed')).toHaveLength(0);
    prompter.answer({ promptId: prompts[0]?.promptId ?? '', value: 'carolpass' });
    expect(await asks[1]).toBe('carolpass');
    // Another job's question for the same account is its own.
    void prompter.ask({ kind: 'secret', role: 'source-password', account: 'imaps://carol@127.0.0.1:993', label: 'x', canRemember: false }, { jobId: 7 });
    void prompter.ask({ kind: 'secret', role: 'source-password', account: 'imaps://carol@127.0.0.1:993', label: 'x', canRemember: false }, { jobId: 8 });
    expect(events.filter((event) => event.type === 'prompt')).toHaveLength(3);
    prompter.declineAll();
  });
});
