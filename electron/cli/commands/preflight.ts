import { CloudwardError, type PreflightFinding, type PreflightRequest, preflightRequestSchema, type PreflightRun } from '../../contract/index.js';
import { Ledger } from '../../engine/ledger/ledger.js';
import { PreflightStore } from '../../engine/preflight/preflight-store.js';
import { runPreflight, todoList } from '../../engine/preflight/run-preflight.js';
import { LayeredSecrets } from '../../engine/secrets/layered-secrets.js';
import { KeytarKeychain } from '../../engine/secrets/keytar-keychain.js';
import { parse, requireOption } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { defaultLedger } from '../data-paths.js';
import { exitCodes } from '../exit-codes.js';
import { terminalPrompt } from '../prompt.js';

export const preflightUsage = `cloudward preflight --domain DOMAIN [--phase before|after] [--dns-server IP:PORT]
                  [--smtp HOST[:PORT] | --no-smtp] [--smtp-user ADDRESS] [--send-test ADDRESS]
                  [--legacy-device direct-send|relay] [--relay-host HOST[:PORT]] [--legacy-sender SPF-TERM]
                  [--not-via-m365] [--imap imaps://USER@HOST[:PORT] [--admin-user NAME --login-format F]] [--target SPEC [--target-mailbox ADDRESS]
                  [--target-auth MODE] [--tenant ID] [--client-id ID]] [--ca FILE] [--ledger FILE] [--json]`;

const options = {
  domain: { type: 'string' },
  phase: { type: 'string' },
  'dns-server': { type: 'string' },
  smtp: { type: 'string' },
  'no-smtp': { type: 'boolean' },
  'smtp-user': { type: 'string' },
  'send-test': { type: 'string' },
  'legacy-device': { type: 'string' },
  'relay-host': { type: 'string' },
  'legacy-sender': { type: 'string' },
  'not-via-m365': { type: 'boolean' },
  imap: { type: 'string' },
  target: { type: 'string' },
  'target-mailbox': { type: 'string' },
  'target-auth': { type: 'string' },
  tenant: { type: 'string' },
  'client-id': { type: 'string' },
  'admin-user': { type: 'string' },
  'login-format': { type: 'string' },
  ca: { type: 'string' },
  ledger: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const marks: Record<PreflightFinding['verdict'], string> = { fail: 'FAIL', warn: 'WARN', pass: 'ok  ', skip: 'skip' };

/**
 * Checks DNS, mail submission, the source and the target for one domain; prints a to-do list (failures,
 * then warnings) and keeps the run in the ledger. Exit code: 0 all passed, 1 warnings, 5 failures.
 */
export async function preflightCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, options);
  const domain = requireOption(values.domain, '--domain');
  if (values.phase !== undefined && values.phase !== 'before' && values.phase !== 'after') throw new CloudwardError('BAD_ARGUMENTS', `--phase takes before or after, not "${values.phase}"`);
  const legacy = values['legacy-device'];
  if (legacy !== undefined && legacy !== 'direct-send' && legacy !== 'relay') throw new CloudwardError('BAD_ARGUMENTS', `--legacy-device takes direct-send or relay, not "${legacy}"`);
  const targetOptions: Record<string, string> = {};
  for (const [flag, key] of [['target-mailbox', 'targetMailbox'], ['target-auth', 'targetAuth'], ['tenant', 'tenant'], ['client-id', 'clientId'], ['admin-user', 'adminUser'], ['login-format', 'loginFormat']] as const) {
    const value = values[flag];
    if (value !== undefined) targetOptions[key] = value;
  }
  const request: PreflightRequest = {
    domain,
    ...(values.phase === undefined ? {} : { phase: values.phase }),
    ...(values['dns-server'] === undefined ? {} : { dnsServer: values['dns-server'] }),
    ...(values['no-smtp'] ? { smtp: false as const } : values.smtp === undefined ? {} : { smtp: values.smtp }),
    ...(values['smtp-user'] === undefined ? {} : { smtpUser: values['smtp-user'] }),
    ...(values['send-test'] === undefined ? {} : { sendTestTo: values['send-test'] }),
    ...(legacy === undefined ? {} : { legacyDevice: legacy }),
    ...(values['relay-host'] === undefined ? {} : { relayHost: values['relay-host'] }),
    ...(values['legacy-sender'] === undefined ? {} : { legacySender: values['legacy-sender'] }),
    ...(values['not-via-m365'] ? { sendsThroughMicrosoft365: false } : {}),
    ...(values.imap === undefined ? {} : { imap: values.imap }),
    ...(values.target === undefined ? {} : { target: values.target }),
    targetOptions,
    ...(values.ca === undefined ? {} : { caFile: values.ca }),
  };
  const checked = preflightRequestSchema.safeParse(request);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new CloudwardError('BAD_ARGUMENTS', `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  const secrets = new LayeredSecrets({ keychain: new KeytarKeychain(), environment: io.environment, prompt: values.json ? undefined : terminalPrompt() });
  const ledger = Ledger.open(values.ledger ?? defaultLedger(io.environment));
  try {
    const run = await runPreflight(request, {
      secrets,
      store: new PreflightStore(ledger),
      emit: (event) => {
        if (values.json) io.stdout.write(JSON.stringify(event) + '\n');
        else if (event.type === 'preflight-check') io.stderr.write(`  ${marks[event.finding.verdict]} ${event.finding.title}\n`);
      },
    });
    if (values.json) io.stdout.write(JSON.stringify({ type: 'preflight-run', ...run }) + '\n');
    else io.stdout.write(renderTodo(run));
    return run.summary.fail > 0 ? exitCodes.failed : run.summary.warn > 0 ? exitCodes.withIssues : exitCodes.ok;
  } finally {
    ledger.close();
  }
}

/** The to-do list a technician works through: failures first, then warnings, each with its evidence and fix. */
export function renderTodo(run: PreflightRun): string {
  const lines = [`Preflight for ${run.domain} (${run.phase ?? 'before'} the cutover), run ${run.runId}`];
  const todo = todoList(run.findings);
  if (todo.length === 0) lines.push('', 'Nothing to do: every check passed.');
  else lines.push('', 'To do:');
  todo.forEach((finding, index) => {
    lines.push(`${String(index + 1).padStart(2)}. [${finding.verdict.toUpperCase()}] ${finding.title} (${finding.checkId})`);
    if (finding.fix) lines.push(`    Fix: ${finding.fix}`);
    // Long evidence (an SPF include tree) keeps its head and its conclusion, the last line.
    const evidence = finding.evidence.length > 8 ? [...finding.evidence.slice(0, 6), `… ${finding.evidence.length - 7} more`, ...finding.evidence.slice(-1)] : finding.evidence;
    for (const line of evidence) lines.push(`    seen: ${line}`);
  });
  const rest = run.findings.filter((finding) => finding.verdict === 'pass' || finding.verdict === 'skip');
  if (rest.length > 0) lines.push('', 'Checked:');
  // The last evidence line is the conclusion ("mail goes to mx.oldisp.example …"), worth seeing even on a pass.
  for (const finding of rest) lines.push(`  ${marks[finding.verdict]} ${finding.title}: ${finding.evidence[finding.evidence.length - 1] ?? ''}`);
  lines.push('', `${run.summary.fail} failed, ${run.summary.warn} warnings, ${run.summary.pass} passed, ${run.summary.skip} skipped`);
  return lines.join('\n') + '\n';
}
