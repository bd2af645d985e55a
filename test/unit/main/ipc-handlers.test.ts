import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { invokeChannel } from '../../../electron/main/ipc-channels.js';
import { registerIpcHandlers, senderRejectedCode, type CommandHandlers } from '../../../electron/main/ipc-handlers.js';
import { FakeWebContents, type FakeFrame } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

type Invoke = (event: IpcMainInvokeEvent, command: unknown, request: unknown) => Promise<unknown>;

/** Registers the handlers on a fake ipcMain and returns the one function Electron would call. */
function setUp(handlers: Partial<CommandHandlers> = {}) {
  const window = new FakeWebContents();
  const handle = vi.fn();
  const all: CommandHandlers = {
    'app:info': async () => ({ version: '0.1.0', platform: 'win32' }),
    'job:status': async () => ({ jobs: [] }),
    ...handlers,
  };
  registerIpcHandlers({ handle } as unknown as IpcMain, all, () => window as unknown as WebContents);
  expect(handle).toHaveBeenCalledTimes(1);
  expect(handle.mock.calls[0]?.[0]).toBe(invokeChannel);
  const invoke = handle.mock.calls[0]?.[1] as Invoke;
  const eventFrom = (sender: FakeWebContents, frame: FakeFrame | null) =>
    ({ sender, senderFrame: frame }) as unknown as IpcMainInvokeEvent;
  return { window, invoke, eventFrom, own: eventFrom(window, window.mainFrame) };
}

describe('IPC: the invoke handler', () => {
  it('answers { ok: true, value } to a valid call from our window', async () => {
    const { invoke, own } = setUp();
    expect(await invoke(own, 'app:info', {})).toEqual({ ok: true, value: { version: '0.1.0', platform: 'win32' } });
  });

  it('passes the validated request to the command', async () => {
    const status = vi.fn(async () => ({ jobs: [] }));
    const { invoke, own } = setUp({ 'job:status': status });
    expect(await invoke(own, 'job:status', { ledger: '/tmp/l.sqlite' })).toEqual({ ok: true, value: { jobs: [] } });
    expect(status).toHaveBeenCalledWith({ ledger: '/tmp/l.sqlite' });
  });

  it('rejects payloads that fail the contract schema without running the command', async () => {
    const status = vi.fn(async () => ({ jobs: [] }));
    const { invoke, own } = setUp({ 'job:status': status });
    for (const bad of [{ ledger: 42 }, { ledger: '' }, { ledger: 'x', extra: true }, null, 'text', undefined]) {
      const result = (await invoke(own, 'job:status', bad)) as { ok: boolean; error: { code: string } };
      expect(result.ok, JSON.stringify(bad)).toBe(false);
      expect(result.error.code).toBe('IPC_INVALID_REQUEST');
    }
    expect(status).not.toHaveBeenCalled();
  });

  it('rejects unknown commands, including inherited property names', async () => {
    const { invoke, own } = setUp();
    for (const command of ['app:quit', '__proto__', 'toString', 42]) {
      expect(await invoke(own, command, {})).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENTS' } });
    }
  });

  it('rejects a call from another webContents', async () => {
    const { invoke, eventFrom } = setUp();
    const stranger = new FakeWebContents();
    expect(await invoke(eventFrom(stranger, stranger.mainFrame), 'app:info', {})).toMatchObject({
      ok: false,
      error: { code: senderRejectedCode },
    });
  });

  it('rejects a call from a sub-frame of our window', async () => {
    const { window, invoke, eventFrom } = setUp();
    const child: FakeFrame = { url: 'app://cloudward/index.html', processId: 7, routingId: 999, parent: window.mainFrame };
    expect(await invoke(eventFrom(window, child), 'app:info', {})).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
  });

  it('rejects a call from our main frame once it shows another origin', async () => {
    const { window, invoke, own } = setUp();
    for (const url of ['https://evil.example/', 'file:///tmp/index.html', 'app://other/index.html', 'app://x@cloudward/']) {
      window.mainFrame.url = url;
      expect(await invoke(own, 'app:info', {}), url).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
    }
  });

  it('rejects a call whose frame is gone, or after the window was destroyed', async () => {
    const { window, invoke, eventFrom, own } = setUp();
    expect(await invoke(eventFrom(window, null), 'app:info', {})).toMatchObject({ ok: false });
    window.destroyed = true;
    expect(await invoke(own, 'app:info', {})).toMatchObject({ ok: false, error: { code: senderRejectedCode } });
  });

  it('turns a thrown error into { ok: false } with its catalogue code instead of throwing', async () => {
    const { invoke, own } = setUp({
      'job:status': async () => {
        throw new CloudwardError('LEDGER_FAILED', 'Cannot open the ledger');
      },
    });
    expect(await invoke(own, 'job:status', {})).toEqual({
      ok: false,
      error: { code: 'LEDGER_FAILED', message: 'Cannot open the ledger' },
    });
  });

  it('does not pass on an answer that breaks the contract', async () => {
    const { invoke, own } = setUp({ 'app:info': async () => ({ version: 1 }) as unknown as { version: string; platform: string } });
    expect(await invoke(own, 'app:info', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
