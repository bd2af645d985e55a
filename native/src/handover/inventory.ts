import { win32 } from 'node:path';

import {
  CloudwardError,
  type FolderInfo,
  type HandoverInventory,
  type Identity,
  type OfficeInstall,
  type LicensingMode,
  type ProductKey,
  type RegistryLocation,
  type VnextLicense,
} from '../../../electron/contract/index.js';
import { parseOsppStatus } from '../ospp-status.js';
import { joinKey } from '../registry-path.js';
import { decodeLicenseFile } from '../vnext-license.js';
import type { HostEnvironment, RegistryValue, WindowsHost } from '../windows-host.js';
import {
  clickToRunConfiguration,
  credentialStoreFolders,
  type HandoverScope,
  isClickToRunAccountValue,
  officeCredentialTarget,
  officeProcessNames,
  officeVersions,
  protectedStorageKey,
  userFolders,
  userOfficeKeys,
} from './locations.js';

const profileList = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList';
const userSid = /^S-1-5-21-\d+-\d+-\d+-\d+$/;
const maxLicenceBytes = 4 * 1024 * 1024;

function value(values: readonly RegistryValue[], name: string): string | undefined {
  return values.find((entry) => entry.name.toLowerCase() === name.toLowerCase())?.data;
}

function dword(data: string | undefined): number | undefined {
  if (data === undefined) return undefined;
  const number = data.toLowerCase().startsWith('0x') ? Number.parseInt(data, 16) : Number(data);
  return Number.isFinite(number) ? number : undefined;
}

/** Which user a handover cleans: the signed-in one, or another profile by SID. */
export async function resolveScope(host: WindowsHost, env: HostEnvironment, sid?: string): Promise<HandoverScope> {
  if (sid === undefined || sid.toUpperCase() === env.userSid?.toUpperCase()) {
    return {
      hive: 'HKCU',
      otherUser: false,
      ...(env.userSid === undefined ? {} : { sid: env.userSid }),
      localAppData: env.localAppData,
      appData: env.appData,
      programData: env.programData,
      registryView64: env.programFilesX86 !== undefined,
    };
  }
  const profile = value(await host.readRegistry(joinKey(profileList, sid)), 'ProfileImagePath');
  if (profile === undefined) throw new CloudwardError('BAD_ARGUMENTS', `No user profile with SID ${sid} on this PC`);
  const systemDrive = /^[A-Za-z]:/.exec(env.programData)?.[0] ?? 'C:';
  const path = profile.replace(/%SystemDrive%/gi, systemDrive);
  return {
    hive: `HKU\\${sid}`,
    otherUser: true,
    sid,
    localAppData: win32.join(path, 'AppData', 'Local'),
    appData: win32.join(path, 'AppData', 'Roaming'),
    programData: env.programData,
    registryView64: env.programFilesX86 !== undefined,
  };
}

