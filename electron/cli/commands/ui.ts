import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { createLogger } from '../../engine/log/logger.js';
import { KeytarKeychain } from '../../engine/secrets/keytar-keychain.js';
import { parse } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { dataDirectory, defaultLedger } from '../data-paths.js';
import { exitCodes } from '../exit-codes.js';
import { startUiHost } from '../ui-host.js';
import { appVersion } from '../version.js';

export const uiUsage = 'cloudward ui [--port N] [--ledger FILE] [--no-open]';

/** Opens the URL in the default browser; a machine without one (a server, CI) just does not. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsHide: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener: the URL is printed; that is enough.
  }
}

/** Browser mode: the UI and the job service on 127.0.0.1 until Ctrl+C. */
export async function uiCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' }, ledger: { type: 'string' }, 'no-open': { type: 'boolean' } });
  let port = 0;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      io.stderr.write(`cloudward: --port takes a port number (0-65535), not "${values.port}"\n`);
      return exitCodes.badArguments;
    }
  }
  const log = createLogger(resolve(dataDirectory(io.environment), 'logs', 'cloudward.log'), 'info', (problem) => io.stderr.write(`cloudward: ${problem}\n`));
  const host = await startUiHost({
    port,
    ledgerFile: values.ledger ?? defaultLedger(io.environment),
    environment: io.environment,
    host: 'browser',
    version: appVersion(),
    keychain: new KeytarKeychain(),
    log,
  });
  io.stdout.write(`Cloudward is running at ${host.url}\n(the link carries this run's access key; Ctrl+C stops it)\n`);
  if (!values['no-open']) openBrowser(host.url);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await host.close();
  log.flush();
  return exitCodes.ok;
}
