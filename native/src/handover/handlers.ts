import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  CloudwardError,
  runResultSchema,
  type handoverCommands,
  type HandoverRunResult,
  type HandoverStepEvent,
  type ServiceHandlers,
} from '../../../electron/contract/index.js';
import type { WindowsHost } from '../windows-host.js';
import { resolveScope, takeInventory } from './inventory.js';
import { buildPlan } from './plan.js';
import { runHtml, runText } from './report.js';
import { newRunId, runHandover } from './run.js';

export type HandoverHandlers = Pick<ServiceHandlers, keyof typeof handoverCommands>;

export interface HandoverDeps {
  /** This PC; undefined where it is not Windows (then only --from-capture works). */
  localHost: (() => WindowsHost) | undefined;
  openCapture: (dir: string) => Promise<WindowsHost>;
  /** Each run's timestamped backup folder goes in here, unless the request names another. */
  backupRoot: string;
  emit?: (event: HandoverStepEvent) => void;
  now?: () => Date;
}

/** The handover room's service handlers: inventory, plan, run (backup, steps, verify) and the report. */
export function createHandoverHandlers(deps: HandoverDeps): HandoverHandlers {
  const runs = new Map<string, HandoverRunResult>();
  const now = deps.now ?? (() => new Date());
  const hostFor = async (fromCapture: string | undefined): Promise<WindowsHost> => {
    if (fromCapture !== undefined) return deps.openCapture(fromCapture);
    if (deps.localHost === undefined) throw new CloudwardError('WINDOWS_ONLY', 'Handover reads Office licensing on Windows only; elsewhere use a capture folder (--from-capture DIR) made on the PC');
    return deps.localHost();
  };
  const findRun = async (runId: string): Promise<HandoverRunResult> => {
    const known = runs.get(runId);
    if (known !== undefined) return known;
    if (!/^[A-Za-z0-9._-]+$/.test(runId)) throw new CloudwardError('JOB_NOT_FOUND', `No handover run ${runId}`);
    try {
      const stored = runResultSchema.parse(JSON.parse(await readFile(join(deps.backupRoot, runId, 'result.json'), 'utf8')));
      runs.set(runId, stored);
      return stored;
    } catch {
      throw new CloudwardError('JOB_NOT_FOUND', `No handover run ${runId}`);
    }
  };

  return {
    async 'handover:inventory'(request) {
      const host = await hostFor(request.fromCapture);
      return takeInventory(host, { ...(request.user === undefined ? {} : { user: request.user }), now });
    },
    async 'handover:plan'(request) {
      const host = await hostFor(request.fromCapture);
      const scope = await resolveScope(host, await host.environment(), request.user);
      const inventory = await takeInventory(host, { ...(request.user === undefined ? {} : { user: request.user }), now });
      return buildPlan(inventory, scope, { includeCredentialStore: request.includeCredentialStore, now });
    },
    async 'handover:run'(request) {
      const host = await hostFor(undefined);
      const runId = newRunId(now());
      const result = await runHandover(host, {
        runId,
        confirmToken: request.confirmToken,
        dryRun: request.dryRun,
        includeCredentialStore: request.includeCredentialStore,
        backupRoot: request.backupDir ?? deps.backupRoot,
        ...(request.user === undefined ? {} : { user: request.user }),
        now,
        onStep: (result) => deps.emit?.({ type: 'handover-step', runId, result }),
      });
      runs.set(result.runId, result);
      if (result.backupDir !== undefined) {
        await writeFile(join(result.backupDir, 'report.html'), runHtml(result));
        await writeFile(join(result.backupDir, 'report.txt'), runText(result));
      }
      return result;
    },
    async 'handover:report'(request) {
      const result = await findRun(request.runId);
      const content = request.format === 'html' ? runHtml(result) : runText(result);
      const file = result.backupDir === undefined ? undefined : join(result.backupDir, request.format === 'html' ? 'report.html' : 'report.txt');
      return { format: request.format, content, ...(file === undefined ? {} : { file }) };
    },
  };
}
