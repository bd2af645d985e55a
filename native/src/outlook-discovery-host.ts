import { promises as fs } from 'node:fs';
import { win32 } from 'node:path';

import type { RegistryKeyDump, RegistryValue, WindowsHost } from './windows-host.js';

/** A file as a folder listing shows it. */
export interface DiscoveryFileInfo {
  name: string;
  bytes: number;
  modified: Date;
}

/**
 * What Outlook file discovery needs from a PC: the user's folders, direct listings and stats of files,
 * bounded reads, and the registry. The live host uses Node's fs and `reg query`; tests use a simulated one.
 */
export interface DiscoveryHost {
  environment(): Promise<{ appData: string; localAppData: string; userProfile?: string }>;
  /** Files (not folders) directly in `folder`, or undefined when it does not exist. */
  listFiles(folder: string): Promise<DiscoveryFileInfo[] | undefined>;
  stat(path: string): Promise<{ bytes: number; modified: Date } | undefined>;
  /** The file's bytes when it is at most `maxBytes` long; undefined when it is missing or longer. */
  readFile(path: string, maxBytes: number): Promise<Uint8Array | undefined>;
  listSubkeys(key: string): Promise<string[]>;
  readRegistry(key: string): Promise<RegistryValue[]>;
}

/** This PC, with the registry read through the handover room's Windows host (`reg query`). */
export function createLiveDiscoveryHost(windows: WindowsHost, environment: NodeJS.ProcessEnv = process.env): DiscoveryHost {
  return {
    async environment() {
      const env = await windows.environment();
      const userProfile = environment['USERPROFILE'];
      return { appData: env.appData, localAppData: env.localAppData, ...(userProfile ? { userProfile } : {}) };
    },
    async listFiles(folder) {
      const names = await fs.readdir(folder, { withFileTypes: true }).catch(() => undefined);
      if (!names) return undefined;
      const files: DiscoveryFileInfo[] = [];
      for (const entry of names) {
        if (!entry.isFile()) continue;
        const stat = await fs.stat(win32.join(folder, entry.name)).catch(() => undefined);
        if (stat) files.push({ name: entry.name, bytes: stat.size, modified: stat.mtime });
      }
      return files;
    },
    async stat(path) {
      const stat = await fs.stat(path).catch(() => undefined);
      return stat?.isFile() ? { bytes: stat.size, modified: stat.mtime } : undefined;
    },
    async readFile(path, maxBytes) {
      const stat = await fs.stat(path).catch(() => undefined);
      if (!stat?.isFile() || stat.size > maxBytes) return undefined;
      return new Uint8Array(await fs.readFile(path));
    },
    listSubkeys: (key) => windows.listSubkeys(key),
    readRegistry: (key) => windows.readRegistry(key),
  };
}

export interface SimulatedDiscoveryState {
  environment: { appData: string; localAppData: string; userProfile?: string };
  /** Windows path → content (or only its size) and last write. */
  files: Record<string, { content?: Uint8Array; bytes?: number; modified: Date }>;
  registry: RegistryKeyDump[];
}

/** A PC in memory for tests on any OS; paths and keys are case-insensitive, as on Windows. */
export function createSimulatedDiscoveryHost(state: SimulatedDiscoveryState): DiscoveryHost {
  const files = new Map(Object.entries(state.files).map(([path, file]) => [path.toLowerCase(), { path, ...file }]));
  const keys = new Map(state.registry.map((dump) => [dump.key.toLowerCase(), dump]));
  const size = (file: { content?: Uint8Array; bytes?: number }): number => file.content?.length ?? file.bytes ?? 0;
  return {
    environment: async () => state.environment,
    async listFiles(folder) {
      const prefix = folder.replace(/\\+$/, '').toLowerCase() + '\\';
      const found = [...files.values()].filter((file) => file.path.toLowerCase().startsWith(prefix) && !file.path.slice(prefix.length).includes('\\'));
      const folderExists = found.length > 0 || [...files.keys()].some((path) => path.startsWith(prefix));
      return folderExists ? found.map((file) => ({ name: file.path.slice(prefix.length), bytes: size(file), modified: file.modified })) : undefined;
    },
    async stat(path) {
      const file = files.get(path.toLowerCase());
      return file ? { bytes: size(file), modified: file.modified } : undefined;
    },
    async readFile(path, maxBytes) {
      const file = files.get(path.toLowerCase());
      return file?.content && file.content.length <= maxBytes ? file.content : undefined;
    },
    async listSubkeys(key) {
      const prefix = key.toLowerCase() + '\\';
      const names = new Set<string>();
      for (const dump of keys.values()) {
        if (dump.key.toLowerCase().startsWith(prefix)) names.add(dump.key.slice(prefix.length).split('\\')[0]!);
      }
      return [...names];
    },
    readRegistry: async (key) => keys.get(key.toLowerCase())?.values ?? [],
  };
}
