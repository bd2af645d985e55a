import type { CloudwardError } from '../../contract/index.js';

export interface RetryPolicy {
  /** Attempts per item, the first one included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 120_000 };

/**
 * Delay before attempt `attempt` (2 for the first retry). A server's own hint wins over our
 * exponential guess (it knows its load); jitter keeps many mailboxes from retrying in step.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, error: Pick<CloudwardError, 'retryAfterMs'>, random = Math.random): number {
  if (error.retryAfterMs !== undefined && error.retryAfterMs >= 0) return error.retryAfterMs;
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 2);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped * (0.5 + random() * 0.5));
}
