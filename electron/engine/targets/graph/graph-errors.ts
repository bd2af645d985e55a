import { CloudwardError, type ErrorInfo, errorCatalogue } from '../../../contract/index.js';
import { retryAfterMs } from '../exchange/back-off.js';

/** Graph's error body (GRAPH:errors): `{ error: { code, message, innerError } }`. */
export function graphErrorCode(body: string): { code: string; message: string } {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    return { code: String(parsed.error?.code ?? ''), message: String(parsed.error?.message ?? '') };
  } catch {
    return { code: '', message: body.slice(0, 200) };
  }
}

export const permissionAdvice =
  'Graph refused access to the mailbox (HTTP 403). Delegated sign-in (device code) needs Mail.ReadWrite, Contacts.ReadWrite, Calendars.ReadWrite, Tasks.ReadWrite ' +
  'and MailboxSettings.Read, and for another person\'s mailbox Mail.ReadWrite.Shared, Contacts.ReadWrite.Shared and Calendars.ReadWrite.Shared, and an Exchange admin must also give the signed-in account FullAccess on it ' +
  '(Add-MailboxPermission -Identity <target mailbox> -User <signed-in account> -AccessRights FullAccess; GRAPH:outlook-share-messages-folders) or you sign in as the mailbox owner; app-only (client credentials) needs the application permissions ' +
  'Mail.ReadWrite, Contacts.ReadWrite, Calendars.ReadWrite, Tasks.ReadWrite.All and MailboxSettings.Read with admin consent (limit them to the migrated mailboxes with an application access policy or RBAC for Applications).';

function info(code: ErrorInfo['code'], message: string, retryAfter?: number): ErrorInfo {
  return { code, message, retryable: errorCatalogue[code].retryable, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
}

/** What an HTTP status and Graph error code mean for us (GRAPH:errors, GRAPH:throttling). */
export function errorForStatus(status: number, headers: Record<string, string>, body: string, what: string): ErrorInfo {
  const { code, message } = graphErrorCode(body);
  const text = `${status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
  const hint = retryAfterMs(headers['retry-after']);
  if (status === 429) return info('THROTTLED', `Graph asked us to slow down (${text})`, hint);
  if (status === 503 || status === 502 || status === 504) return info('TARGET_FAILED', `Graph is temporarily unavailable (${text})`, hint);
  if (status >= 500) return info('TARGET_FAILED', `Graph failed ${what} (${text})`, hint);
  if (status === 401) return info('TARGET_AUTH_FAILED', `Graph refused the sign-in (${text})`);
  if (status === 403) return info('TARGET_AUTH_FAILED', `${permissionAdvice} (${text})`);
  if (status === 413) return info('ITEM_TOO_LARGE', `Graph refused the request as too large (${text})`);
  if (status === 404 && (code === 'ErrorInvalidUser' || code === 'MailboxNotEnabledForRESTAPI' || code === 'ResourceNotFound' && /user/i.test(message))) {
    return info('BAD_ARGUMENTS', `The target mailbox does not exist or has no Exchange Online licence (${text}); check --target-mailbox`);
  }
  if (code === 'ErrorQuotaExceeded') return info('TARGET_REJECTED', `The target mailbox is full (${text}); raise its quota or free space`);
  return info('TARGET_REJECTED', `Graph rejected ${what} (${text})`);
}

export function toError(value: ErrorInfo): CloudwardError {
  return new CloudwardError(value.code, value.message, { retryable: value.retryable, ...(value.retryAfterMs === undefined ? {} : { retryAfterMs: value.retryAfterMs }) });
}
