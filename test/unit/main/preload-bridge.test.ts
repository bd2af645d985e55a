import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it, vi } from 'vitest';

import type { CloudwardBridge } from '../../../electron/contract/ipc.js';
import { invokeChannel, jobEventChannel } from '../../../electron/main/ipc-channels.js';
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

  it('exposes exactly invoke and on, both functions', () => {
    expect(Object.keys(exposed ?? {}).sort()).toEqual(['invoke', 'on']);
    expect(typeof exposed?.invoke).toBe('function');
    expect(typeof exposed?.on).toBe('function');
  });

  it('sends every command on the channel the main process listens to', async () => {
    const bridge = exposed as unknown as CloudwardBridge;
    await bridge.invoke('app:info', {});
    expect(fakeElectron.ipcRenderer.invoke).toHaveBeenCalledWith(invokeChannel, 'app:info', {});
  });

  it('hands listeners the payload only, never the IPC event, and unsubscribes', () => {
    const bridge = exposed as unknown as CloudwardBridge;
    const listener = vi.fn();
    const unsubscribe = bridge.on('job:event', listener);
    const [channel, forward] = fakeElectron.ipcRenderer.on.mock.calls.at(-1) as unknown as [string, (...args: unknown[]) => void];
    expect(channel).toBe(jobEventChannel);
    forward({ sender: 'the ipcRenderer event' }, { type: 'progress' });
    expect(listener).toHaveBeenCalledWith({ type: 'progress' });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(fakeElectron.ipcRenderer.removeListener).toHaveBeenCalledWith(jobEventChannel, forward);
  });

  it('refuses to subscribe to any other channel', () => {
    const bridge = exposed as unknown as { on: (channel: string, listener: () => void) => void };
    expect(() => bridge.on('app:secret', () => undefined)).toThrow(/Unknown event channel/);
  });
});
