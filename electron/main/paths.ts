import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/**
 * Where the built pieces sit relative to this compiled file (build/out/electron/main/). The same
 * layout is packed into app.asar, so these hold in development and in the installed app.
 */
const here = dirname(fileURLToPath(import.meta.url));

export const builtPaths = {
  preload: join(here, '../preload/preload.cjs'),
  rendererRoot: join(here, '../../renderer'),
  engineEntry: join(here, '../cli/utility-entry.js'),
} as const;
