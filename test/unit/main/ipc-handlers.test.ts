import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';

import type { ServiceResult } from '../../../electron/contract/index.js';
import { requestChannel, savePdfChannel } from '../../../electron/main/ipc-channels.js';
import { registerIpcHandlers, senderRejectedCode, type ForwardRequest, type SavePdf } from '../../../electron/main/ipc-handlers.js';
import { FakeWebContents, type FakeFrame } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

type Invoke = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<ServiceResult>;

const info = { version: '0.1.0', platform: 'win32', ledger: 'C:\\ledger.sqlite', host: 'electron' };

/** Registers the handlers on a fake ipcMain and returns the functions Electron would call. */
function setUp(forward: ForwardRequest = async () => ({ ok: true, value: info }), savePdf: SavePdf = async () => ({ saved: true })) {
  const window = new FakeWebContents();
  const handle = vi.fn();
  const forwarded = vi.fn(forward);
  registerIpcHandlers({ handle } as unknown as IpcMain, forwarded, savePdf, () => window as unknown as WebContents);
  const channels = new Map(handle.mock.calls.map(([channel, fn]) => [channel as string, fn as Invoke]));
  expect([...channels.keys()].sort()).toEqual([requestChannel, savePdfChannel].sort());
  const eventFrom = (sender: FakeWebContents, frame: FakeFrame | null) => ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
  return { window, request: channels.get(requestChannel)!, savePdf: channels.get(savePdfChannel)!, forwarded, eventFrom, own: eventFrom(window, window.mainFrame) };
}

describe('IPC: service requests from the window', () => {
  it('forwards a valid request from our window and returns the engine\'s answer', async () => {
    const { request, own, forwarded } = setUp();
    expect(await request(own, 'app:info', {})).toEqual({ ok: true, value: info });
    expect(forwarded).toHaveBeenCalledWith('app:info', {});
  });

  it('forwards the payload as the contract parsed it (defaults filled in)', async () => {
    const { request, own, forwarded } = setUp(async () => ({ ok: true, value: { items: [], total: 0 } }));
    expect(await request(own, 'mailbox:issues', { mailboxId: 3 })).toEqual({ ok: true, value: { items: [], total: 0 } });
    expect(forwarded).toHaveBeenCalledWith('mailbox:issues', { mailboxId: 3, offset: 0, limit: 100 });
  });

  it('rejects payloads that break the contract without reaching the engine', async () => {
    const { request, own, forwarded } = setUp();
    for (const bad of [{ jobId: 'one' }, { jobId: 1, extra: true }, null, 'text', undefined, { jobId: 1.5 }]) {
      const result = await request(own, 'job:status', bad);
      expect(result.ok, JSON.stringify(bad)).toBe(false);
      expect(result).toMatchObject({ error: { code: 'IPC_INVALID_REQUEST', retryable: false } });
    }
    expect(forwarded).not.toHaveBeenCalled();
  });

  it('rejects unknown commands, including inherited property names and the legacy ones', async () => {
    const { request, own, forwarded } = setUp();
    for (const command of ['app:quit', '__proto__', 'toString', 42, 'constructor']) {
      expect(await request(own, command, {})).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
    }
    expect(forwarded).not.toHaveBeenCalled();
  });

  it('rejects a call from another webContents, a sub-frame, another origin, a gone frame or a destroyed window', async () => {
    const { window, request, eventFrom, own, forwarded } = setUp();
    const stranger = new FakeWebContents();
    expect(await request(eventFrom(stranger, stranger.mainFrame), 'app:info', {})).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    const child: FakeFrame = { url: 'app://cloudward/index.html', processId: 7, routingId: 999, parent: window.mainFrame };
    expect(await request(eventFrom(window, child), 'app:info', {})).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    expect(await request(eventFrom(window, null), 'app:info', {})).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    for (const url of ['https://evil.example/', 'file:///tmp/index.html', 'app://other/index.html', 'app://x@cloudward/', 'http://127.0.0.1:5178/']) {
      window.mainFrame.url = url;
      expect(await request(own, 'app:info', {}), url).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    }
    window.mainFrame.url = 'app://cloudward/index.html';
    window.destroyed = true;
    expect(await request(own, 'app:info', {})).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    expect(forwarded).not.toHaveBeenCalled();
  });

  it('passes the engine\'s errors through unchanged', async () => {
    const failure: ServiceResult = { ok: false, error: { code: 'LEDGER_FAILED', message: 'Cannot open the ledger', retryable: false } };
    const { request, own } = setUp(async () => failure);
    expect(await request(own, 'jobs:list', {})).toEqual(failure);
  });

  it('does not pass on an engine answer that breaks the contract', async () => {
    const { request, own } = setUp(async () => ({ ok: true, value: { version: 1 } }));
    expect(await request(own, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('IPC: save as PDF', () => {
  it('prints for our window only, with string arguments only', async () => {
    const saved = vi.fn<SavePdf>(async () => ({ saved: true }));
    const { savePdf, own, window, eventFrom } = setUp(undefined, saved);
    expect(await savePdf(own, '<html></html>', 'report.html')).toEqual({ ok: true, value: { saved: true } });
    expect(saved).toHaveBeenCalledWith(window, '<html></html>', 'report.html');
    const stranger = new FakeWebContents();
    expect(await savePdf(eventFrom(stranger, stranger.mainFrame), '<html></html>', 'x')).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    expect(await savePdf(own, { html: 1 }, 'x')).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
    expect(await savePdf(own, '<html></html>', 'x'.repeat(500))).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_REQUEST' } });
    expect(saved).toHaveBeenCalledTimes(1);
  });
});
