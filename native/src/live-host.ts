import { cp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { win32 } from 'node:path';

import { CloudwardError } from '../../electron/contract/index.js';
import { createProcessRunner, type CommandRunner } from './command-runner.js';
import { credentialTypeNumber, credentialTypes, deleteCredentialScript, listCredentialsScript, powershellArgs } from './credential-manager.js';
import { parseRegQuery, parseRegQueryTree } from './reg-query.js';
import { regDeleteArgs, registryViewArgs } from './handover/step-commands.js';
import { keyId, longKey, normalizeKey } from './registry-path.js';
import type { CredentialEntry, FileEntry, HostEnvironment, ProcessEntry, WindowsHost } from './windows-host.js';

/**
 * This PC, for real. Reads run the real commands (reg.exe, cscript OSPP.VBS, PowerShell for WMI and
 * Credential Manager) and the real file system; writes really delete. What a dry run would do is the
 * plan itself: each step names the exact key, value, credential, folder or /unpkey a run removes.
 */
const identityScript = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$id = [System.Security.Principal.WindowsIdentity]::GetCurrent()
$admin = (New-Object System.Security.Principal.WindowsPrincipal($id)).IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
ConvertTo-Json -Compress -InputObject ([pscustomobject]@{ sid = $id.User.Value; admin = $admin })
`;
const processScript = `$ErrorActionPreference = 'Stop'
[Console]::OutputEncoding = [System.Text.Encoding]::UTF8
$out = @(Get-CimInstance -ClassName Win32_Process | ForEach-Object { [pscustomobject]@{ name = $_.Name; pid = [int]$_.ProcessId } })
ConvertTo-Json -Compress -InputObject $out
`;

const regTimeoutMs = 60_000;
const powershellTimeoutMs = 120_000;

function errno(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

export function createLiveHost(options: { runner?: CommandRunner; environment?: NodeJS.ProcessEnv } = {}): WindowsHost {
  const runner = options.runner ?? createProcessRunner();
  const vars = options.environment ?? process.env;
  let environment: Promise<HostEnvironment> | undefined;
  // 64-bit Windows: ask for the 64-bit registry view whatever this process is (Click-to-Run keys live there).
  const view64 = vars['ProgramFiles(x86)'] !== undefined;

  const powershell = async (script: string, env?: Record<string, string>): Promise<string> => {
    const result = await runner.run('powershell.exe', powershellArgs(script), { timeoutMs: powershellTimeoutMs, ...(env === undefined ? {} : { env }) });
    if (result.exitCode !== 0) throw new CloudwardError('COMMAND_FAILED', `PowerShell failed (exit ${result.exitCode}): ${result.stderr.trim().split(/\r?\n/)[0] ?? ''}`);
    return result.stdout.trim();
  };
  const reg = (args: string[]) => runner.run('reg.exe', [...args, ...registryViewArgs(view64)], { timeoutMs: regTimeoutMs });
  const regAsIs = (args: string[]) => runner.run('reg.exe', args, { timeoutMs: regTimeoutMs });
  const isAdmin = async (): Promise<boolean> => (await host.environment()).isAdmin;
  const failed = async (what: string, item: string, stderr: string): Promise<never> => {
    if (!(await isAdmin()) && /^(hklm|hku)\\/.test(keyId(item))) throw new CloudwardError('ELEVATION_REQUIRED', `${what} ${item} needs an administrator`, { item });
    throw new CloudwardError('COMMAND_FAILED', `${what} ${item} failed: ${stderr.trim().split(/\r?\n/)[0] ?? ''}`, { item });
  };

  const host: WindowsHost = {
    kind: 'live',
    environment() {
      environment ??= (async () => {
        const who = JSON.parse(await powershell(identityScript)) as { sid?: string; admin?: boolean };
        const need = (name: string): string => {
          const value = vars[name];
          if (value === undefined || value === '') throw new CloudwardError('COMMAND_FAILED', `%${name}% is not set`);
          return value;
        };
        return {
          ...(vars['COMPUTERNAME'] === undefined ? {} : { computerName: vars['COMPUTERNAME'] }),
          ...(vars['USERNAME'] === undefined ? {} : { userName: vars['USERNAME'] }),
          ...(typeof who.sid === 'string' ? { userSid: who.sid } : {}),
          isAdmin: who.admin === true,
          localAppData: need('LOCALAPPDATA'),
          appData: need('APPDATA'),
          programData: need('ProgramData'),
          programFiles: need('ProgramFiles'),
          ...(vars['ProgramFiles(x86)'] === undefined ? {} : { programFilesX86: vars['ProgramFiles(x86)'] }),
        };
      })();
      return environment;
    },
    runCommand(program, args, runOptions) {
      return runner.run(program, args, runOptions);
    },
    async readRegistry(key, valueName) {
      const result = await reg(['query', longKey(key), ...(valueName === undefined ? [] : ['/v', valueName])]);
      // Exit 1: no such key or value (its message is localized; the code is not).
      return result.exitCode === 0 ? parseRegQuery(result.stdout) : [];
    },
    async readRegistryTree(key) {
      const result = await reg(['query', longKey(key), '/s']);
      if (result.exitCode !== 0) return undefined;
      const tree = parseRegQueryTree(result.stdout);
      const normalized = normalizeKey(key) ?? key;
      if (!tree.some((dump) => keyId(dump.key) === keyId(normalized))) {
        // /s prints the key's own values without its header when it has no subkeys... and nothing when empty.
        tree.unshift({ key: normalized, values: parseRegQuery(result.stdout.split(/\r?\n(?=HKEY_)/)[0] ?? '') });
      }
      return tree;
    },
    async listSubkeys(key) {
      const result = await reg(['query', longKey(key)]);
      if (result.exitCode !== 0) return [];
      const own = keyId(key);
      return parseRegQueryTree(result.stdout)
        .map((dump) => dump.key)
        .filter((sub) => keyId(sub) !== own && keyId(sub).startsWith(`${own}\\`))
        .map((sub) => sub.split('\\').pop() ?? '');
    },
    async listCredentials(): Promise<CredentialEntry[]> {
      const output = await powershell(listCredentialsScript);
      const rows = output === '' ? [] : (JSON.parse(output) as { type: number; target: string; userName?: string | null }[]);
      return rows.map((row) => ({ target: row.target, type: credentialTypes[row.type] ?? `type-${row.type}`, ...(row.userName ? { userName: row.userName } : {}) }));
    },
    async listFolder(path): Promise<FileEntry[] | undefined> {
      try {
        const entries = await readdir(path, { recursive: true, withFileTypes: true });
        const files: FileEntry[] = [];
        for (const entry of entries) {
          if (!entry.isFile()) continue;
          // Node 20.11 names the folder `path`; 20.12+ `parentPath` (the engines field allows both).
          const parent = (entry as { parentPath?: string }).parentPath ?? (entry as unknown as { path: string }).path;
          const full = win32.join(parent, entry.name);
          files.push({ path: win32.relative(path, full), size: (await stat(full)).size });
        }
        return files;
      } catch (error) {
        if (errno(error) === 'ENOENT' || errno(error) === 'ENOTDIR') return undefined;
        throw new CloudwardError('COMMAND_FAILED', `Cannot list ${path}: ${(error as Error).message}`, { item: path });
      }
    },
    async readFile(path) {
      return readFile(path).catch(() => undefined);
    },
    async fileExists(path) {
      return stat(path).then(
        (info) => info.isFile(),
        () => false,
      );
    },
    async listProcesses(): Promise<ProcessEntry[]> {
      const output = await powershell(processScript);
      return output === '' ? [] : (JSON.parse(output) as ProcessEntry[]);
    },
    async exportRegistryKey(key, file) {
      const result = await reg(['export', longKey(key), file, '/y']);
      if (result.exitCode !== 0) await failed('reg export', key, result.stderr);
    },
    async copyFolder(path, destination) {
      await cp(path, destination, { recursive: true, errorOnExist: false, force: true });
    },
    async deleteRegistryKey(key) {
      if ((await host.readRegistryTree(key)) === undefined) return 'gone';
      const result = await regAsIs(regDeleteArgs(key, undefined, view64));
      if (result.exitCode !== 0) await failed('reg delete', key, result.stderr);
      return 'done';
    },
    async deleteRegistryValue(key, valueName) {
      if ((await host.readRegistry(key, valueName)).length === 0) return 'gone';
      const result = await regAsIs(regDeleteArgs(key, valueName, view64));
      if (result.exitCode !== 0) await failed('reg delete', `${key} [${valueName}]`, result.stderr);
      return 'done';
    },
    async deleteCredential(target, type) {
      const code = Number(await powershell(deleteCredentialScript, { CLOUDWARD_CREDENTIAL_TARGET: target, CLOUDWARD_CREDENTIAL_TYPE: String(credentialTypeNumber(type)) }));
      if (code === 0) return 'done';
      if (code === 1168) return 'gone';
      throw new CloudwardError('COMMAND_FAILED', `CredDelete ${target} failed with Windows error ${code}`, { item: target });
    },
    async deleteFolder(path) {
      try {
        await stat(path);
      } catch {
        return 'gone';
      }
      try {
        await rm(path, { recursive: true, force: true, maxRetries: 3 });
        return 'done';
      } catch (error) {
        if (errno(error) === 'EBUSY') throw new CloudwardError('COMMAND_FAILED', `Cannot delete ${path}: a file in it is in use (close Office and OneDrive)`, { item: path, retryable: true });
        if ((errno(error) === 'EPERM' || errno(error) === 'EACCES') && !(await isAdmin())) {
          throw new CloudwardError('ELEVATION_REQUIRED', `Cannot delete ${path}: access denied (needs an administrator)`, { item: path });
        }
        throw new CloudwardError('COMMAND_FAILED', `Cannot delete ${path}: ${(error as Error).message}`, { item: path });
      }
    },
  };
  return host;
}

/** This PC's host, or undefined where it is not Windows. */
export function createLocalHost(): WindowsHost | undefined {
  return process.platform === 'win32' ? createLiveHost() : undefined;
}
