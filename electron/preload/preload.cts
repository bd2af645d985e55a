import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import type { CloudwardBridge } from '../contract/ipc.js';

/*
 * A sandboxed preload can require only 'electron' and a few built-ins, so nothing from the contract
 * is imported at runtime: the main side validates every call against the contract's schemas. These
 * literals equal electron/main/ipc-channels.ts (test/unit/main/preload-bridge.test.ts checks it).
 */
const invokeChannel = 'cloudward:invoke';
const jobEventChannel = 'job:event';

const bridge: CloudwardBridge = {
  invoke: (command, request) => ipcRenderer.invoke(invokeChannel, command, request),
  on: (channel, listener) => {
    if (channel !== jobEventChannel) throw new Error(`Unknown event channel: ${String(channel)}`);
    // The renderer gets the payload only, never the IpcRendererEvent (it exposes `sender`).
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(jobEventChannel, forward);
    return () => {
      ipcRenderer.removeListener(jobEventChannel, forward);
    };
  },
};

contextBridge.exposeInMainWorld('cloudward', bridge);
