import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import type { DesktopBridge } from '../contract/bridge.js';

/*
 * A sandboxed preload can require only 'electron' and a few built-ins, so nothing from the contract
 * is imported at runtime: the main side validates every call against the contract's schemas. These
 * literals equal electron/main/ipc-channels.ts (test/unit/main/preload-bridge.test.ts checks it).
 */
const requestChannel = 'cloudward:request';
const eventChannel = 'cloudward:event';
const savePdfChannel = 'cloudward:save-pdf';

const bridge: DesktopBridge = {
  request: (command, payload) => ipcRenderer.invoke(requestChannel, command, payload),
  subscribe: (listener) => {
    // The renderer gets the payload only, never the IpcRendererEvent (it exposes `sender`).
    const forward = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(eventChannel, forward);
    return () => {
      ipcRenderer.removeListener(eventChannel, forward);
    };
  },
  savePdf: (html, fileName) => ipcRenderer.invoke(savePdfChannel, html, fileName),
};

contextBridge.exposeInMainWorld('cloudward', bridge);
