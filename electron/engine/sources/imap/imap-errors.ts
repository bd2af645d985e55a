import { CloudwardError } from '../../../contract/index.js';

/** Fields imapflow and Node put on the errors they raise. */
interface RawImapError {
  message?: string;
  code?: string;
  authenticationFailed?: boolean;
  responseText?: string;
  responseStatus?: string;
  serverResponseCode?: string;
  throttleReset?: number;
  throttleWaited?: number;
}

const certificateCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const connectionCodes = new Set([
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_DESTROYED',
  'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC',
]);
const timeoutCodes = new Set(['ETIMEOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT', 'ETIMEDOUT']);
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** "Request is throttled. Suggested Backoff Time: 299609 ms" (Exchange Online); the default when a server says only [THROTTLED]. */
export function backoffFromText(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const hint = /Backoff Time[:=\s]+(\d+)/i.exec(text);
  if (hint) return Number(hint[1]);
  if (/\[(THROTTLED|UNAVAILABLE|LIMIT)\]/i.test(text) || /Request is throttled/i.test(text)) return 60_000;
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

/**
 * Turns whatever imapflow, TLS or the socket threw into one CloudwardError with a one-line message:
 * auth failures, untrusted certificates (naming --source-ca), throttling with the server's back-off,
 * dropped connections and timeouts (retryable, so the source reconnects).
 */
export function toImapError(error: unknown, where: string): CloudwardError {
  if (error instanceof CloudwardError) return error;
  const raw = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as RawImapError;
  const code = raw.code ?? '';
  const server = raw.responseText ? oneLine(raw.responseText) : undefined;
  const backoff = code === 'ETHROTTLE' ? (raw.throttleReset ?? 60_000) : backoffFromText(raw.responseText ?? raw.message);
  if (backoff !== undefined) {
    const remaining = Math.max(0, backoff - (raw.throttleWaited ?? 0));
    return new CloudwardError('THROTTLED', `${where}: the server asked us to slow down for ${Math.ceil(backoff / 1000)} s${server ? ` ("${server}")` : ''}`, {
      retryAfterMs: remaining,
      cause: error,
    });
  }
  if (raw.authenticationFailed) {
    return new CloudwardError('SOURCE_AUTH_FAILED', `${where}: the server refused the login (wrong user name or password)${server ? `: ${server}` : ''}`, {
      cause: error,
    });
  }
  if (certificateCodes.has(code) || /certificate/i.test(raw.message ?? '')) {
    return new CloudwardError(
      'SOURCE_UNREADABLE',
      `${where}: the server's TLS certificate is not trusted (${code || oneLine(raw.message ?? '')}); to trust this server's own certificate, pass --source-ca FILE with its PEM certificate`,
      { cause: error },
    );
  }
  if (unreachableCodes.has(code)) {
    return new CloudwardError('SOURCE_UNREADABLE', `${where}: cannot reach the server (${code})`, { cause: error });
  }
  if (timeoutCodes.has(code)) {
    return new CloudwardError('TIMEOUT', `${where}: the server did not answer in time (${code})`, { cause: error });
  }
  if (connectionCodes.has(code) || raw.responseStatus === 'BYE' || /connection (closed|lost|not available)|socket hang up/i.test(raw.message ?? '')) {
    return new CloudwardError('CONNECTION_LOST', `${where}: the connection dropped${server ? ` ("${server}")` : ''}`, { cause: error });
  }
  const text = server ?? oneLine(raw.message ?? String(error));
  return new CloudwardError('SOURCE_UNREADABLE', `${where}: ${text}`, { cause: error });
}
