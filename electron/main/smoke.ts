import type { ServiceResult } from '../contract/index.js';

/**
 * CI's smoke start (build/ci/windows.yml): with CLOUDWARD_SMOKE_TEST=1 the packaged app opens its window,
 * asks the engine (utility process: SQLite, keychain) for app:info, prints one line and quits. Nothing
 * secret is involved, and the window is the normal one.
 */
export function isSmokeTest(environment: NodeJS.ProcessEnv): boolean {
  return environment['CLOUDWARD_SMOKE_TEST'] === '1';
}

export async function runSmokeTest(request: (command: string, payload: unknown) => Promise<ServiceResult>, quit: (code: number) => void): Promise<void> {
  const [info, jobs] = await Promise.all([request('app:info', {}), request('jobs:list', {})]);
  if (info.ok && jobs.ok) {
    const { version } = info.value as { version: string };
    process.stdout.write(`cloudward-smoke: ok ${version}\n`);
    quit(0);
  } else {
    const failure = !info.ok ? info.error : !jobs.ok ? jobs.error : undefined;
    process.stdout.write(`cloudward-smoke: failed ${failure?.code}: ${failure?.message}\n`);
    quit(1);
  }
}
