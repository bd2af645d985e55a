import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { CloudwardError } from '../../electron/contract/index.js';
import { canonicalPath } from './handover/locations.js';
import { formatRegFile } from './reg-file.js';
import { isKeyAtOrUnder, keyId, normalizeKey } from './registry-path.js';
import type { CommandResult, CredentialEntry, FileEntry, HostEnvironment, ProcessEntry, RegistryKeyDump, RegistryValue, WindowsHost } from './windows-host.js';

/**
 * A Windows PC in memory: registry, credential vault, files, running processes and what OSPP.VBS
 * prints, so inventory → plan → backup → run → verify can be driven end to end on Linux. Built from
 * recorded outputs (tests) or from a capture folder (`handover capture`, read-only). It behaves as
 * Windows does where that matters to a handover: names are case-insensitive, HKLM and other users'
 * hives refuse writes without elevation, OSPP.VBS /unpkey removes exactly one licence's key.
 *
 * Where each behaviour comes from:
 * - OSPP.VBS /dstatus and /unpkey:<last 5>: Microsoft Learn, "Tools to manage volume activation of Office"
 *   (ospp.vbs options); output text as recorded in shared/fixtures/windows; /unpkey run unelevated answers
 *   0x80070005 (access denied), as ospp.vbs reports a failed WMI call.
 * - reg.exe names are case-insensitive and HKLM / HKEY_USERS\<other SID> need an administrator to change:
 *   Microsoft Learn, "reg delete" and "Registry Key Security and Access Rights".
 * - Credential Manager is per user and deleted by target and type: Win32 CredDelete documentation.
 */
export interface SimulatedWindowsState {
  environment: HostEnvironment;
  registry: RegistryKeyDump[];
  credentials: CredentialEntry[];
  /** Windows path → content (or only its size, as a capture's folder listing knows it). */
  files: Record<string, Buffer | string | { size: number }>;
  processes: ProcessEntry[];
  /** OSPP.VBS path → what `/dstatus` prints. */
  ospp: Record<string, string>;
  /** A capture's decoded vNext licences (it carries no licence files). */
  vnextLicenses?: unknown[];
}

export interface SimulatedWindowsHost extends WindowsHost {
  /** Every item, one line each, sorted: diff two snapshots to see exactly what a run changed. */
  snapshot(): string[];
  /** Commands run, as program + args. */
  readonly commands: string[][];
}

const separator = /^\s*-{10,}\s*$/;

function removeLicence(output: string, lastFive: string): { output: string; removed: boolean } {
  const lines = output.split(/\r?\n/);
  const blocks: string[][] = [[]];
  for (const line of lines) {
    if (separator.test(line)) blocks.push([line]);
    else blocks[blocks.length - 1]?.push(line);
  }
  const keyLine = new RegExp(`Last 5 characters of installed product key:\\s*${lastFive}\\s*$`, 'i');
  const kept = blocks.filter((block) => !block.some((line) => keyLine.test(line)));
  return { output: kept.flat().join('\r\n'), removed: kept.length !== blocks.length };
}

