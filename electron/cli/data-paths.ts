import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where Cloudward keeps its ledger and logs when not told: the per-user application data folder. */
export function dataDirectory(environment: NodeJS.ProcessEnv = process.env): string {
  if (environment['CLOUDWARD_HOME']) return environment['CLOUDWARD_HOME'];
  if (process.platform === 'win32') return join(environment['LOCALAPPDATA'] ?? join(homedir(), 'AppData', 'Local'), 'Cloudward');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Cloudward');
  return join(environment['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share'), 'cloudward');
}

export function defaultLedger(environment: NodeJS.ProcessEnv = process.env): string {
  return environment['CLOUDWARD_LEDGER'] ?? join(dataDirectory(environment), 'ledger.sqlite');
}
