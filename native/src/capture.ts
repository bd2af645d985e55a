import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { win32 } from 'node:path';

import { CloudwardError, type HandoverInventory } from '../../electron/contract/index.js';
import { parseCmdkeyList } from './cmdkey-list.js';
import { credentialStoreFolders, userFolders } from './handover/locations.js';
import { resolveScope, takeInventory } from './handover/inventory.js';
import { parseRegFile } from './reg-file.js';
import { longKey } from './registry-path.js';
import { createSimulatedHost, type SimulatedWindowsHost, type SimulatedWindowsState } from './simulated-host.js';
import { parseVnextDiagList } from './vnext-license.js';
import type { CredentialEntry, HostEnvironment, ProcessEntry, WindowsHost } from './windows-host.js';

/**
 * A capture: the raw outputs saved on the PC by `cloudward handover capture DIR`, so a technician can
 * review the PC from anywhere (`inventory|plan --from-capture DIR` on any OS). Layout:
 *   capture.json          environment, OSPP.VBS paths, running processes
 *   ospp-dstatus.txt      `cscript OSPP.VBS /dstatus` (ospp-dstatus-2.txt, ... for further OSPP.VBS)
 *   cmdkey-list.txt       `cmdkey /list` (for people; labels are localized)
 *   credentials.json      target/type/user of every credential, from CredEnumerate (never a secret)
 *   registry/*.reg        `reg export` of the Office keys, the profile list and loaded profiles
 *   folder-listing.txt    size<TAB>path of every file in the licensing and credential folders
 *   vnext-licenses.json   the decoded vNext licences (or vnextdiag-list.txt: vNextDiag.ps1 -action list)
 * Missing parts are simply absent from the inventory; nothing in a capture is a secret.
 */
export interface CaptureManifest {
  version: 1;
  takenAt: string;
  environment: HostEnvironment;
  osppPaths: string[];
  processes: ProcessEntry[];
}

const maxCaptureFile = 64 * 1024 * 1024;

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    const info = await stat(path);
    if (info.size > maxCaptureFile) throw new CloudwardError('FORMAT_INVALID', `${path}: ${info.size} bytes is more than a capture file ever holds`);
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function text(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  const utf8 = bytes.toString('utf8').replace(/^\uFEFF/, '');
  // Console output redirected on Windows is often in the OEM code page: keep ASCII readable either way.
  return utf8.includes('\uFFFD') ? bytes.toString('latin1') : utf8;
}

function json<T>(bytes: Buffer, file: string): T {
  try {
    return JSON.parse(text(bytes)) as T;
  } catch {
    throw new CloudwardError('FORMAT_INVALID', `${file}: not JSON`);
  }
}

