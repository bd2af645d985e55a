import { readAutocomplete } from '../engine/autocomplete/index.js';
import { createLiveHost } from '../../native/src/live-host.js';
import { createDiscoveryHandlers, type DiscoveryHandlers } from '../../native/src/outlook-discovery-handlers.js';
import { createLiveDiscoveryHost } from '../../native/src/outlook-discovery-host.js';

/** Discovery composed for this PC: the live host on Windows (none elsewhere), entries counted by the engine's reader. */
export function outlookDiscoveryHandlers(platform: NodeJS.Platform = process.platform): DiscoveryHandlers {
  return createDiscoveryHandlers({
    host: platform === 'win32' ? () => createLiveDiscoveryHost(createLiveHost()) : undefined,
    countAutocompleteEntries: (bytes, path) => readAutocomplete(bytes, path).entries.length,
  });
}
