import { setTimeout as sleep } from 'node:timers/promises';

import { CloudwardError } from '../../../contract/index.js';

/** Waits `ms` or until the job is cancelled, whichever comes first; cancel rejects with CANCELLED. */
export async function cancellableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new CloudwardError('CANCELLED', 'The job was cancelled');
  }
}
