import { CloudwardError, toCloudwardError } from '../contract/index.js';
import { type CliIo, processIo } from './cli-io.js';
import { autocompleteCommand, autocompleteUsage } from './commands/autocomplete.js';
import { handoverCommand, handoverUsage } from './commands/handover.js';
import { migrateCommand, migrateUsage } from './commands/migrate.js';
import { preflightCommand, preflightUsage } from './commands/preflight.js';
import { pstCommand, pstUsage } from './commands/pst-inspect.js';
import { reportCommand, reportUsage } from './commands/report.js';
import { statusCommand, statusUsage } from './commands/status.js';
import { uiCommand, uiUsage } from './commands/ui.js';
import { exitCodeForError, exitCodes } from './exit-codes.js';
import { appVersion } from './version.js';

const commands: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  migrate: migrateCommand,
  status: statusCommand,
  report: reportCommand,
  pst: pstCommand,
  preflight: preflightCommand,
  handover: handoverCommand,
  autocomplete: autocompleteCommand,
  ui: uiCommand,
};

export const usage = `Cloudward: move POP-era Outlook data and IMAP mailboxes into Microsoft 365 / Exchange.

  ${migrateUsage}
  ${statusUsage}
  ${reportUsage}
  ${pstUsage}
  ${preflightUsage}
  ${handoverUsage}
  ${autocompleteUsage}
  ${uiUsage}

Sources: eml:<folder> (.eml trees, Maildir)   pst:<file>[,<file>...] (PST/OST)   imap://user@host[:port], imaps://...
Targets: dir:<folder>   ews:https://host/EWS/Exchange.asmx (with --target-mailbox)
Secrets come from the OS keychain, CLOUDWARD_SOURCE_PASSWORD, CLOUDWARD_TARGET_PASSWORD,
CLOUDWARD_TARGET_TOKEN, or a prompt; never from the command line.
Exit codes: 0 done, 1 done with skipped or failed items, 2 bad arguments, 3 source unreadable,
4 target unreachable, 5 failed, 130 interrupted.
`;

/** Runs one command line; returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout.write(usage);
    return command === undefined ? exitCodes.badArguments : exitCodes.ok;
  }
  if (command === '--version' || command === 'version') {
    io.stdout.write(`cloudward ${appVersion()}\n`);
    return exitCodes.ok;
  }
  const run = commands[command];
  try {
    if (!run) throw new CloudwardError('BAD_ARGUMENTS', `Unknown command "${command}". Try: cloudward help`);
    return await run(rest, io);
  } catch (error) {
    const cause = toCloudwardError(error);
    const message = cause.code === 'INTERNAL' ? `Unexpected error: ${cause.message}` : cause.message;
    io.stderr.write(`cloudward: ${message.split('\n')[0]}\n`);
    if (io.environment['CLOUDWARD_DEBUG'] && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return exitCodeForError(cause.code);
  }
}
