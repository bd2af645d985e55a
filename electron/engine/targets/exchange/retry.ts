import { CloudwardError, toCloudwardError } from '../../../contract/index.js';
import { realClock, type Clock } from '../../pipeline/pacer.js';
import { defaultRetryPolicy, retryDelay, type RetryPolicy } from '../../pipeline/retry-policy.js';

export interface RetryOptions {
  signal: AbortSignal;
  /** The pipeline's one policy (retry-policy.ts) unless a caller needs fewer attempts. */
  policy?: RetryPolicy;
  clock?: Clock;
  random?: () => number;
}

/**
 * Retries for a target's own small requests (access probe, folders, reconcile lookups, verify),
 * which the pipeline does not see: a throttled GetFolder must not fail a mailbox. Item writes are
 * left to the pipeline, which paces and records them. Same delays as the pipeline (retryDelay):
 * the server's back-off hint wins, else exponential with jitter; clock and random injectable.
 */
export async function withRetry<T>(action: () => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = options.policy ?? defaultRetryPolicy;
  const clock = options.clock ?? realClock;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (raw) {
      const error = toCloudwardError(raw);
      if (!error.retryable || error.code === 'CANCELLED' || attempt >= policy.maxAttempts) throw error;
      if (options.signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
      try {
        await clock.sleep(retryDelay(policy, attempt + 1, error, options.random), options.signal);
      } catch {
        throw new CloudwardError('CANCELLED', 'The job was cancelled');
      }
    }
  }
}
