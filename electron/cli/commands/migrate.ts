import { resolve } from 'node:path';

import { CloudwardError, type JobEvent } from '../../contract/index.js';
import { Ledger } from '../../engine/ledger/ledger.js';
import { createLogger } from '../../engine/log/logger.js';
import { runJob } from '../../engine/pipeline/run-job.js';
import type { MailboxPlan } from '../../engine/pipeline/job-types.js';
import { LayeredSecrets } from '../../engine/secrets/layered-secrets.js';
import { KeytarKeychain } from '../../engine/secrets/keytar-keychain.js';
import { resolveSource, resolveTarget } from '../../engine/specs/registry.js';
import { normalizeSpec, type SpecContext, type SpecOptions } from '../../engine/specs/spec.js';
import { parse, positiveInteger, requireOption } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectory, defaultLedger } from '../data-paths.js';
import { exitCodeForOutcome, exitCodes } from '../exit-codes.js';
import { terminalPrompt } from '../prompt.js';
import { formatBytes, formatDuration, TerminalProgress } from '../terminal-progress.js';

export const migrateUsage =
  'cloudward migrate --source SPEC --target SPEC [--ledger FILE] [--json] [--batch users.csv] [--parallel N]\n' +
  '                  [--source-ca FILE] [--admin-user NAME --login-format dovecot|sasl|exchange|mirapoint]\n' +
  '                  [--target-mailbox ADDRESS] [--target-auth token|basic|ntlm|device-code|client-credentials]\n' +
  '                  [--tenant ID] [--client-id ID] [--max-item-mb N] [--remove-passwords] [--log FILE]';

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
  'max-item-mb': { type: 'string' },
  'remove-passwords': { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  log: { type: 'string' },
} as const;

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, options);
  const sourceSpec = requireOption(values.source, '--source');
  const targetSpec = requireOption(values.target, '--target');
  const parallel = positiveInteger(values.parallel, '--parallel', 4);
  const specOptions: SpecOptions = {};
  const copy = (from: keyof typeof values, to: keyof SpecOptions): void => {
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
  if (values['max-item-mb'] !== undefined) specOptions.maxItemMb = positiveInteger(values['max-item-mb'], '--max-item-mb', 35);

  const log = createLogger(values.log ?? resolve(dataDirectory(io.environment), 'logs', 'cloudward.log'), 'info', (problem) => io.stderr.write(`cloudward: ${problem}\n`));
  const secrets = new LayeredSecrets({ keychain: new KeytarKeychain(), environment: io.environment, prompt: values.json ? undefined : terminalPrompt() });
  const context: SpecContext = { secrets, log, options: specOptions };
  const source = await resolveSource(sourceSpec);
  const target = await resolveTarget(targetSpec);

  let plans: MailboxPlan[];
  let jobSource: string;
  let badRows: { line: number; reason: string }[] = [];
  let cleanup: () => Promise<void> = async () => undefined;
  if (values.batch !== undefined) {
    // Loaded only for batches: it brings the IMAP stack, which other jobs need not pay for.
    const { planBatch } = await import('./batch-plans.js');
    const batch = await planBatch(values.batch, sourceSpec, target, context, io);
    plans = batch.plans;
    badRows = batch.errors;
    cleanup = values['remove-passwords'] ? batch.removePasswords : cleanup;
    jobSource = `batch:${resolve(values.batch)}|${sourceSpec}`;
    if (plans.length === 0) throw new CloudwardError('BAD_ARGUMENTS', `${values.batch} has no usable rows`);
  } else {
    jobSource = normalizeSpec(sourceSpec);
    plans = [
      {
        label: specOptions.targetMailbox ?? source.rest,
        source: jobSource,
        target: normalizeSpec(targetSpec),
        createSource: () => source.handler.create(source.rest, context),
        createTarget: () => target.handler.create(target.rest, context),
      },
    ];
  }

  const ledgerFile = values.ledger ?? defaultLedger(io.environment);
  const ledger = Ledger.open(ledgerFile);
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    // The ledger is committed item by item: a second Ctrl+C may leave at once without losing anything.
    if (interrupts > 1) process.exit(exitCodes.interrupted);
    controller.abort(new CloudwardError('CANCELLED', 'Interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const terminal = !values.json && io.stderr.isTTY ? new TerminalProgress(io.stderr) : undefined;
  const emit = (event: JobEvent): void => {
    if (values.json) io.stdout.write(JSON.stringify(event) + '\n');
    else terminal?.handle(event);
  };
  for (const row of badRows) {
    if (values.json) io.stdout.write(JSON.stringify({ type: 'batch-row', line: row.line, error: row.reason }) + '\n');
    else io.stderr.write(`${values.batch}: line ${row.line}: ${row.reason}\n`);
  }
  try {
    const result = await runJob({
      ledger,
      source: jobSource,
      target: normalizeSpec(targetSpec),
      mailboxes: plans,
      parallelMailboxes: parallel,
      signal: controller.signal,
      onEvent: emit,
      log,
      verify: !values['no-verify'],
    });
    terminal?.end();
    const { summary, mailboxErrors } = result;
    if (!values.json) {
      for (const entry of mailboxErrors) {
        if (!terminal) io.stderr.write(`cloudward: ${plans.length > 1 ? `${entry.mailbox}: ` : ''}${entry.error.message}\n`);
      }
      const rate = summary.seconds > 0 ? summary.bytesDone / summary.seconds : 0;
      io.stdout.write(
        `${summary.outcome === 'interrupted' ? 'Interrupted' : summary.outcome === 'failed' ? 'Stopped' : 'Finished'}: ${summary.itemsDone} done, ${summary.itemsSkipped} skipped, ${summary.itemsFailed} failed` +
          `${summary.itemsPending > 0 ? `, ${summary.itemsPending} not finished` : ''} in ${formatDuration(summary.seconds)} (${formatBytes(rate)}/s).` +
          ` Report: cloudward report --ledger ${ledgerFile} --format html --out report.html\n`,
      );
    }
    await cleanup();
    const code = exitCodeForOutcome(summary.outcome, mailboxErrors, plans.length);
    return code === exitCodes.ok && badRows.length > 0 ? exitCodes.withIssues : code;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    ledger.close();
    log.flush();
  }
}
