import { CloudwardError } from '../../../contract/index.js';

/** Socket-level failures (node's error codes) as catalogue errors; the same for EWS and Graph. */
export function networkError(error: unknown, url: string): CloudwardError {
  if (error instanceof CloudwardError) return error;
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return new CloudwardError('TARGET_UNREACHABLE', `Cannot reach ${url} (${code})`, { cause: error });
  }
  if (code.startsWith('CERT_') || code.includes('SELF_SIGNED') || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return new CloudwardError('TARGET_UNREACHABLE', `The server's certificate is not trusted (${code}) at ${url}`, { retryable: false, cause: error });
  }
  return new CloudwardError('CONNECTION_LOST', `The connection to ${url} dropped (${code || message})`, { cause: error });
}
