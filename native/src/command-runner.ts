import { spawn } from 'node:child_process';

import { CloudwardError } from '../../electron/contract/index.js';
import type { CommandResult } from './windows-host.js';

/** Runs a program with an argument vector: never a shell, always a time limit and an output cap. */
export interface CommandRunner {
  run(program: string, args: readonly string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<CommandResult>;
}

const defaultTimeoutMs = 60_000;
const maxOutputBytes = 32 * 1024 * 1024;

/** Console programs print UTF-8 (PowerShell told to) or the OEM code page (reg, cscript): keep both readable. */
function decode(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  const utf8 = bytes.toString('utf8');
  return utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8.replace(/^\uFEFF/, '');
}

export function createProcessRunner(): CommandRunner {
  return {
    run(program, args, options = {}) {
      const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
      return new Promise<CommandResult>((resolve, reject) => {
        const child = spawn(program, [...args], {
          shell: false,
          windowsHide: true,
          stdio: ['ignore', 'pipe', 'pipe'],
          env: options.env === undefined ? process.env : { ...process.env, ...options.env },
        });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let size = 0;
        let failure: CloudwardError | undefined;
        const stop = (error: CloudwardError): void => {
          failure ??= error;
          child.kill('SIGKILL');
        };
        const timer = setTimeout(() => stop(new CloudwardError('COMMAND_FAILED', `${program} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`, { retryable: true })), timeoutMs);
        const collect = (into: Buffer[]) => (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxOutputBytes) stop(new CloudwardError('COMMAND_FAILED', `${program} printed more than ${maxOutputBytes / 1024 / 1024} MB and was stopped`));
          else into.push(chunk);
        };
        child.stdout.on('data', collect(stdout));
        child.stderr.on('data', collect(stderr));
        child.on('error', (error: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          reject(new CloudwardError('COMMAND_FAILED', error.code === 'ENOENT' ? `${program} was not found on this PC` : `${program} could not be started: ${error.message}`, { cause: error }));
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          if (failure !== undefined) return reject(failure);
          resolve({ exitCode: code ?? (signal === null ? 1 : 128), stdout: decode(Buffer.concat(stdout)), stderr: decode(Buffer.concat(stderr)) });
        });
      });
    },
  };
}
