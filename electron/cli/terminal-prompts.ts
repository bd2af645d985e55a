import { createInterface } from 'node:readline';

import type { PromptAnswer, PromptEvent } from '../contract/index.js';
import type { CliIo } from './cli-io.js';
import { terminalPrompt } from './prompt.js';

/**
 * Answers the service's prompt events on the terminal, one at a time: a password is read without echo,
 * a device code is shown, a confirmation is asked y/N. Where nobody can answer (--json, no terminal)
 * every question is declined at once, so a script never hangs on a question it cannot see.
 */
export function terminalPrompts(io: CliIo, interactive: boolean, answer: (answer: PromptAnswer) => Promise<void>): (event: PromptEvent) => void {
  let queue: Promise<void> = Promise.resolve();
  return (event) => {
    queue = queue
      .then(() => handle(event, io, interactive))
      .then(async (result) => {
        if (result) await answer(result);
      })
      // A prompt withdrawn meanwhile (the job was cancelled) cannot be answered: nothing to do.
      .catch(() => undefined);
  };
}

async function handle(event: PromptEvent, io: CliIo, interactive: boolean): Promise<PromptAnswer | undefined> {
  const { prompt, promptId } = event;
  if (prompt.kind === 'device-code') {
    // Shown, not answered: the sign-in completes in the browser and the engine withdraws the prompt.
    io.stderr.write(`${prompt.message}\n`);
    return undefined;
  }
  const ask = interactive ? terminalPrompt() : undefined;
  if (!ask) return { promptId, cancelled: true };
  if (prompt.kind === 'secret') {
    const value = await ask(`${prompt.label}: `);
    return value === undefined || value === '' ? { promptId, cancelled: true } : { promptId, value };
  }
  const reply = await question(`${prompt.title}: ${prompt.message} [y/N] `);
  return /^y(es)?$/i.test(reply.trim()) ? { promptId } : { promptId, cancelled: true };
}

function question(text: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(text, (reply) => {
      rl.close();
      resolve(reply);
    });
  });
}
