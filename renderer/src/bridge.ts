import type { CloudwardBridge } from '../../electron/contract/ipc.js';

declare global {
  interface Window {
    /** Present only inside the desktop app (the preload exposes it); absent in browser mode. */
    readonly cloudward?: CloudwardBridge;
  }
}

export function findBridge(): CloudwardBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.cloudward;
}