export function createSimulatedHost(initial: SimulatedWindowsState, options: { kind?: 'simulated' | 'capture' } = {}): SimulatedWindowsHost {
  const kind = options.kind ?? 'simulated';
  const env = { ...initial.environment };
  const registry = new Map<string, RegistryKeyDump>();
  for (const dump of initial.registry) {
    const key = normalizeKey(dump.key) ?? dump.key;
    const existing = registry.get(keyId(key));
    if (existing) existing.values.push(...dump.values.map((value) => ({ ...value })));
    else registry.set(keyId(key), { key, values: dump.values.map((value) => ({ ...value })) });
  }
  let credentials = initial.credentials.map((credential) => ({ ...credential }));
  const files = new Map<string, { path: string; size: number; content?: Buffer }>();
  for (const [path, content] of Object.entries(initial.files)) {
    const id = canonicalPath(path);
    if (id === undefined) throw new Error(`simulated file ${path}: not an absolute Windows path`);
    const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.isBuffer(content) ? content : undefined;
    files.set(id, bytes === undefined ? { path, size: (content as { size: number }).size } : { path, size: bytes.length, content: bytes });
  }
  const ospp = new Map(Object.entries(initial.ospp).map(([path, text]) => [canonicalPath(path) ?? path.toLowerCase(), text]));
  const commands: string[][] = [];

  const keysUnder = (key: string): RegistryKeyDump[] => [...registry.values()].filter((dump) => isKeyAtOrUnder(dump.key, key));
  const writable = (): void => {
    if (kind === 'capture') throw new CloudwardError('WINDOWS_ONLY', 'A capture folder is read-only: this runs on the PC itself');
  };
  const elevatedFor = (key: string): void => {
    const id = keyId(key);
    if ((id.startsWith('hklm\\') || id.startsWith('hku\\')) && !env.isAdmin) throw new CloudwardError('ELEVATION_REQUIRED', `Access is denied: ${key}`, { item: key });
  };
  const filesUnder = (path: string): { id: string; path: string; size: number; content?: Buffer }[] => {
    const root = canonicalPath(path);
    if (root === undefined) return [];
    return [...files.entries()].filter(([id]) => id.startsWith(`${root}\\`)).map(([id, file]) => ({ id, ...file }));
  };
  const folderExists = (path: string): boolean => {
    const root = canonicalPath(path);
    return root !== undefined && [...files.keys()].some((id) => id.startsWith(`${root}\\`));
  };

  return {
    kind,
    commands,
    async environment() {
      return { ...env };
    },
    async runCommand(program, args): Promise<CommandResult> {
      commands.push([program, ...args]);
      if (program.toLowerCase() !== 'cscript') return { exitCode: 1, stdout: '', stderr: `'${program}' is not recognized as an internal or external command` };
      const script = args.find((arg) => /ospp\.vbs$/i.test(arg));
      const text = script === undefined ? undefined : ospp.get(canonicalPath(script) ?? script.toLowerCase());
      if (text === undefined) return { exitCode: 1, stdout: '', stderr: `Input Error: Can not find script file "${script ?? ''}".` };
      if (args.includes('/dstatus')) return { exitCode: 0, stdout: text, stderr: '' };
      const unpkey = args.map((arg) => /^\/unpkey:([A-Za-z0-9]{5})$/i.exec(arg)?.[1]).find((key) => key !== undefined);
      if (unpkey !== undefined) {
        if (kind === 'capture') writable();
        if (!env.isAdmin) return { exitCode: 0, stdout: 'ERROR CODE: 0x80070005\r\nERROR DESCRIPTION: Access denied: the requested action requires elevated privileges\r\n', stderr: '' };
        const { output, removed } = removeLicence(text, unpkey);
        ospp.set(canonicalPath(script!) ?? script!.toLowerCase(), output);
        return { exitCode: 0, stdout: removed ? '---Processing---\r\n<Product key uninstall successful>\r\n---Exiting---\r\n' : '---Processing---\r\nProduct key not found.\r\n---Exiting---\r\n', stderr: '' };
      }
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    async readRegistry(key, valueName): Promise<RegistryValue[]> {
      const values = registry.get(keyId(key))?.values ?? [];
      return (valueName === undefined ? values : values.filter((value) => value.name.toLowerCase() === valueName.toLowerCase())).map((value) => ({ ...value }));
    },
    async readRegistryTree(key) {
      const found = keysUnder(key).map((dump) => ({ key: dump.key, values: dump.values.map((value) => ({ ...value })) }));
      if (found.length === 0) return undefined;
      if (!registry.has(keyId(key))) found.unshift({ key: normalizeKey(key) ?? key, values: [] });
      return found.sort((a, b) => a.key.localeCompare(b.key));
    },
    async listSubkeys(key) {
      const depth = (normalizeKey(key) ?? key).split('\\').length;
      const names = new Map<string, string>();
      for (const dump of keysUnder(key)) {
        const name = dump.key.split('\\')[depth];
        if (name !== undefined) names.set(name.toLowerCase(), name);
      }
      return [...names.values()];
    },
    async listCredentials() {
      return credentials.map((credential) => ({ ...credential }));
    },
    async listFolder(path): Promise<FileEntry[] | undefined> {
      if (!folderExists(path)) return undefined;
      const root = canonicalPath(path)!;
      return filesUnder(path).map((file) => ({ path: file.path.slice(root.length + 1), size: file.size }));
    },
    async readFile(path) {
      const id = canonicalPath(path);
      return id === undefined ? undefined : files.get(id)?.content;
    },
    async fileExists(path) {
      const id = canonicalPath(path);
      return id !== undefined && files.has(id);
    },
    async listProcesses() {
      return initial.processes.map((process) => ({ ...process }));
    },
    async capturedVnextLicenses() {
      return initial.vnextLicenses;
    },
    async exportRegistryKey(key, file) {
      const tree = keysUnder(key);
      if (tree.length === 0) throw new CloudwardError('COMMAND_FAILED', `reg export: the key ${key} does not exist`, { item: key });
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, formatRegFile(tree.sort((a, b) => a.key.localeCompare(b.key))));
    },
    async copyFolder(path, destination) {
      const root = canonicalPath(path);
      if (root === undefined || !folderExists(path)) throw new CloudwardError('COMMAND_FAILED', `copy: the folder ${path} does not exist`, { item: path });
      await mkdir(destination, { recursive: true });
      for (const file of filesUnder(path)) {
        const target = join(destination, ...file.path.slice(root.length + 1).split('\\'));
        await mkdir(dirname(target), { recursive: true });
        if (file.content === undefined) throw new CloudwardError('COMMAND_FAILED', `copy: ${file.path} is only listed, not held`, { item: file.path });
        await writeFile(target, file.content);
      }
    },
    async deleteRegistryKey(key) {
      writable();
      const tree = keysUnder(key);
      if (tree.length === 0) return 'gone';
      elevatedFor(key);
      for (const dump of tree) registry.delete(keyId(dump.key));
      return 'done';
    },
    async deleteRegistryValue(key, valueName) {
      writable();
      const dump = registry.get(keyId(key));
      const index = dump?.values.findIndex((value) => value.name.toLowerCase() === valueName.toLowerCase()) ?? -1;
      if (dump === undefined || index < 0) return 'gone';
      elevatedFor(key);
      dump.values.splice(index, 1);
      return 'done';
    },
    async deleteCredential(target, type) {
      writable();
      const before = credentials.length;
      credentials = credentials.filter((credential) => !(credential.target.toLowerCase() === target.toLowerCase() && credential.type === type));
      return credentials.length === before ? 'gone' : 'done';
    },
    async deleteFolder(path) {
      writable();
      const under = filesUnder(path);
      if (under.length === 0) return 'gone';
      for (const file of under) files.delete(file.id);
      return 'done';
    },
    snapshot() {
      const lines: string[] = [];
      for (const dump of registry.values()) {
        lines.push(`key ${dump.key}`);
        for (const value of dump.values) lines.push(`value ${dump.key} [${value.name}] ${value.type} ${value.data}`);
      }
      for (const credential of credentials) lines.push(`credential ${credential.type} ${credential.target}`);
      for (const file of files.values()) lines.push(`file ${file.path} ${file.size}`);
      for (const [path, text] of ospp) {
        for (const match of text.matchAll(/Last 5 characters of installed product key:\s*([A-Z0-9]{5})/gi)) lines.push(`product-key ${path} ${match[1] ?? ''}`);
      }
      return lines.sort();
    },
  };
}