/** The simulated PC a capture describes (read-only). */
export async function loadCapture(dir: string): Promise<SimulatedWindowsState> {
  const manifestBytes = await readOptional(join(dir, 'capture.json'));
  if (manifestBytes === undefined) throw new CloudwardError('BAD_ARGUMENTS', `${dir} is not a handover capture (no capture.json): make one with \`cloudward handover capture DIR\` on the PC`);
  const manifest = json<CaptureManifest>(manifestBytes, 'capture.json');
  if (manifest.version !== 1 || typeof manifest.environment?.localAppData !== 'string') throw new CloudwardError('FORMAT_INVALID', 'capture.json: not a version 1 handover capture');

  const state: SimulatedWindowsState = { environment: manifest.environment, registry: [], credentials: [], files: {}, processes: manifest.processes ?? [], ospp: {} };
  for (const [index, path] of (manifest.osppPaths ?? []).entries()) {
    const output = await readOptional(join(dir, index === 0 ? 'ospp-dstatus.txt' : `ospp-dstatus-${index + 1}.txt`));
    state.files[path] = { size: 0 };
    if (output !== undefined) state.ospp[path] = text(output);
  }
  const registryDir = join(dir, 'registry');
  const regFiles = [
    ...(await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.reg')).map((name) => join(dir, name)),
    ...((await readdir(registryDir).catch(() => [])) as string[]).filter((name) => name.toLowerCase().endsWith('.reg')).map((name) => join(registryDir, name)),
  ];
  for (const file of regFiles) state.registry.push(...parseRegFile((await readOptional(file)) ?? Buffer.alloc(0), file));

  const credentials = await readOptional(join(dir, 'credentials.json'));
  const cmdkey = await readOptional(join(dir, 'cmdkey-list.txt'));
  if (credentials !== undefined) state.credentials = json<CredentialEntry[]>(credentials, 'credentials.json').filter((entry) => typeof entry?.target === 'string');
  else if (cmdkey !== undefined) state.credentials = parseCmdkeyList(text(cmdkey));

  const listing = await readOptional(join(dir, 'folder-listing.txt'));
  for (const line of listing === undefined ? [] : text(listing).split(/\r?\n/)) {
    const match = /^(\d+)\t(.+)$/.exec(line.trim());
    if (match && /^[A-Za-z]:\\/.test(match[2] ?? '')) state.files[match[2] ?? ''] = { size: Number(match[1]) };
  }
  const decoded = await readOptional(join(dir, 'vnext-licenses.json'));
  const vnextdiag = await readOptional(join(dir, 'vnextdiag-list.txt'));
  if (decoded !== undefined) state.vnextLicenses = json<unknown[]>(decoded, 'vnext-licenses.json');
  else if (vnextdiag !== undefined) {
    state.vnextLicenses = parseVnextDiagList(text(vnextdiag)).licenses.map(({ licenseState: _state, ...licence }) => ({ file: '(vnextdiag-list.txt)', ...licence }));
  }
  return state;
}

export async function openCapture(dir: string): Promise<SimulatedWindowsHost> {
  return createSimulatedHost(await loadCapture(dir), { kind: 'capture' });
}

/** Keys a capture exports when they exist: everything the inventory reads. */
function captureKeys(inventory: HandoverInventory): string[] {
  return [
    'HKCU\\Software\\Microsoft\\Office',
    'HKCU\\Software\\Microsoft\\Protected Storage System Provider',
    'HKLM\\SOFTWARE\\Microsoft\\Office',
    'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Office',
    'HKLM\\SOFTWARE\\Policies\\Microsoft\\Office',
    'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList',
    ...inventory.otherProfiles.filter((profile) => profile.loaded).map((profile) => `HKU\\${profile.sid}\\Software\\Microsoft\\Office`),
  ];
}

/** Saves the raw outputs of this PC into `dir` (made if needed). Reads only. Returns the files written. */
export async function writeCapture(host: WindowsHost, dir: string, options: { now?: () => Date } = {}): Promise<string[]> {
  const written: string[] = [];
  const put = async (name: string, content: string | Buffer): Promise<void> => {
    await writeFile(join(dir, name), content);
    written.push(name);
  };
  await mkdir(join(dir, 'registry'), { recursive: true });
  const env = await host.environment();
  const inventory = await takeInventory(host, options);
  const osppPaths = [...new Set(inventory.installs.flatMap((install) => (install.osppPath === undefined ? [] : [install.osppPath])))];
  const manifest: CaptureManifest = { version: 1, takenAt: inventory.takenAt, environment: env, osppPaths, processes: await host.listProcesses() };
  await put('capture.json', JSON.stringify(manifest, null, 2));
  for (const [index, path] of osppPaths.entries()) {
    const result = await host.runCommand('cscript', ['//nologo', path, '/dstatus'], { timeoutMs: 120_000 });
    await put(index === 0 ? 'ospp-dstatus.txt' : `ospp-dstatus-${index + 1}.txt`, result.stdout);
  }
  const cmdkey = await host.runCommand('cmdkey', ['/list'], { timeoutMs: 30_000 }).catch(() => undefined);
  if (cmdkey !== undefined && cmdkey.exitCode === 0) await put('cmdkey-list.txt', cmdkey.stdout);
  await put('credentials.json', JSON.stringify(await host.listCredentials(), null, 2));
  for (const key of captureKeys(inventory)) {
    if ((await host.readRegistryTree(key)) === undefined) continue;
    const name = `registry/${longKey(key).replace(/[\\/:*?"<>|]+/g, '_')}.reg`;
    await host.exportRegistryKey(key, join(dir, name));
    written.push(name);
  }
  const scope = await resolveScope(host, env);
  const lines: string[] = [];
  for (const folder of [...userFolders(scope), ...credentialStoreFolders(scope)]) {
    for (const file of (await host.listFolder(folder.path)) ?? []) lines.push(`${file.size}\t${win32.join(folder.path, file.path)}`);
  }
  await put('folder-listing.txt', lines.join('\r\n') + (lines.length > 0 ? '\r\n' : ''));
  await put('vnext-licenses.json', JSON.stringify(inventory.vnextLicenses, null, 2));
  return written;
}
