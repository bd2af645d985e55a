/**
 * The seam between Cloudward and Windows. Everything that touches the PC (commands such as
 * `cscript ospp.vbs /dstatus`, registry reads, later the credential vault) goes through a
 * WindowsHost, so the same code can run for real on Windows or produce a DryRunPlan anywhere else.
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
  /** As `reg query` prints it: DWORDs in 0x hex, binaries as hex digits. */
  data: string;
}

export interface WindowsHost {
  /** True only for the real host; a dry run answers every call with an empty result. */
  readonly live: boolean;
  /** Runs a program with an argument vector (never through a shell). */
  runCommand(program: string, args: readonly string[], options?: { timeoutMs?: number }): Promise<CommandResult>;
  /** Values of one key; `valueName` narrows to a single value. */
  readRegistry(key: string, valueName?: string): Promise<RegistryValue[]>;
}

export type DryRunStep =
  | { kind: 'command'; program: string; args: readonly string[] }
  | { kind: 'registry-read'; key: string; valueName?: string };

/** What a run would do on Windows, in order, for the technician to review before anything changes. */
export interface DryRunPlan {
  steps: DryRunStep[];
}

/** A host that changes nothing: it records each call into `plan` and answers with nothing found. */
export function createDryRunHost(): WindowsHost & { readonly plan: DryRunPlan } {
  const plan: DryRunPlan = { steps: [] };
  return {
    live: false,
    plan,
    async runCommand(program, args) {
      plan.steps.push({ kind: 'command', program, args: [...args] });
      return { exitCode: 0, stdout: '', stderr: '' };
    },
    async readRegistry(key, valueName) {
      plan.steps.push(valueName === undefined ? { kind: 'registry-read', key } : { kind: 'registry-read', key, valueName });
      return [];
    },
  };
}
