import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';

import {
  type ErrorCode,
  ipcCommands,
  isErrorCode,
  isIpcCommand,
  type IpcCommand,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
} from '../contract/index.js';
import { isAppUrl } from './app-origin.js';
import { invokeChannel } from './ipc-channels.js';

export type CommandHandlers = {
  [C in IpcCommand]: (request: IpcRequest<C>) => Promise<IpcResponse<C>>;
};

/** Not in the error catalogue on purpose: no legitimate UI ever sees it, so no user text is needed. */
export const senderRejectedCode: ErrorCode = 'IPC_SENDER_REJECTED';

/**
 * Only the main frame of our own window, showing our own bundle, may call in. A sub-frame, a page
 * that navigated elsewhere, or any other webContents is refused.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, trusted: WebContents | undefined): boolean {
  if (trusted === undefined || trusted.isDestroyed() || event.sender.id !== trusted.id) return false;
  const frame = event.senderFrame;
  const main = trusted.mainFrame;
  if (frame === null || frame.parent !== null) return false;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}

function failure(code: ErrorCode, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

function describeError(error: unknown): IpcResult<never> {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return failure(typeof code === 'string' && isErrorCode(code) ? code : 'INTERNAL', message);
}

/**
 * One invoke handler for every command: check the sender, the command name and the payload against
 * the contract's schema, run the command, check its answer, and never throw across the bridge.
 */
export function createInvokeHandler(
  handlers: CommandHandlers,
  trustedContents: () => WebContents | undefined,
): (event: IpcMainInvokeEvent, command: unknown, request: unknown) => Promise<IpcResult<unknown>> {
  return async (event, command, request) => {
    if (!isTrustedSender(event, trustedContents())) {
      return failure(senderRejectedCode, 'This caller may not use the Cloudward bridge.');
    }
    if (!isIpcCommand(command)) return failure('BAD_ARGUMENTS', `Unknown command: ${String(command).slice(0, 60)}`);
    const schemas = ipcCommands[command];
    const parsed = schemas.request.safeParse(request);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      return failure('IPC_INVALID_REQUEST', `Invalid request for ${command}${where}: ${issue?.message ?? 'rejected'}`);
    }
    try {
      const handler = handlers[command] as (request: unknown) => Promise<unknown>;
      const value = schemas.response.safeParse(await handler(parsed.data));
      if (!value.success) return failure('INTERNAL', `The answer to ${command} did not match the contract.`);
      return { ok: true, value: value.data };
    } catch (error) {
      return describeError(error);
    }
  };
}

export function registerIpcHandlers(
  ipcMain: IpcMain,
  handlers: CommandHandlers,
  trustedContents: () => WebContents | undefined,
): void {
  ipcMain.handle(invokeChannel, createInvokeHandler(handlers, trustedContents));
}
