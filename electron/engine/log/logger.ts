import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

/** Keys that can carry secrets anywhere in a log object; pino replaces them, by construction. */
export const redactedKeys = [
  'password',
  'pass',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'authorization',
  'Authorization',
  'clientSecret',
];

const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * Structured logs with a job and mailbox id on every line (child loggers). `destination` is a file
 * path; without one, logs are silent (the CLI prints its own lines). A log that cannot be written
 * (folder not creatable, disk full) never stops a migration: `onError` hears about it once, and the
 * job goes on without the file.
 */
export function createLogger(destination?: string, level = 'info', onError?: (message: string) => void): Logger {
  if (destination === undefined) return pino({ level: 'silent' });
  try {
    mkdirSync(dirname(destination), { recursive: true });
  } catch (error) {
    onError?.(`cannot write the log ${destination} (${(error as NodeJS.ErrnoException).code ?? String(error)}); continuing without it`);
    return pino({ level: 'silent' });
  }
  const stream = pino.destination({ dest: destination, sync: false });
  let told = false;
  // Without a listener an error on the stream is thrown from the event loop, ending the process.
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (told) return;
    told = true;
    onError?.(`cannot write the log ${destination} (${error.code ?? error.message}); continuing without it`);
  });
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { app: 'cloudward' } }, stream);
}
