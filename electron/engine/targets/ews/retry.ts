import { CloudwardError, toCloudwardError } from '../../../contract/index.js';

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  signal: AbortSignal;
}

export const defaultRetry = { attempts: 8, baseDelayMs: 500, maxDelayMs: 30_000 };

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CloudwardError('CANCELLED', 'The job was cancelled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CloudwardError('CANCELLED', 'The job was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Retries for the target's own small requests (access probe, folders, reconcile, verify, series
 * exceptions), which the pipeline does not retry: a throttled GetFolder must not fail a mailbox.
 * Item writes are left to the pipeline, which paces and records them. The server's back-off wins.
 */
export async function withRetry<T>(action: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (raw) {
      const error = toCloudwardError(raw);
      if (!error.retryable || error.code === 'CANCELLED' || attempt >= options.attempts) throw error;
      const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delay = error.retryAfterMs ?? Math.round(exponential * (0.5 + Math.random() * 0.5));
      await sleep(delay, options.signal);
    }
  }
}
