import { resolve } from 'node:path';

import { CloudwardError, type ErrorInfo, type JobSpec, type ServiceEvent, type SummaryEvent } from '../../contract/index.js';
import { createLogger } from '../../engine/log/logger.js';
import { disablePhaseProfile, enablePhaseProfile, formatPhaseProfiles, phaseProfiles } from '../../engine/profile/phase-profile.js';
import { KeytarKeychain } from '../../engine/secrets/keytar-keychain.js';
import { parse, positiveInteger, requireOption } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectory, defaultLedger } from '../data-paths.js';
import { exitCodeForOutcome, exitCodes } from '../exit-codes.js';
import { inProcessClient } from '../service-client.js';
import { createServiceHost } from '../service-host.js';
import { formatBytes, formatDuration, TerminalProgress } from '../terminal-progress.js';
import { terminalPrompts } from '../terminal-prompts.js';
import { appVersion } from '../version.js';

export const migrateUsage =
  'cloudward migrate --source SPEC --target SPEC [--ledger FILE] [--json] [--batch users.csv] [--parallel N]\n' +
  '                  [--source-ca FILE] [--admin-user NAME --login-format dovecot|sasl|exchange|mirapoint]\n' +
  '                  [--target-mailbox ADDRESS] [--target-auth token|basic|ntlm|device-code|client-credentials]\n' +
  '                  [--tenant ID] [--client-id ID] [--graph-endpoint URL] [--graph-autocomplete-beta] [--max-item-mb N] [--ews-budget-mb N] [--remove-passwords] [--log FILE]\n' +
  '                  [--profile]';

