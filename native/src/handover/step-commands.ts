import type { PlanStep } from '../../../electron/contract/index.js';
import { longKey } from '../registry-path.js';

/**
 * The exact programs and API calls a run uses for each step, shared by the live host and the plan, so
 * what a dry run shows is what a real run does.
 */
export function registryViewArgs(view64: boolean): string[] {
  return view64 ? ['/reg:64'] : [];
}

export function unpkeyArgs(osppPath: string, lastFive: string): string[] {
  return ['//nologo', osppPath, `/unpkey:${lastFive}`];
}

export function regDeleteArgs(key: string, valueName: string | undefined, view64: boolean): string[] {
  return ['delete', longKey(key), ...(valueName === undefined ? [] : ['/v', valueName]), '/f', ...registryViewArgs(view64)];
}

function commandLine(program: string, args: readonly string[]): string {
  return [program, ...args.map((arg) => (/[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg))].join(' ');
}

export function stepCommand(step: Pick<PlanStep, 'kind' | 'target' | 'valueName' | 'osppPath'>, view64: boolean): string {
  switch (step.kind) {
    case 'unpkey':
      return commandLine('cscript', unpkeyArgs(step.osppPath ?? '', step.target));
    case 'delete-registry-key':
      return commandLine('reg.exe', regDeleteArgs(step.target, undefined, view64));
    case 'delete-registry-value':
      return commandLine('reg.exe', regDeleteArgs(step.target, step.valueName ?? '', view64));
    case 'delete-credential':
      return `CredDelete(${JSON.stringify(step.target)}) via PowerShell`;
    case 'delete-folder':
      return `delete folder tree ${JSON.stringify(step.target)} (Node fs.rm, recursive)`;
  }
}
