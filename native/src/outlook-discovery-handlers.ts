import type { discoveryCommands, ServiceHandlers } from '../../electron/contract/index.js';
import { discoverOutlookFiles, type DiscoveryOptions } from './outlook-discovery.js';
import type { DiscoveryHost } from './outlook-discovery-host.js';

export type DiscoveryHandlers = Pick<ServiceHandlers, keyof typeof discoveryCommands>;

export interface DiscoveryDeps extends DiscoveryOptions {
  /** This PC; undefined where it is not Windows (the answer is then platformSupported: false). */
  host: (() => DiscoveryHost) | undefined;
}

/** The discovery room's service handlers: Outlook's files on this PC for the wizard. */
export function createDiscoveryHandlers(deps: DiscoveryDeps): DiscoveryHandlers {
  return {
    async 'outlook:discover'() {
      if (!deps.host) return { platformSupported: false, profiles: [], files: [] };
      return discoverOutlookFiles(deps.host(), deps);
    },
  };
}
