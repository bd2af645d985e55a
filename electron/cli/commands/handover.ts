import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { CloudwardError, type ServiceEvent } from '../../contract/index.js';
import { createHandoverHandlers, createLocalHost, type HandoverHandlers, inventoryText, openCapture, planText, runText, writeCapture } from '../../../native/index.js';
import { parse } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectory } from '../data-paths.js';
import { exitCodes } from '../exit-codes.js';

export const handoverUsage = `cloudward handover inventory|plan [--from-capture DIR] [--user SID] [--include-credential-store] [--json]
  cloudward handover run (--confirm TOKEN | --dry-run) [--backup DIR] [--user SID] [--include-credential-store] [--json]
  cloudward handover report RUN-ID [--format html|text] [--out FILE]
  cloudward handover capture DIR`;

const options = {
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  backup: { type: 'string' },
  'include-credential-store': { type: 'boolean' },
  user: { type: 'string' },
  'from-capture': { type: 'string' },
  confirm: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

/** The handover room's handlers as the service host composes them (Windows: this PC; elsewhere captures only). */
export function serviceHandoverHandlers(environment: NodeJS.ProcessEnv, publish: (event: ServiceEvent) => void): HandoverHandlers {
  const local = createLocalHost();
  return createHandoverHandlers({
    localHost: local === undefined ? undefined : () => local,
    openCapture: (dir) => openCapture(resolve(dir)),
    backupRoot: join(dataDirectory(environment), 'handover-backups'),
    emit: publish,
  });
}

/** Office licence, identity and credential clean-up when a PC goes to a new user (issue 13). */
export async function handoverCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parse(rest, options, 1);
  const backupRoot = resolve(values.backup ?? join(dataDirectory(io.environment), 'handover-backups'));
  const local = createLocalHost();
  const handlers = createHandoverHandlers({
    localHost: local === undefined ? undefined : () => local,
    openCapture: (dir) => openCapture(resolve(dir)),
    backupRoot,
    emit: values.json ? (event) => io.stdout.write(JSON.stringify(event) + '\n') : undefined,
  });
  const scope = {
    ...(values.user === undefined ? {} : { user: values.user }),
    ...(values['from-capture'] === undefined ? {} : { fromCapture: values['from-capture'] }),
  };
  const out = (json: unknown, text: string): void => {
    io.stdout.write(values.json ? JSON.stringify(json) + '\n' : text);
  };
  switch (action) {
    case 'inventory': {
      const inventory = await handlers['handover:inventory'](scope);
      out(inventory, inventoryText(inventory));
      return exitCodes.ok;
    }
    case 'plan': {
      const plan = await handlers['handover:plan']({ ...scope, includeCredentialStore: values['include-credential-store'] === true });
      out(plan, `${inventoryText(plan.inventory)}\n${planText(plan)}${plan.steps.length > 0 ? `\nTo run it: cloudward handover run --confirm ${plan.confirmToken}${values['include-credential-store'] ? ' --include-credential-store' : ''}${values.user === undefined ? '' : ` --user ${values.user}`}\n` : ''}`);
      return exitCodes.ok;
    }
    case 'run': {
      if (values['from-capture'] !== undefined) throw new CloudwardError('BAD_ARGUMENTS', 'A capture is read-only: run the handover on the PC itself (inventory and plan work from a capture)');
      const includeCredentialStore = values['include-credential-store'] === true;
      let token = values.confirm;
      if (token === undefined) {
        if (values['dry-run'] !== true) throw new CloudwardError('BAD_ARGUMENTS', 'Review the plan first (cloudward handover plan), then run with --confirm TOKEN, or use --dry-run');
        token = (await handlers['handover:plan']({ ...scope, includeCredentialStore })).confirmToken;
      }
      const result = await handlers['handover:run']({ ...(values.user === undefined ? {} : { user: values.user }), confirmToken: token, dryRun: values['dry-run'] === true, backupDir: backupRoot, includeCredentialStore });
      out(result, `${runText(result)}${result.backupDir === undefined ? '' : `Report for the customer: ${join(result.backupDir, 'report.html')}\n`}`);
      return result.results.some((step) => step.status === 'failed') || (!result.dryRun && !result.clean) ? exitCodes.withIssues : exitCodes.ok;
    }
    case 'report': {
      const runId = positionals[0];
      if (runId === undefined) throw new CloudwardError('BAD_ARGUMENTS', `Usage: ${handoverUsage}`);
      const format = values.format ?? 'html';
      if (format !== 'html' && format !== 'text') throw new CloudwardError('BAD_ARGUMENTS', '--format takes html or text');
      const report = await handlers['handover:report']({ runId, format });
      if (values.out === undefined) io.stdout.write(report.content);
      else await writeFile(values.out, report.content);
      return exitCodes.ok;
    }
    case 'capture': {
      const dir = positionals[0];
      if (dir === undefined) throw new CloudwardError('BAD_ARGUMENTS', `Usage: ${handoverUsage}`);
      if (local === undefined) throw new CloudwardError('WINDOWS_ONLY', 'handover capture reads this PC and runs on Windows only');
      await mkdir(dir, { recursive: true });
      const files = await writeCapture(local, resolve(dir));
      io.stdout.write(`Saved ${files.length} file(s) in ${resolve(dir)}: ${files.join(', ')}\n`);
      return exitCodes.ok;
    }
    default:
      throw new CloudwardError('BAD_ARGUMENTS', `Usage: ${handoverUsage}`);
  }
}
