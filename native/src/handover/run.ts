import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  CloudwardError,
  toCloudwardError,
  type HandoverPlan,
  type HandoverRunResult,
  type PlanStep,
  type StepResult,
} from '../../../electron/contract/index.js';
import { keyId } from '../registry-path.js';
import type { WindowsHost } from '../windows-host.js';
import { takeInventory, resolveScope } from './inventory.js';
import { assertAllowed, canonicalPath, officeProcessNames, type HandoverScope } from './locations.js';
import { buildPlan } from './plan.js';
import { unpkeyArgs } from './step-commands.js';

export interface RunOptions {
  confirmToken: string;
  dryRun: boolean;
  user?: string;
  includeCredentialStore?: boolean;
  /** The timestamped backup folder is made inside this one. Required unless dryRun. */
  backupRoot?: string;
  now?: () => Date;
  onStep?: (result: StepResult) => void;
  runId?: string;
}

/** handover-20261128-230000: sorts by time, safe as a folder name on every OS. */
export function newRunId(date: Date): string {
  return `handover-${date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}`;
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'item';
}

function resultOf(step: PlanStep, status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult {
  return {
    stepId: step.id,
    kind: step.kind,
    target: step.target,
    ...(step.valueName === undefined ? {} : { valueName: step.valueName }),
    status,
    ...extra,
  };
}

/** Backs up every item a step removes, before anything is removed; returns where each went. */
async function backUp(host: WindowsHost, plan: HandoverPlan, dir: string): Promise<Map<string, string>> {
  const where = new Map<string, string>();
  await mkdir(join(dir, 'registry'), { recursive: true });
  await mkdir(join(dir, 'folders'), { recursive: true });
  await writeFile(join(dir, 'plan.json'), JSON.stringify(plan, null, 2));
  const exported = new Map<string, string>();
  for (const step of plan.steps) {
    if (step.kind === 'delete-registry-key' || step.kind === 'delete-registry-value') {
      // A value's backup is its whole key: `reg export` works per key, and the key is small.
      const id = keyId(step.target);
      let file = exported.get(id);
      if (file === undefined) {
        file = join(dir, 'registry', `${step.id}-${safeName(step.target.split('\\').slice(-3).join('-'))}.reg`);
        await host.exportRegistryKey(step.target, file);
        exported.set(id, file);
      }
      where.set(step.id, file);
    } else if (step.kind === 'delete-folder') {
      const destination = join(dir, 'folders', `${step.id}-${safeName(step.target.split(/[\\/]/).slice(-3).join('-'))}`);
      await host.copyFolder(step.target, destination);
      where.set(step.id, destination);
    }
  }
  const credentials = plan.steps.filter((step) => step.kind === 'delete-credential');
  if (credentials.length > 0) {
    // Names only: the secrets stay in (and leave with) the vault; Office signs in again anyway.
    const file = join(dir, 'credentials.txt');
    await writeFile(file, credentials.map((step) => step.target).join('\r\n') + '\r\n');
    for (const step of credentials) where.set(step.id, file);
  }
  const keys = plan.steps.filter((step) => step.kind === 'unpkey');
  if (keys.length > 0) {
    const file = join(dir, 'product-keys.txt');
    await writeFile(file, keys.map((step) => `${step.target}\t${step.osppPath ?? ''}`).join('\r\n') + '\r\n');
    for (const step of keys) where.set(step.id, file);
  }
  return where;
}

async function execute(host: WindowsHost, step: PlanStep, credentialType: string): Promise<'done' | 'gone'> {
  switch (step.kind) {
    case 'unpkey': {
      const result = await host.runCommand('cscript', unpkeyArgs(step.osppPath ?? '', step.target), { timeoutMs: 120_000 });
      const output = `${result.stdout}\n${result.stderr}`;
      // ospp prints "<Product key uninstall successful>"; an error prints "ERROR CODE: 0x...".
      if (result.exitCode !== 0 || /ERROR CODE:\s*0x/i.test(output)) {
        const code = /ERROR CODE:\s*(0x[0-9A-F]+)/i.exec(output)?.[1];
        if (code?.toUpperCase() === '0X80070005') throw new CloudwardError('ELEVATION_REQUIRED', `/unpkey:${step.target} was refused: run as administrator`, { item: step.target });
        throw new CloudwardError('COMMAND_FAILED', `OSPP.VBS /unpkey:${step.target} failed${code === undefined ? ` (exit ${result.exitCode})` : ` (${code})`}`, { item: step.target });
      }
      return /uninstall successful/i.test(output) ? 'done' : 'gone';
    }
    case 'delete-registry-key':
      return host.deleteRegistryKey(step.target);
    case 'delete-registry-value':
      return host.deleteRegistryValue(step.target, step.valueName ?? '');
    case 'delete-credential':
      return host.deleteCredential(step.target, credentialType);
    case 'delete-folder':
      return host.deleteFolder(step.target);
  }
}

/** Allow-listed items still on the PC: what a plan made now would remove (the credential store only when asked). */
export function remainingItems(plan: HandoverPlan): string[] {
  return plan.steps.map((step) => `${step.kind} ${step.target}${step.valueName === undefined ? '' : ` [${step.valueName}]`}`);
}

/**
 * Backup, then each step, then the inventory again. The plan is made again from the PC as it is now
 * and must match the confirm token the technician saw. A dry run changes nothing and writes nothing:
 * each step says 'would-do'.
 */
export async function runHandover(host: WindowsHost, options: RunOptions): Promise<HandoverRunResult> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const env = await host.environment();
  const scope: HandoverScope = await resolveScope(host, env, options.user);
  const planOptions = { includeCredentialStore: options.includeCredentialStore === true, now };
  const plan = buildPlan(await takeInventory(host, { ...(options.user === undefined ? {} : { user: options.user }), now }), scope, planOptions);
  if (plan.confirmToken !== options.confirmToken) {
    throw new CloudwardError('PLAN_CHANGED', `The PC changed since the plan was made (token ${plan.confirmToken}, not ${options.confirmToken}): review the new plan and confirm it`);
  }
  for (const step of plan.steps) assertAllowed(step, scope);
  const runId = options.runId ?? newRunId(started);

  const results: StepResult[] = [];
  const report = (result: StepResult): void => {
    results.push(result);
    options.onStep?.(result);
  };
  let backupDir: string | undefined;
  if (options.dryRun) {
    for (const step of plan.steps) report(resultOf(step, 'would-do'));
  } else {
    if (host.kind === 'capture') throw new CloudwardError('WINDOWS_ONLY', 'A capture folder is read-only: run the handover on the PC itself');
    const running = (await host.listProcesses()).filter((process) => officeProcessNames.includes(process.name.toLowerCase()));
    if (running.length > 0) {
      throw new CloudwardError('OFFICE_RUNNING', `Close these first, then run again: ${[...new Set(running.map((process) => `${process.name} (pid ${process.pid})`))].join(', ')}`);
    }
    if (options.backupRoot === undefined) throw new CloudwardError('BAD_ARGUMENTS', 'A backup folder is required for a real run');
    const backupId = canonicalPath(options.backupRoot);
    const doomed = plan.steps.find((step) => step.kind === 'delete-folder' && backupId !== undefined && (backupId === canonicalPath(step.target) || backupId.startsWith(`${canonicalPath(step.target) ?? '\0'}\\`)));
    if (doomed !== undefined) throw new CloudwardError('BAD_ARGUMENTS', `The backup folder ${options.backupRoot} is inside ${doomed.target}, which the handover deletes: choose another`);
    backupDir = join(options.backupRoot, runId);
    let backups: Map<string, string>;
    try {
      backups = await backUp(host, plan, backupDir);
    } catch (error) {
      const cause = toCloudwardError(error, 'COMMAND_FAILED');
      throw new CloudwardError(cause.code, `Backup failed, nothing was removed: ${cause.message}`, { cause: error });
    }
    for (const step of plan.steps) {
      const backup = backups.get(step.id);
      const extra = backup === undefined ? {} : { backup };
      if (step.needsElevation && !env.isAdmin) {
        report(resultOf(step, 'failed', { ...extra, error: new CloudwardError('ELEVATION_REQUIRED', `${step.kind} ${step.target} needs an administrator`, { item: step.target }).toInfo() }));
        continue;
      }
      try {
        const credential = plan.inventory.credentials.find((entry) => entry.target === step.target);
        const outcome = await execute(host, step, credential?.type ?? 'generic');
        report(resultOf(step, outcome === 'done' ? 'done' : 'already-gone', extra));
      } catch (error) {
        const cause = toCloudwardError(error, 'COMMAND_FAILED');
        report(resultOf(step, 'failed', { ...extra, error: { ...cause.toInfo(), item: cause.item ?? step.target } }));
      }
    }
  }

  const after = await takeInventory(host, { ...(options.user === undefined ? {} : { user: options.user }), now });
  const remaining = remainingItems(buildPlan(after, scope, planOptions));
  const result: HandoverRunResult = {
    runId,
    dryRun: options.dryRun,
    startedAt: started.toISOString(),
    finishedAt: now().toISOString(),
    ...(backupDir === undefined ? {} : { backupDir }),
    plan,
    results,
    after,
    remaining,
    // A part that could not be read is not known to be clean.
    clean: remaining.length === 0 && !after.warnings.some((warning) => warning.startsWith('Could not')),
  };
  if (backupDir !== undefined) await writeFile(join(backupDir, 'result.json'), JSON.stringify(result, null, 2));
  return result;
}
