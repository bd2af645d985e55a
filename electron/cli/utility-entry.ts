import { existsSync } from 'node:fs';

import { ipcCommands, isErrorCode, isIpcCommand, type IpcResponse, type IpcResult } from '../contract/index.js';
import { Ledger } from '../engine/index.js';
import { defaultLedger } from './data-paths.js';

/**
 * Entry point of the Electron utility process (forked by electron/main/engine-host.ts). It is the
 * only place the desktop app reaches the engine; main cannot import it. Message shapes mirror
 * engine-host.ts. This file imports nothing from Electron: `process.parentPort` is all it needs.
 * With no ledger named, it reads the same default ledger as the `cloudward` command (data-paths.ts).
 */
interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
interface RequestMessage {
  type: 'request';
  id: number;
  command: string;
  request: unknown;
}

function isRequestMessage(value: unknown): value is RequestMessage {
  const message = value as Partial<RequestMessage> | null;
  return message?.type === 'request' && typeof message.id === 'number' && typeof message.command === 'string';
}

function jobStatus(ledgerFile: string): IpcResponse<'job:status'> {
  // A status query must not create a ledger: no file simply means no jobs yet.
  if (!existsSync(ledgerFile)) return { jobs: [] };
  const ledger = Ledger.open(ledgerFile);
  try {
    return {
      jobs: ledger.jobs().map((job) => {
        const { done, skipped, failed, pending } = ledger.jobCounts(job.id);
        return { id: job.id, source: job.source, target: job.target, done, skipped, failed, pending };
      }),
    };
  } finally {
    ledger.close();
  }
}

async function answer(message: RequestMessage): Promise<IpcResult<unknown>> {
  if (!isIpcCommand(message.command)) {
    return { ok: false, error: { code: 'BAD_ARGUMENTS', message: `Unknown command: ${message.command}` } };
  }
  try {
    switch (message.command) {
      case 'job:status': {
        const request = ipcCommands['job:status'].request.safeParse(message.request);
        if (!request.success) return { ok: false, error: { code: 'BAD_ARGUMENTS', message: 'Invalid job:status request' } };
        return { ok: true, value: jobStatus(request.data.ledger ?? defaultLedger(process.env)) };
      }
      default:
        return { ok: false, error: { code: 'BAD_ARGUMENTS', message: `${message.command} is not an engine command` } };
    }
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      ok: false,
      error: {
        code: typeof code === 'string' && isErrorCode(code) ? code : 'INTERNAL',
        message: error instanceof Error ? error.message : String(error),
      },
    };
  }
}

const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (port === undefined) {
  console.error('utility-entry runs only inside an Electron utility process.');
  process.exitCode = 2;
} else {
  port.on('message', ({ data }) => {
    if (!isRequestMessage(data)) return;
    void answer(data).then((result) => port.postMessage({ type: 'reply', id: data.id, result }));
  });
}