async function findInstalls(host: WindowsHost, env: HostEnvironment): Promise<OfficeInstall[]> {
  const installs: OfficeInstall[] = [];
  const programFolders = [env.programFiles, ...(env.programFilesX86 === undefined ? [] : [env.programFilesX86])];
  const osppIn = async (folder: string | undefined, version: string): Promise<string | undefined> => {
    const candidates = [
      ...(folder === undefined ? [] : [win32.join(folder, 'OSPP.VBS')]),
      ...programFolders.map((root) => win32.join(root, 'Microsoft Office', `Office${version.slice(0, 2)}`, 'OSPP.VBS')),
    ];
    for (const candidate of candidates) if (await host.fileExists(candidate)) return candidate;
    return undefined;
  };

  const c2r = await host.readRegistry(clickToRunConfiguration);
  if (c2r.length > 0) {
    const platform = value(c2r, 'Platform')?.toLowerCase();
    const installPath = value(c2r, 'InstallationPath') ?? value(await host.readRegistry('HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun'), 'InstallPath');
    const displayVersion = value(c2r, 'VersionToReport');
    const ospp = await osppIn(installPath === undefined ? undefined : win32.join(installPath, 'Office16'), '16.0');
    installs.push({
      kind: 'click-to-run',
      version: '16.0',
      bitness: platform === 'x64' ? '64' : platform === 'x86' ? '32' : 'unknown',
      ...(installPath === undefined ? {} : { installPath }),
      ...(ospp === undefined ? {} : { osppPath: ospp }),
      productReleaseIds: (value(c2r, 'ProductReleaseIds') ?? '').split(',').map((id) => id.trim()).filter((id) => id !== ''),
      ...(displayVersion === undefined ? {} : { displayVersion }),
    });
  }
  for (const version of officeVersions) {
    for (const wow of [false, true]) {
      const root = wow ? 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Office' : 'HKLM\\SOFTWARE\\Microsoft\\Office';
      const path = value(await host.readRegistry(joinKey(root, version, 'Common\\InstallRoot')), 'Path');
      if (path === undefined) continue;
      // Click-to-Run writes the same InstallRoot; it is already listed above.
      if (installs.some((install) => install.kind === 'click-to-run' && install.version === version)) continue;
      const ospp = await osppIn(path, version);
      const inX86 = env.programFilesX86 !== undefined && path.toLowerCase().startsWith(env.programFilesX86.toLowerCase());
      installs.push({
        kind: 'msi',
        version,
        bitness: wow || inX86 ? '32' : env.programFilesX86 === undefined ? '32' : '64',
        installPath: path.replace(/\\+$/, ''),
        ...(ospp === undefined ? {} : { osppPath: ospp }),
        productReleaseIds: [],
      });
    }
  }
  return installs;
}

async function readProductKeys(host: WindowsHost, installs: readonly OfficeInstall[], warnings: string[]): Promise<ProductKey[]> {
  const keys: ProductKey[] = [];
  const seen = new Set<string>();
  for (const ospp of new Set(installs.flatMap((install) => (install.osppPath === undefined ? [] : [install.osppPath])))) {
    let result;
    try {
      result = await host.runCommand('cscript', ['//nologo', ospp, '/dstatus'], { timeoutMs: 120_000 });
    } catch (error) {
      warnings.push(`Could not read product keys: OSPP.VBS /dstatus at ${ospp}: ${(error as Error).message}`);
      continue;
    }
    const licences = parseOsppStatus(result.stdout);
    if (result.exitCode !== 0 && licences.length === 0) warnings.push(`Could not read product keys: OSPP.VBS /dstatus failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim().split('\n')[0] ?? ''}`);
    for (const licence of licences) {
      if (licence.lastFiveOfKey === undefined || seen.has(licence.lastFiveOfKey)) continue;
      seen.add(licence.lastFiveOfKey);
      keys.push({
        lastFive: licence.lastFiveOfKey,
        licenseName: licence.licenseName,
        ...(licence.status === undefined ? {} : { status: licence.status }),
        ...(licence.skuId === undefined ? {} : { skuId: licence.skuId }),
        osppPath: ospp,
      });
    }
  }
  return keys;
}

async function readIdentities(host: WindowsHost, scope: HandoverScope): Promise<Identity[]> {
  const identities: Identity[] = [];
  for (const version of officeVersions) {
    const root = joinKey(scope.hive, 'Software\\Microsoft\\Office', version, 'Common\\Identity\\Identities');
    const tree = (await host.readRegistryTree(root)) ?? [];
    const depth = root.split('\\').length + 1;
    for (const dump of tree) {
      const parts = dump.key.split('\\');
      if (parts.length !== depth) continue;
      const email = value(dump.values, 'EmailAddress') ?? value(dump.values, 'SignInName');
      const friendlyName = value(dump.values, 'FriendlyName');
      const provider = value(dump.values, 'FederationProvider') ?? value(dump.values, 'ProviderId');
      identities.push({
        key: dump.key,
        hive: scope.hive,
        officeVersion: version,
        id: parts[parts.length - 1] ?? '',
        ...(email === undefined ? {} : { email }),
        ...(friendlyName === undefined ? {} : { friendlyName }),
        ...(provider === undefined ? {} : { provider }),
      });
    }
  }
  return identities;
}

