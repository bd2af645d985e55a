import { createInterface } from 'node:readline';

/**
 * Asks for a secret on the terminal without echoing it. Undefined when there is no terminal to ask
 * (scripts, CI): the caller then says where the secret could come from instead of hanging.
 */
export function terminalPrompt(): ((question: string) => Promise<string | undefined>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return (question) =>
    new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      const output = rl as unknown as { _writeToOutput: (text: string) => void };
      process.stderr.write(question);
      output._writeToOutput = () => undefined;
      rl.question('', (answer) => {
        rl.close();
        process.stderr.write('\n');
        resolve(answer);
      });
    });
}
