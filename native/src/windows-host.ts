/**
 * The seam between Cloudward and Windows. Everything that touches the PC (commands such as
 * `cscript ospp.vbs /dstatus`, the registry, the credential vault, files, processes) goes through a
 * WindowsHost, so the same inventory, plan and run code drives the real PC, a simulated one in tests,
 * and a capture folder saved on a PC (read-only) on any OS.
 */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type RegistryValueType =
  | 'REG_SZ'
  | 'REG_EXPAND_SZ'
  | 'REG_MULTI_SZ'
  | 'REG_DWORD'
  | 'REG_QWORD'
  | 'REG_BINARY'
  | 'REG_NONE';

export interface RegistryValue {
  name: string;
  type: RegistryValueType;
  /** As `reg query` prints it: DWORDs in 0x hex, binaries as hex digits, multi-strings joined by \0. */
  data: string;
}

/** One key and its own values (subkeys come as their own entries). Keys in the short form (HKCU\...). */
export interface RegistryKeyDump {
  key: string;
  values: RegistryValue[];
}

/** A generic credential as Credential Manager's API lists it. The secret never leaves the vault. */
export interface CredentialEntry {
  target: string;
  /** generic, domain-password, ... (CRED_TYPE_*, lower-case words). */
  type: string;
  userName?: string;
}

export interface FileEntry {
  /** Relative to the listed folder, backslash-separated. */
  path: string;
  size: number;
}

export interface ProcessEntry {
  name: string;
  pid: number;
}

export interface HostEnvironment {
  computerName?: string;
  userName?: string;
  userSid?: string;
  isAdmin: boolean;
  localAppData: string;
  appData: string;
  programData: string;
  programFiles: string;
  /** Absent on 32-bit Windows. */
  programFilesX86?: string;
}

export interface WindowsHost {
  /** live: this PC; simulated: tests; capture: a folder saved on a PC (every write is refused). */
  readonly kind: 'live' | 'simulated' | 'capture';
  environment(): Promise<HostEnvironment>;
  /** Runs a program with an argument vector (never through a shell). */
  runCommand(program: string, args: readonly string[], options?: { timeoutMs?: number; env?: Record<string, string> }): Promise<CommandResult>;
  /** Values of one key ([] when it does not exist); `valueName` narrows to a single value. */
  readRegistry(key: string, valueName?: string): Promise<RegistryValue[]>;
  /** The key and every key below it, or undefined when the key does not exist. */
  readRegistryTree(key: string): Promise<RegistryKeyDump[] | undefined>;
  /** Names of the direct subkeys ([] when the key does not exist). */
  listSubkeys(key: string): Promise<string[]>;
  listCredentials(): Promise<CredentialEntry[]>;
  /** Every file below a folder, or undefined when the folder does not exist. */
  listFolder(path: string): Promise<FileEntry[] | undefined>;
  readFile(path: string): Promise<Buffer | undefined>;
  fileExists(path: string): Promise<boolean>;
  listProcesses(): Promise<ProcessEntry[]>;
  /** Licences already decoded on the PC (a capture carries these instead of the licence files). */
  capturedVnextLicenses?(): Promise<unknown[] | undefined>;

  // The write side. Each resolves to 'gone' when the item was not there (nothing to do).
  exportRegistryKey(key: string, file: string): Promise<void>;
  copyFolder(path: string, destination: string): Promise<void>;
  deleteRegistryKey(key: string): Promise<'done' | 'gone'>;
  deleteRegistryValue(key: string, valueName: string): Promise<'done' | 'gone'>;
  deleteCredential(target: string, type: string): Promise<'done' | 'gone'>;
  deleteFolder(path: string): Promise<'done' | 'gone'>;
}
