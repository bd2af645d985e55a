import { randomUUID } from 'node:crypto';

import { CloudwardError, type PromptAnswer, type PromptBody, type PromptEvent, type ServiceEvent } from '../../contract/index.js';
import type { PromptContext, Prompter } from '../prompts/prompter.js';

interface Waiting {
  readonly event: PromptEvent;
  readonly settle?: (answer: PromptAnswer) => void;
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
    const event = this.event(prompt, context);
    return new Promise<PromptAnswer>((resolve, reject) => {
      const onAbort = (): void => {
        if (!this.open.delete(event.promptId)) return;
        this.publish({ type: 'prompt-closed', promptId: event.promptId, outcome: 'withdrawn' });
        reject(new CloudwardError('CANCELLED', 'The question was withdrawn because the job was cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.open.set(event.promptId, {
        event,
        settle: (answer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
      });
      this.publish(event);
    });
  }

  show(prompt: PromptBody, context?: PromptContext): { close(): void } {
    const event = this.event(prompt, context);
    this.open.set(event.promptId, { event });
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
    waiting.settle?.(answer);
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
