import type { DesktopBridge } from '../../../electron/contract/bridge.js';
import { createBridgeClient } from './bridge-client.js';
import { createHttpClient, tokenFromHash } from './http-client.js';
import type { ServiceClient } from './service-client.js';

declare global {
  interface Window {
    /** Present only inside the desktop app (the preload exposes it); absent in browser mode. */
    readonly cloudward?: DesktopBridge;
  }
}

export type ClientLookup = { kind: 'ready'; client: ServiceClient } | { kind: 'no-token' };

/** The desktop bridge when the preload put one there, otherwise the browser-mode host with the URL's token. */
export function findClient(): ClientLookup {
  if (window.cloudward !== undefined) return { kind: 'ready', client: createBridgeClient(window.cloudward) };
  const token = tokenFromHash(window.location.hash);
  return token === undefined ? { kind: 'no-token' } : { kind: 'ready', client: createHttpClient({ token }) };
}
