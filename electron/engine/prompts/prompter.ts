import type { PromptAnswer, PromptBody } from '../../contract/index.js';

/**
 * How engine code asks a person something (a device-code sign-in, a missing password, "remove these
 * 14 items?"). The job service implements it by emitting a `prompt` event and waiting for the
 * `prompt:answer` command; the CLI answers on the terminal, the app in a dialog. Engine code never
 * touches a TTY or stderr.
 */
export interface Prompter {
  /**
   * Resolves with the answer (possibly `{ cancelled: true }`). Rejects with CANCELLED when `signal`
   * aborts; the prompt is then withdrawn from every client.
   */
  ask(prompt: PromptBody, context?: PromptContext, signal?: AbortSignal): Promise<PromptAnswer>;
  /** Shows something that needs no answer (a device code while MSAL polls); `close` withdraws it. */
  show(prompt: PromptBody, context?: PromptContext): { close(): void };
}

export interface PromptContext {
  jobId?: number;
  mailbox?: string;
}

/** For code run where nobody can answer (tests, --json without a terminal): every question is declined. */
export const decliningPrompter: Prompter = {
  ask: async (_prompt, _context, signal) => {
    signal?.throwIfAborted();
    return { promptId: 'none', cancelled: true };
  },
  show: () => ({ close: () => undefined }),
};
