import type { DesktopBridge } from '../../../electron/contract/bridge.js';
import { errorFromInfo, Listeners, requestThrough, type ServiceClient } from './service-client.js';

/** The desktop app: the preload's window.cloudward, which the main process guards. */
export function createBridgeClient(bridge: DesktopBridge): ServiceClient {
  const listeners = new Listeners();
  let unsubscribe: (() => void) | undefined;
  const transport = (command: string, payload: unknown) => bridge.request(command, payload);
  return {
    host: 'electron',
    request: (command, payload) => requestThrough(transport, command, payload),
    subscribe(listener) {
      unsubscribe ??= bridge.subscribe((event) => listeners.emit(event));
      const remove = listeners.add(listener);
      return () => {
        remove();
        if (listeners.size === 0) {
          unsubscribe?.();
          unsubscribe = undefined;
        }
      };
    },
    async savePdf(html, fileName) {
      const result = await bridge.savePdf(html, fileName);
      if (!result.ok) throw errorFromInfo(result.error);
      return result.value;
    },
  };
}
