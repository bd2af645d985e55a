import { type CliIo, processIo } from './cli-io.js';
import { exitCodeForError, exitCodes } from './exit-codes.js';
import { usage } from './usage.js';
import { appVersion } from './version.js';

export { usage };

type Command = (args: string[], io: CliIo) => Promise<number>;

// Each command is loaded when it runs: `--version` and `help` then start without zod, SQLite or any
// protocol library, and one command does not pay for the others' imports.
const commands: Record<string, () => Promise<Command>> = {
  migrate: async () => (await import('./commands/migrate.js')).migrateCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  pst: async () => (await import('./commands/pst-inspect.js')).pstCommand,
  preflight: async () => (await import('./commands/preflight.js')).preflightCommand,
  handover: async () => (await import('./commands/handover.js')).handoverCommand,
  autocomplete: async () => (await import('./commands/autocomplete.js')).autocompleteCommand,
  ui: async () => (await import('./commands/ui.js')).uiCommand,
};

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
  const load = commands[command];
  try {
    if (!load) {
      const { CloudwardError } = await import('../contract/error-catalogue.js');
      throw new CloudwardError('BAD_ARGUMENTS', `Unknown command "${command}". Try: cloudward help`);
    }
    const run = await load();
    return await run(rest, io);
  } catch (error) {
    const { toCloudwardError } = await import('../contract/error-catalogue.js');
    const cause = toCloudwardError(error);
    const message = cause.code === 'INTERNAL' ? `Unexpected error: ${cause.message}` : cause.message;
    io.stderr.write(`cloudward: ${message.split('\n')[0]}\n`);
    if (io.environment['CLOUDWARD_DEBUG'] && error instanceof Error) io.stderr.write(`${error.stack ?? ''}\n`);
    return exitCodeForError(cause.code);
  }
}
