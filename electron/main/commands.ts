import type { EngineHost } from './engine-host.js';
import type { CommandHandlers } from './ipc-handlers.js';
import type { IpcResponse } from '../contract/index.js';

/** What each IPC command does. Cheap facts are answered here; engine work goes to the utility process. */
export function createCommandHandlers(appVersion: () => string, engine: EngineHost): CommandHandlers {
  return {
    'app:info': async () => ({ version: appVersion(), platform: process.platform }),
    'job:status': async (request) => (await engine.request('job:status', request)) as IpcResponse<'job:status'>,
  };
}
