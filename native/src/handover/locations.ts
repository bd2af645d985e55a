import { win32 } from 'node:path';

import { CloudwardError, type PlanStep } from '../../../electron/contract/index.js';
import { isKeyAtOrUnder, joinKey, keyId, normalizeKey } from '../registry-path.js';

/**
 * Every location a handover may touch, from Microsoft's own clean-up (OLicenseCleanup.vbs and the
 * "Reset Microsoft 365 Apps activation state" article; see shared/docs/formats.md). The allow-list is
 * this file: a plan step outside it is refused when the plan is built and again before it runs.
 */

export const officeVersions = ['15.0', '16.0'] as const;

/** Per-user keys under Software\Microsoft\Office\<v>\, each removed whole. */
export const userOfficeKeys = [
  { path: 'Common\\Identity', why: 'cached Office sign-in identities of the previous user' },
  { path: 'Common\\Licensing', why: 'per-user licence state and licensing mode (vNext/device)' },
  { path: 'Common\\Internet\\WebServiceCache', why: 'cached Office web service answers for the previous account' },
  { path: 'Common\\ServicesManagerCache', why: 'cached connected services of the previous account' },
  { path: 'Registration', why: 'Office registration of the previous user' },
] as const;

export const protectedStorageKey = 'Software\\Microsoft\\Protected Storage System Provider';

export const clickToRunConfiguration = 'HKLM\\SOFTWARE\\Microsoft\\Office\\ClickToRun\\Configuration';
/** Machine-wide Click-to-Run values that remember the previous user's account. */
export function isClickToRunAccountValue(name: string): boolean {
  return /\.(EmailAddress|TenantId)$/i.test(name) || name.toLowerCase() === 'productkeys';
}

/** Credential Manager targets Office, Teams, Skype for Business and OneDrive keep their tokens under. */
export const officeCredentialTarget = /^(MicrosoftOffice1\d|msteams|Microsoft_OC|OneDrive)/i;

/** Office and companion programs that hold licences or tokens open while they run. */
export const officeProcessNames = [
  'winword.exe',
  'excel.exe',
  'outlook.exe',
  'powerpnt.exe',
  'onenote.exe',
  'msaccess.exe',
  'mspub.exe',
  'visio.exe',
  'winproj.exe',
  'lync.exe',
  'teams.exe',
  'ms-teams.exe',
  'onedrive.exe',
];

/** Where one user's things live: the signed-in user (HKCU) or another profile (HKU\<SID>). */
export interface HandoverScope {
  /** HKCU or HKU\<SID>. */
  hive: string;
  otherUser: boolean;
  sid?: string;
  localAppData: string;
  appData: string;
  programData: string;
  /** 64-bit Windows: reg.exe is told /reg:64 so Click-to-Run keys are not redirected. */
  registryView64?: boolean;
}

export function userFolders(scope: HandoverScope): { path: string; why: string; elevated: boolean }[] {
  const local = scope.localAppData;
  return [
    ...officeVersions.map((version) => ({
      path: win32.join(local, 'Microsoft', 'Office', version, 'Licensing'),
      why: `Office ${version === '15.0' ? '2013' : '2016+'} licence and shared computer activation tokens of the previous user`,
      elevated: scope.otherUser,
    })),
    { path: win32.join(local, 'Microsoft', 'Office', 'Licenses'), why: 'Microsoft 365 (vNext) user licences of the previous user', elevated: scope.otherUser },
    { path: win32.join(scope.programData, 'Microsoft', 'Office', 'Licenses'), why: 'Microsoft 365 device licences on this PC', elevated: true },
  ];
}

/** Every DPAPI-protected secret of the user (not only Office's): only behind --include-credential-store. */
export function credentialStoreFolders(scope: HandoverScope): { path: string; why: string; elevated: boolean }[] {
  const why = "the user's whole Windows credential store (every saved password of every program, not only Office)";
  return [
    { path: win32.join(scope.appData, 'Microsoft', 'Credentials'), why, elevated: scope.otherUser },
    { path: win32.join(scope.localAppData, 'Microsoft', 'Credentials'), why, elevated: scope.otherUser },
    { path: win32.join(scope.appData, 'Microsoft', 'Protect'), why: "the user's DPAPI master keys (without them no saved secret of the user can be read)", elevated: scope.otherUser },
  ];
}

function refuse(what: string): never {
  throw new CloudwardError('OUTSIDE_ALLOW_LIST', `${what} is outside the locations a handover may change`, { item: what });
}

/** A Windows path in a canonical, comparable form, or undefined when it is relative, a UNC/device path or climbs with "..". */
export function canonicalPath(path: string): string | undefined {
  if (!/^[A-Za-z]:\\/.test(path.replace(/\//g, '\\'))) return undefined;
  if (path.split(/[\\/]/).some((part) => part === '..' || part === '.')) return undefined;
  return win32.normalize(path).replace(/\\+$/, '').toLowerCase();
}

function isPathAtOrUnder(path: string, root: string): boolean {
  const p = canonicalPath(path);
  const r = canonicalPath(root);
  return p !== undefined && r !== undefined && (p === r || p.startsWith(`${r}\\`));
}

function allowedUserKeys(scope: HandoverScope): string[] {
  const hive = normalizeKey(scope.hive) ?? scope.hive;
  return [
    ...officeVersions.flatMap((version) => userOfficeKeys.map((entry) => joinKey(hive, 'Software\\Microsoft\\Office', version, entry.path))),
    joinKey(hive, protectedStorageKey),
  ];
}

const osppPath = /^[a-z]:\\program files(?: \(x86\))?\\microsoft office\\(?:root\\)?office1[56]\\ospp\.vbs$/;

/** Throws OUTSIDE_ALLOW_LIST unless the step touches only an allow-listed location of this scope. */
export function assertAllowed(step: Pick<PlanStep, 'kind' | 'target' | 'valueName' | 'osppPath' | 'credentialStore'>, scope: HandoverScope): void {
  switch (step.kind) {
    case 'unpkey': {
      if (!/^[A-Z0-9]{5}$/.test(step.target)) refuse(`product key "${step.target}"`);
      const canonical = step.osppPath === undefined ? undefined : canonicalPath(step.osppPath);
      if (canonical === undefined || !osppPath.test(canonical)) refuse(`OSPP.VBS at "${step.osppPath ?? ''}"`);
      return;
    }
    case 'delete-registry-key': {
      const key = normalizeKey(step.target);
      if (key === undefined || key.split('\\').some((part) => part === '..')) refuse(step.target);
      if (!allowedUserKeys(scope).some((root) => isKeyAtOrUnder(key, root))) refuse(step.target);
      return;
    }
    case 'delete-registry-value': {
      const key = normalizeKey(step.target);
      if (key === undefined || keyId(key) !== keyId(clickToRunConfiguration) || step.valueName === undefined || !isClickToRunAccountValue(step.valueName)) {
        refuse(`${step.target}${step.valueName === undefined ? '' : ` value ${step.valueName}`}`);
      }
      return;
    }
    case 'delete-credential':
      if (scope.otherUser || !officeCredentialTarget.test(step.target)) refuse(`credential "${step.target}"`);
      return;
    case 'delete-folder': {
      const roots = [...userFolders(scope), ...(step.credentialStore === true ? credentialStoreFolders(scope) : [])];
      if (canonicalPath(step.target) === undefined || !roots.some((root) => isPathAtOrUnder(step.target, root.path))) refuse(`folder ${step.target}`);
      return;
    }
    default:
      refuse(`a step of kind "${String((step as { kind: unknown }).kind)}"`);
  }
}
