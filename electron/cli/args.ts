import { parseArgs, type ParseArgsConfig } from 'node:util';

import { CloudwardError } from '../contract/error-catalogue.js';

/** Options that would put a secret into argv (shell history, process lists): refused with directions. */
const secretOptions = /^--?(password|pass|pwd|token|secret|client-secret|access-token)(=|$)/i;

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
export type Parsed<T extends OptionsConfig> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;

export function parse<T extends OptionsConfig>(args: string[], options: T, positionals = 0): Parsed<T> {
  const secret = args.find((arg) => secretOptions.test(arg));
  if (secret) {
    throw new CloudwardError(
      'BAD_ARGUMENTS',
      `${secret.split('=')[0]}: secrets are never taken from the command line; use the OS keychain or CLOUDWARD_SOURCE_PASSWORD / CLOUDWARD_TARGET_PASSWORD / CLOUDWARD_TARGET_TOKEN`,
    );
  }
  try {
    const parsed = parseArgs({ args, options, allowPositionals: positionals > 0, strict: true });
    if (parsed.positionals.length > positionals) {
      throw new CloudwardError('BAD_ARGUMENTS', `Unexpected argument "${parsed.positionals[positionals] ?? ''}"`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof CloudwardError) throw error;
    // Node's messages are clear but long; keep the first sentence.
    throw new CloudwardError('BAD_ARGUMENTS', (error as Error).message.split('. ')[0] ?? String(error));
  }
}

export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === '') throw new CloudwardError('BAD_ARGUMENTS', `${name} is required`);
  return value;
}

export function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new CloudwardError('BAD_ARGUMENTS', `${name} takes a whole number of at least 1, not "${value}"`);
  return number;
}
