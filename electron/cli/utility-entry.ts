import { resolve } from 'node:path';

import { createLogger } from '../engine/log/logger.js';
import { KeytarKeychain } from '../engine/secrets/keytar-keychain.js';
import { dataDirectory, defaultLedger } from './data-paths.js';
import { type ParentPortLike, serveOnPort } from './port-server.js';
import { createServiceHost } from './service-host.js';
import { appVersion } from './version.js';

/**
 * Entry point of the Electron utility process (forked by electron/main/engine-host.ts): the only place
 * the desktop app reaches the engine. It serves the same service as the CLI and the browser host, with
 * the contract's envelopes over `process.parentPort`. It imports nothing from Electron. The ledger is
 * the same default ledger as the `cloudward` command (CLOUDWARD_LEDGER, or data-paths.ts).
 */
const port = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
if (port === undefined) {
  process.exitCode = 2;
  process.stderr.write('utility-entry runs only inside an Electron utility process.\n');
} else {
  const host = createServiceHost({
    ledgerFile: defaultLedger(process.env),
    environment: process.env,
    host: 'electron',
    version: appVersion(),
    keychain: new KeytarKeychain(),
    log: createLogger(resolve(dataDirectory(process.env), 'logs', 'cloudward.log')),
  });
  serveOnPort(port, host);
  // The app quitting kills this process: running jobs settle what they sent before it goes.
  const stop = (): void => {
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