const options = {
  source: { type: 'string' },
  target: { type: 'string' },
  ledger: { type: 'string' },
  json: { type: 'boolean' },
  batch: { type: 'string' },
  parallel: { type: 'string' },
  'source-ca': { type: 'string' },
  'admin-user': { type: 'string' },
  'login-format': { type: 'string' },
  'target-mailbox': { type: 'string' },
  'target-auth': { type: 'string' },
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  'graph-endpoint': { type: 'string' },
  'graph-autocomplete-beta': { type: 'boolean' },
  'max-item-mb': { type: 'string' },
  'ews-budget-mb': { type: 'string' },
  'remove-passwords': { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  profile: { type: 'boolean' },
  log: { type: 'string' },
} as const;

/** Events a --json line carries: the job's own, and prompts (answered or declined by this process). */
const jsonEventTypes = new Set<ServiceEvent['type']>(['progress', 'item', 'mailbox', 'wait', 'summary', 'prompt', 'prompt-closed']);

/**
 * A thin client of the job service, in-process: the spec goes in through the same contract the desktop
 * app and the browser host use, events come back to the terminal (or as --json lines), and prompts are
 * answered here. The engine itself never touches the terminal.
 */
export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, options);
  const sourceSpec = requireOption(values.source, '--source');
  const targetSpec = requireOption(values.target, '--target');
  const parallel = positiveInteger(values.parallel, '--parallel', 4);
  if (values.profile === true) enablePhaseProfile();
  const specOptions: Record<string, string | number | boolean> = {};
  const copy = (from: keyof typeof values, to: string): void => {
    const value = values[from];
    if (typeof value === 'string') specOptions[to] = value;
  };
  copy('source-ca', 'sourceCa');
  copy('admin-user', 'adminUser');
  copy('login-format', 'loginFormat');
  copy('target-mailbox', 'targetMailbox');
  copy('target-auth', 'targetAuth');
  copy('tenant', 'tenant');
  copy('client-id', 'clientId');
  copy('graph-endpoint', 'graphEndpoint');
  if (values['graph-autocomplete-beta'] === true) specOptions['graphAutocompleteBeta'] = true;
  if (values['max-item-mb'] !== undefined) specOptions['maxItemMb'] = positiveInteger(values['max-item-mb'], '--max-item-mb', 35);
  // EWS: a safety byte budget per mailbox and 5 minutes (EWS throttling itself is time- and concurrency-based; the server's back-off drives the rest).
  if (values['ews-budget-mb'] !== undefined) specOptions['ewsBudgetMb'] = positiveInteger(values['ews-budget-mb'], '--ews-budget-mb', 150);
  const spec: JobSpec = {
    source: sourceSpec,
    target: targetSpec,
    options: specOptions,
    parallel,
    verify: !values['no-verify'],
    ...(values.batch !== undefined ? { batchCsv: values.batch } : {}),
    ...(values['remove-passwords'] ? { removePasswords: true } : {}),
  };

  const log = createLogger(values.log ?? resolve(dataDirectory(io.environment), 'logs', 'cloudward.log'), 'info', (problem) => io.stderr.write(`cloudward: ${problem}\n`));
  const ledgerFile = values.ledger ?? defaultLedger(io.environment);
  const host = createServiceHost({ ledgerFile, environment: io.environment, host: 'cli', version: appVersion(), keychain: new KeytarKeychain(), log });
  const client = inProcessClient(host.dispatch);
  const json = values.json === true;
  const terminal = !json && io.stderr.isTTY ? new TerminalProgress(io.stderr) : undefined;
  const interactive = !json && process.stdin.isTTY === true && io.stderr.isTTY === true;
  const prompts = terminalPrompts(io, interactive, async (answer) => {
    await client.request('prompt:answer', answer);
  });

  let summary: SummaryEvent | undefined;
  const mailboxErrors: { mailbox: string; error: ErrorInfo }[] = [];
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolveDone) => (finished = resolveDone));
  const unsubscribe = host.subscribe(
    (event) => {
      if (json && jsonEventTypes.has(event.type)) io.stdout.write(JSON.stringify(event) + '\n');
      if (event.type === 'prompt') prompts(event);
      else if (event.type === 'job-state' && event.state === 'finished') finished();
      else if (event.type === 'mailbox' && event.phase === 'failed' && event.error) mailboxErrors.push({ mailbox: event.mailbox, error: event.error });
      else if (event.type === 'summary') summary = event;
      if (!json && event.type !== 'prompt' && event.type !== 'prompt-closed' && event.type !== 'job-state' && event.type !== 'item-summary') terminal?.handle(event as Parameters<TerminalProgress['handle']>[0]);
    },
    { items: true },
  );

  let jobId: number | undefined;
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    // The ledger is committed item by item: a second Ctrl+C may leave at once without losing anything.
    if (interrupts > 1) process.exit(exitCodes.interrupted);
    if (jobId !== undefined) void client.request('job:cancel', { jobId }).catch(() => undefined);
    else void host.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    let badRows: { line: number; reason: string }[] = [];
    let started: { jobId: number };
    if (values.batch !== undefined) {
      // A batch is planned first, so refused CSV rows are listed before anything moves.
      const plan = await client.request('job:plan', spec);
      badRows = plan.badRows;
      for (const row of badRows) {
        if (json) io.stdout.write(JSON.stringify({ type: 'batch-row', line: row.line, error: row.reason }) + '\n');
        else io.stderr.write(`${values.batch}: line ${row.line}: ${row.reason}\n`);
      }
      started = await client.request('job:start', { planId: plan.planId });
    } else {
      started = await client.request('job:start', { spec });
    }
    jobId = started.jobId;
    if (interrupts > 0) await client.request('job:cancel', { jobId });
    await done;
    terminal?.end();
    if (!summary) throw new CloudwardError('INTERNAL', 'The job ended without a summary');
    const result = summary;
    if (!json) {
      for (const entry of mailboxErrors) {
        if (!terminal) io.stderr.write(`cloudward: ${result.mailboxes > 1 ? `${entry.mailbox}: ` : ''}${entry.error.message}\n`);
      }
      const rate = result.seconds > 0 ? result.bytesDone / result.seconds : 0;
      io.stdout.write(
        `${result.outcome === 'interrupted' ? 'Interrupted' : result.outcome === 'failed' ? 'Stopped' : 'Finished'}: ${result.itemsDone} done, ${result.itemsSkipped} skipped, ${result.itemsFailed} failed` +
          `${result.itemsPending > 0 ? `, ${result.itemsPending} not finished` : ''} in ${formatDuration(result.seconds)} (${formatBytes(rate)}/s).` +
          ` Report: cloudward report --ledger ${ledgerFile} --format html --out report.html\n`,
      );
    }
    if (values.profile === true) {
      // Where the time went, per mailbox: on stderr for a person, as one more line for --json.
      if (json) io.stdout.write(JSON.stringify({ type: 'profile', mailboxes: phaseProfiles() }) + '\n');
      else io.stderr.write(formatPhaseProfiles(phaseProfiles()));
    }
    const code = exitCodeForOutcome(result.outcome, mailboxErrors, result.mailboxes);
    return code === exitCodes.ok && badRows.length > 0 ? exitCodes.withIssues : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    unsubscribe();
    if (values.profile === true) disablePhaseProfile();
    await host.close();
    log.flush();
  }
}
