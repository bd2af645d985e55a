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
 * path; without one, logs are silent (the CLI prints its own lines).
 */
export function createLogger(destination?: string, level = 'info'): Logger {
  if (destination === undefined) return pino({ level: 'silent' });
  return pino(
    { level, redact: { paths: redactPaths, censor: '[redacted]' }, base: { app: 'cloudward' } },
    pino.destination({ dest: destination, mkdir: true, sync: false }),
  );
}
