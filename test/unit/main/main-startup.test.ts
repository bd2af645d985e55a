import { describe, expect, it, vi } from 'vitest';

import { FakeUtilityProcess } from './fake-electron.js';
import { requestChannel, savePdfChannel } from '../../../electron/main/ipc-channels.js';
import { fakeElectron, FakeBrowserWindow, fakeSession } from './fake-electron.js';

/** main.ts as Electron starts it: scheme before ready, then session locks, protocol, IPC and the window. */
const order: string[] = [];
const { session } = fakeSession();
const app = {
  enableSandbox: vi.fn(() => order.push('enableSandbox')),
  requestSingleInstanceLock: vi.fn(() => true),
  whenReady: vi.fn(async () => {
    order.push('ready');
  }),
  on: vi.fn(),
  quit: vi.fn(),
  getVersion: () => '0.1.0',
};

vi.mock('electron', async () => {
  const { fakeElectron: base } = await import('./fake-electron.js');
  return { ...base, app, session: { defaultSession: session } };
});

describe('electron/main/main.ts', () => {
  it('registers the app scheme and the sandbox before ready, then opens one locked-down window', async () => {
    fakeElectron.protocol.registerSchemesAsPrivileged.mockImplementation(() => order.push('registerScheme'));
    await import('../../../electron/main/main.js');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    expect(order.slice(0, 3)).toEqual(['registerScheme', 'enableSandbox', 'ready']);
    expect(fakeElectron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(fakeElectron.ipcMain.handle).toHaveBeenCalledWith(requestChannel, expect.any(Function));
    expect(fakeElectron.ipcMain.handle).toHaveBeenCalledWith(savePdfChannel, expect.any(Function));
    const window = FakeBrowserWindow.created[0]!;
    expect(window.loadURL).toHaveBeenCalledWith('app://cloudward/index.html');
    expect((window.options.webPreferences as { preload: string }).preload).toMatch(/preload[/\\]preload\.cjs$/);
    expect(window.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(app.on).toHaveBeenCalledWith('window-all-closed', expect.any(Function));
  });

  it('forwards a request from its own window to the engine process as an envelope', async () => {
    const call = fakeElectron.ipcMain.handle.mock.calls.find(([channel]) => channel === requestChannel);
    const request = call?.[1] as (event: unknown, command: unknown, payload: unknown) => Promise<unknown>;
    const contents = FakeBrowserWindow.created[0]!.webContents;
    const answer = request({ sender: contents, senderFrame: contents.mainFrame }, 'jobs:list', {});
    await vi.waitFor(() => expect(FakeUtilityProcess.forked.at(-1)?.postMessage).toHaveBeenCalled());
    const child = FakeUtilityProcess.forked.at(-1)!;
    expect(child.modulePath).toMatch(/cli[/\\]utility-entry\.js$/);
    const sent = child.postMessage.mock.calls.at(-1)?.[0] as { id: number; command: string };
    expect(sent).toMatchObject({ v: 1, kind: 'request', command: 'jobs:list' });
    child.emit('message', { v: 1, kind: 'reply', id: sent.id, result: { ok: true, value: { jobs: [] } } });
    expect(await answer).toEqual({ ok: true, value: { jobs: [] } });
  });
});