async function readLicensing(host: WindowsHost, scope: HandoverScope): Promise<HandoverInventory['licensing']> {
  const perProduct: HandoverInventory['licensing']['perProduct'] = [];
  const next = await host.readRegistry(joinKey(scope.hive, 'Software\\Microsoft\\Office\\16.0\\Common\\Licensing\\LicensingNext'));
  for (const entry of next) {
    // vNextDiag counts only product release ids (…retail, …volume); other values are settings.
    if (!/(retail|volume)$/i.test(entry.name)) continue;
    const mode = dword(entry.data);
    perProduct.push({ productReleaseId: entry.name, mode: mode === 2 ? 'vnext' : mode === 3 ? 'device' : 'legacy', hive: scope.hive });
  }
  const sca = [
    value(await host.readRegistry(clickToRunConfiguration), 'SharedComputerLicensing'),
    value(await host.readRegistry('HKLM\\SOFTWARE\\Microsoft\\Office\\16.0\\Common\\Licensing'), 'SharedComputerLicensing'),
    value(await host.readRegistry('HKLM\\SOFTWARE\\Policies\\Microsoft\\Office\\16.0\\Common\\Licensing'), 'SharedComputerLicensing'),
  ].some((data) => data !== undefined && (dword(data) ?? 0) === 1);
  const modes = new Set(perProduct.map((entry) => entry.mode));
  const mode: LicensingMode = modes.has('vnext') ? 'vnext' : modes.has('device') ? 'device' : modes.has('legacy') ? 'legacy' : 'unknown';
  return { mode, perProduct, sharedComputerActivation: sca };
}

async function folderInfo(host: WindowsHost, path: string, purpose: string): Promise<FolderInfo | undefined> {
  const files = await host.listFolder(path);
  if (files === undefined) return undefined;
  return { path, files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0), purpose };
}

async function readVnextLicenses(host: WindowsHost, scope: HandoverScope, identities: readonly Identity[]): Promise<VnextLicense[]> {
  const captured = await host.capturedVnextLicenses?.();
  if (captured !== undefined) return captured as VnextLicense[];
  const licences: VnextLicense[] = [];
  const roots = [
    { scope: 'user' as const, path: win32.join(scope.localAppData, 'Microsoft', 'Office', 'Licenses') },
    { scope: 'device' as const, path: win32.join(scope.programData, 'Microsoft', 'Office', 'Licenses') },
  ];
  for (const root of roots) {
    for (const file of (await host.listFolder(root.path)) ?? []) {
      const path = win32.join(root.path, file.path);
      if (file.size > maxLicenceBytes) {
        licences.push({ file: path, scope: root.scope, unreadable: `${file.size} bytes: larger than any licence file` });
        continue;
      }
      const bytes = await host.readFile(path);
      try {
        if (bytes === undefined) throw new Error('vanished while being read');
        const decoded = decodeLicenseFile(bytes);
        const identity = decoded.userId === undefined ? undefined : identities.find((entry) => entry.id.toLowerCase().startsWith(decoded.userId!.toLowerCase()));
        licences.push({ file: path, scope: root.scope, ...decoded, ...(identity?.email === undefined ? {} : { email: identity.email }) });
      } catch (error) {
        licences.push({ file: path, scope: root.scope, unreadable: (error as Error).message });
      }
    }
  }
  return licences;
}

async function readOtherProfiles(host: WindowsHost, currentSid: string | undefined): Promise<HandoverInventory['otherProfiles']> {
  const loaded = new Set((await host.listSubkeys('HKU')).filter((sid) => userSid.test(sid)).map((sid) => sid.toUpperCase()));
  const profiles: HandoverInventory['otherProfiles'] = [];
  for (const sid of await host.listSubkeys(profileList)) {
    if (!userSid.test(sid) || sid.toUpperCase() === currentSid?.toUpperCase()) continue;
    const path = value(await host.readRegistry(joinKey(profileList, sid)), 'ProfileImagePath');
    profiles.push({ sid, ...(path === undefined ? {} : { profilePath: path }), loaded: loaded.has(sid.toUpperCase()) });
    loaded.delete(sid.toUpperCase());
  }
  for (const sid of loaded) if (sid !== currentSid?.toUpperCase()) profiles.push({ sid, loaded: true });
  return profiles;
}

