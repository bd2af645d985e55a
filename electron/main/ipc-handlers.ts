import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';

import {
  type ErrorCode,
  isServiceCommand,
  parseRequest,
  parseResponse,
  toCloudwardError,
  type ServiceResult,
} from '../contract/index.js';
import { isAppUrl } from './app-origin.js';
import { requestChannel, savePdfChannel } from './ipc-channels.js';

/** Sends a validated request on to the engine; never rejects. */
export type ForwardRequest = (command: string, payload: unknown) => Promise<ServiceResult>;
export type SavePdf = (contents: WebContents, html: string, fileName: string) => Promise<{ saved: boolean }>;

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

function failure(error: unknown, fallback: ErrorCode = 'INTERNAL'): ServiceResult<never> {
  return { ok: false, error: toCloudwardError(error, fallback).toInfo() };
}

const rejected = (): ServiceResult<never> => ({
  ok: false,
  error: { code: senderRejectedCode, message: 'This caller may not use the Cloudward bridge.', retryable: false },
});

/**
 * One handler for every service command: check the sender, the command name and the payload against
 * the routing table, forward it to the engine, check the engine's answer too (a compromised or buggy
 * engine must not feed the window something outside the contract), and never throw across the bridge.
 */
export function createRequestHandler(
  forward: ForwardRequest,
  trustedContents: () => WebContents | undefined,
): (event: IpcMainInvokeEvent, command: unknown, payload: unknown) => Promise<ServiceResult> {
  return async (event, command, payload) => {
    if (!isTrustedSender(event, trustedContents())) return rejected();
    if (!isServiceCommand(command)) {
      return failure(new Error(`Unknown command: ${String(command).slice(0, 60)}`), 'IPC_INVALID_REQUEST');
    }
    let request: unknown;
    try {
      request = parseRequest(command, payload);
    } catch (error) {
      return failure(error, 'IPC_INVALID_REQUEST');
    }
    const result = await forward(command, request);
    if (!result.ok) return result;
    try {
      return { ok: true, value: parseResponse(command, result.value) };
    } catch (error) {
      return failure(error);
    }
  };
}

const maxReportChars = 64 * 1024 * 1024;

/** The desktop-only PDF export: the same sender check, plain string arguments with a size cap. */
export function createSavePdfHandler(
  savePdf: SavePdf,
  trustedContents: () => WebContents | undefined,
): (event: IpcMainInvokeEvent, html: unknown, fileName: unknown) => Promise<ServiceResult<{ saved: boolean }>> {
  return async (event, html, fileName) => {
    const trusted = trustedContents();
    if (!isTrustedSender(event, trusted) || trusted === undefined) return rejected();
    if (typeof html !== 'string' || html.length > maxReportChars || typeof fileName !== 'string' || fileName.length > 200) {
      return failure(new Error('save-pdf takes an HTML report and a file name.'), 'IPC_INVALID_REQUEST');
    }
    try {
      return { ok: true, value: await savePdf(trusted, html, fileName) };
    } catch (error) {
      return failure(error);
    }
  };
}

export function registerIpcHandlers(
  ipcMain: IpcMain,
  forward: ForwardRequest,
  savePdf: SavePdf,
  trustedContents: () => WebContents | undefined,
): void {
  ipcMain.handle(requestChannel, createRequestHandler(forward, trustedContents));
  ipcMain.handle(savePdfChannel, createSavePdfHandler(savePdf, trustedContents));
}
