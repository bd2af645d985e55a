import { randomUUID } from 'node:crypto';

import { CloudwardError, type PromptAnswer, type PromptBody, type PromptEvent, type ServiceEvent } from '../../contract/index.js';
import type { PromptContext, Prompter } from '../prompts/prompter.js';

interface Asker {
  settle(answer: PromptAnswer): void;
}
interface Waiting {
  readonly event: PromptEvent;
  /** Who waits for the answer; empty for a `show`. */
  readonly askers: Set<Asker>;
  /** A secret question's role, account and job: another ask for the same secret joins this one. */
  readonly secret?: string;
}

/** One question per secret (and job) at a time: plans, connections and jobs that need it at once share it. */
function secretKey(prompt: PromptBody, context: PromptContext | undefined): string | undefined {
  return prompt.kind === 'secret' ? JSON.stringify([prompt.role, prompt.account, context?.jobId ?? null]) : undefined;
}

/**
 * The service's Prompter: a question becomes a 'prompt' event for every client; the first
 * 'prompt:answer' settles it and every client is told to close it ('prompt-closed'). Prompts still
 * open are listed for a window that reloads ('prompts:open').
 */
export class ServicePrompter implements Prompter {
  private readonly open = new Map<string, Waiting>();
  private closed = false;

  constructor(private readonly publish: (event: ServiceEvent) => void) {}

  ask(prompt: PromptBody, context?: PromptContext, signal?: AbortSignal): Promise<PromptAnswer> {
    signal?.throwIfAborted();
    if (this.closed) return Promise.resolve({ promptId: 'closed', cancelled: true });
    const secret = secretKey(prompt, context);
    const joined = secret === undefined ? undefined : [...this.open.values()].find((waiting) => waiting.secret === secret);
    const waiting: Waiting = joined ?? { event: this.event(prompt, context), askers: new Set(), ...(secret !== undefined ? { secret } : {}) };
    const { promptId } = waiting.event;
    return new Promise<PromptAnswer>((resolve, reject) => {
      const asker: Asker = {
        settle: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      };
      // A cancelled asker stops waiting; the question is withdrawn only when nobody waits for it any more.
      const onAbort = (): void => {
        if (!waiting.askers.delete(asker)) return;
        reject(new CloudwardError('CANCELLED', 'The question was withdrawn because the job was cancelled'));
        if (waiting.askers.size === 0 && this.open.delete(promptId)) this.publish({ type: 'prompt-closed', promptId, outcome: 'withdrawn' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.askers.add(asker);
      if (!joined) {
        this.open.set(promptId, waiting);
        this.publish(waiting.event);
      }
    });
  }

  show(prompt: PromptBody, context?: PromptContext): { close(): void } {
    const event = this.event(prompt, context);
    this.open.set(event.promptId, { event, askers: new Set() });
    this.publish(event);
    return {
      close: () => {
        if (this.open.delete(event.promptId)) this.publish({ type: 'prompt-closed', promptId: event.promptId, outcome: 'withdrawn' });
      },
    };
  }

  answer(answer: PromptAnswer): void {
    const waiting = this.open.get(answer.promptId);
    if (!waiting) throw new CloudwardError('JOB_NOT_FOUND', `No open question ${answer.promptId} (answered already, or withdrawn)`);
    this.open.delete(answer.promptId);
    this.publish({ type: 'prompt-closed', promptId: answer.promptId, outcome: answer.cancelled ? 'cancelled' : 'answered' });
    for (const asker of [...waiting.askers]) asker.settle(answer);
  }

  openPrompts(): PromptEvent[] {
    return [...this.open.values()].map((waiting) => waiting.event);
  }

  /** Everything still open is declined (the service is closing). */
  declineAll(): void {
    this.closed = true;
    for (const promptId of [...this.open.keys()]) this.answer({ promptId, cancelled: true });
  }

  private event(prompt: PromptBody, context: PromptContext | undefined): PromptEvent {
    return {
      type: 'prompt',
      promptId: randomUUID(),
      ...(context?.jobId !== undefined ? { jobId: context.jobId } : {}),
      ...(context?.mailbox !== undefined ? { mailbox: context.mailbox } : {}),
      prompt,
    };
  }
}
