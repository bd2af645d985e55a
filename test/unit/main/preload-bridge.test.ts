import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import type { DesktopBridge } from '../../../electron/contract/bridge.js';
import { eventChannel, requestChannel, savePdfChannel } from '../../../electron/main/ipc-channels.js';
import { repoRoot } from '../../support/fixtures.js';
import { fakeElectron } from './fake-electron.js';

let exposed: Record<string, unknown> | undefined;

describe('the preload bridge', () => {
  beforeAll(async () => {
    // Run the preload as Electron's sandbox does: CommonJS, and `require` knows only 'electron'.
    const source = readFileSync(join(repoRoot, 'electron/preload/preload.cts'), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    const sandboxRequire = (name: string): unknown => {
      if (name === 'electron') return fakeElectron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const module = { exports: {} };
    new Function('require', 'module', 'exports', outputText)(sandboxRequire, module, module.exports);
    expect(fakeElectron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    const [name, value] = fakeElectron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, Record<string, unknown>];
    expect(name).toBe('cloudward');
    exposed = value;
  });

  it('exposes exactly request, subscribe and savePdf, all functions', () => {
    expect(Object.keys(exposed ?? {}).sort()).toEqual(['request', 'savePdf', 'subscribe']);
    for (const key of ['request', 'subscribe', 'savePdf']) expect(typeof exposed?.[key]).toBe('function');
  });

  it('sends requests and PDF exports on the channels the main process listens to', async () => {
    const bridge = exposed as unknown as DesktopBridge;
    await bridge.request('jobs:list', {});
    expect(fakeElectron.ipcRenderer.invoke).toHaveBeenCalledWith(requestChannel, 'jobs:list', {});
    await bridge.savePdf('<html></html>', 'r.html');
    expect(fakeElectron.ipcRenderer.invoke).toHaveBeenCalledWith(savePdfChannel, '<html></html>', 'r.html');
  });

  it('hands listeners the payload only, never the IPC event, and unsubscribes', () => {
    const bridge = exposed as unknown as DesktopBridge;
    const listener = vi.fn();
    const unsubscribe = bridge.subscribe(listener);
    const [channel, forward] = fakeElectron.ipcRenderer.on.mock.calls.at(-1) as unknown as [string, (...args: unknown[]) => void];
    expect(channel).toBe(eventChannel);
    forward({ sender: 'the ipcRenderer event' }, { type: 'progress' });
    expect(listener).toHaveBeenCalledWith({ type: 'progress' });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(fakeElectron.ipcRenderer.removeListener).toHaveBeenCalledWith(eventChannel, forward);
  });
});