/** Everything of the previous user's Office sign-in on this PC, read and changed nothing. */
export async function takeInventory(host: WindowsHost, options: { user?: string; now?: () => Date } = {}): Promise<HandoverInventory> {
  const env = await host.environment();
  const scope = await resolveScope(host, env, options.user);
  const warnings: string[] = [];
  const installs = await findInstalls(host, env);
  const productKeys = await readProductKeys(host, installs, warnings);
  const identities = await readIdentities(host, scope);
  const licensing = await readLicensing(host, scope);

  const registry: RegistryLocation[] = [];
  for (const version of officeVersions) {
    for (const entry of userOfficeKeys) {
      const key = joinKey(scope.hive, 'Software\\Microsoft\\Office', version, entry.path);
      if ((await host.readRegistryTree(key)) !== undefined) registry.push({ key, purpose: entry.why });
    }
  }
  const storage = joinKey(scope.hive, protectedStorageKey);
  if ((await host.readRegistryTree(storage)) !== undefined) registry.push({ key: storage, purpose: 'Internet Explorer-era protected storage of the previous user (older guidance)' });
  for (const entry of await host.readRegistry(clickToRunConfiguration)) {
    if (isClickToRunAccountValue(entry.name)) registry.push({ key: clickToRunConfiguration, valueName: entry.name, purpose: 'the account Click-to-Run remembers for updates and activation' });
  }

  let credentials: HandoverInventory['credentials'] = [];
  if (!scope.otherUser) {
    try {
      credentials = (await host.listCredentials()).filter((credential) => officeCredentialTarget.test(credential.target));
    } catch (error) {
      warnings.push(`Could not read Credential Manager: ${(error as Error).message}`);
    }
  }
  if (scope.otherUser) warnings.push(`Credentials of ${scope.sid ?? 'another user'} can only be listed and removed while signed in as that user (Credential Manager is per user).`);

  const folders: FolderInfo[] = [];
  for (const folder of userFolders(scope)) {
    const info = await folderInfo(host, folder.path, folder.why);
    if (info !== undefined) folders.push(info);
  }
  const credentialStore: FolderInfo[] = [];
  for (const folder of credentialStoreFolders(scope)) {
    const info = await folderInfo(host, folder.path, folder.why);
    if (info !== undefined) credentialStore.push(info);
  }

  const processes = await host.listProcesses().catch((error: unknown) => {
    warnings.push(`Could not list running programs: ${(error as Error).message}`);
    return [];
  });
  const running = processes.filter((process) => officeProcessNames.includes(process.name.toLowerCase()));
  if (running.length > 0) warnings.push(`Close these first: ${[...new Set(running.map((process) => process.name))].join(', ')}.`);
  const otherProfiles = scope.otherUser ? [] : await readOtherProfiles(host, env.userSid);
  const unloaded = otherProfiles.filter((profile) => !profile.loaded);
  if (unloaded.length > 0) warnings.push(`${unloaded.length} other profile(s) are not loaded; clean each with --user <SID> while its hive is loaded (the user signed in).`);
  if (licensing.sharedComputerActivation) warnings.push('Shared computer activation is on: every user has their own licence token; clean each profile.');

  return {
    takenAt: (options.now?.() ?? new Date()).toISOString(),
    source: host.kind,
    ...(env.computerName === undefined ? {} : { computerName: env.computerName }),
    user: {
      ...(scope.otherUser ? {} : env.userName === undefined ? {} : { name: env.userName }),
      ...(scope.sid === undefined ? {} : { sid: scope.sid }),
    },
    isAdmin: env.isAdmin,
    installs,
    licensing,
    productKeys,
    identities,
    vnextLicenses: await readVnextLicenses(host, scope, identities),
    credentials,
    registry,
    folders,
    credentialStore,
    otherProfiles,
    runningOfficeApps: running.map((process) => ({ name: process.name, pid: process.pid })),
    warnings,
  };
}
