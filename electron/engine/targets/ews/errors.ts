import { CloudwardError, type ErrorInfo, errorCatalogue } from '../../../contract/index.js';

/** The admin steps for a tenant that answers 403 (ews-graph.md §3.4–3.6). */
export const blockedAdvice =
  'Exchange refused EWS access (HTTP 403): EWS is disabled for this organisation or mailbox, or this app is not on the allow list. ' +
  'An Exchange admin can allow it with `Set-OrganizationConfig -EWSEnabled $true -EWSAllowedAppIDs "<app id>"` ' +
  '(and `Set-CASMailbox <mailbox> -EwsEnabled $true`); Exchange Online removes EWS for good on 2027-04-01, ' +
  'so consider the Microsoft Graph target (graph:) instead.';

export const tooLargeAdvice = (mb: number) =>
  `The item is larger than the mailbox accepts (${mb} MB). Raise the limit with \`Set-Mailbox <mailbox> -MaxReceiveSize 150MB -MaxSendSize 150MB\` ` +
  'and run again with --max-item-mb 150 (Exchange Online allows up to 150 MB).';

export { retryAfterMs } from '../exchange/back-off.js';
export { networkError } from '../exchange/network-errors.js';

const throttleCodes = new Set(['ErrorServerBusy', 'ErrorTooManyObjectsOpened', 'ErrorExceededConnectionCount', 'ErrorExceededSubscriptionCount']);
const transientCodes = new Set([
  'ErrorInternalServerTransientError',
  'ErrorInternalServerError',
  'ErrorTimeoutExpired',
  'ErrorMailboxStoreUnavailable',
  'ErrorMailboxMoveInProgress',
  'ErrorConnectionFailed',
  'ErrorBatchProcessingStopped',
]);
const sizeCodes = new Set(['ErrorMessageSizeExceeded', 'ErrorRequestTooLarge']);
const authCodes = new Set(['ErrorAccessDenied', 'ErrorImpersonateUserDenied', 'ErrorImpersonationDenied', 'ErrorImpersonationFailed', 'ErrorInvalidUserSid', 'ErrorInvalidExchangeImpersonationHeaderData']);

function info(code: ErrorInfo['code'], message: string, retryAfter?: number): ErrorInfo {
  const out: ErrorInfo = { code, message, retryable: errorCatalogue[code].retryable };
  if (retryAfter !== undefined) out.retryAfterMs = retryAfter;
  return out;
}

/**
 * How to grant access, by how we log in. On-premises Basic/NTLM never sends ExchangeImpersonation, so a
 * technician's account needs FullAccess on the mailbox; app-only needs full_access_as_app (Online) or
 * ApplicationImpersonation (on-premises); delegated OAuth needs FullAccess too.
 */
export function accessAdvice(authKind: AuthKind | undefined): string {
  const fullAccess = 'give the login FullAccess on the mailbox (`Add-MailboxPermission -Identity <mailbox> -User <login> -AccessRights FullAccess -AutoMapping $false`)';
  if (authKind === 'basic' || authKind === 'ntlm') return fullAccess;
  if (authKind === 'client-credentials') return 'app-only access needs the full_access_as_app permission (Exchange Online) or the ApplicationImpersonation role (on-premises)';
  if (authKind === 'device-code') return fullAccess;
  return `app-only tokens need full_access_as_app (or ApplicationImpersonation on-premises); a user's token needs FullAccess: ${fullAccess}`;
}

type AuthKind = 'token' | 'basic' | 'ntlm' | 'device-code' | 'client-credentials';

/** What a per-item (or whole-request) EWS ResponseCode means for us. */
export function itemErrorFor(responseCode: string, messageText: string, backOffMs: number | undefined, maxItemMb: number, authKind?: AuthKind): ErrorInfo {
  const text = messageText ? `${responseCode}: ${messageText}` : responseCode;
  if (throttleCodes.has(responseCode)) return info('THROTTLED', `Exchange is busy (${text})`, backOffMs);
  if (sizeCodes.has(responseCode)) return info('ITEM_TOO_LARGE', `${tooLargeAdvice(maxItemMb)} (${text})`);
  if (transientCodes.has(responseCode)) return info('TARGET_FAILED', `Exchange failed to store the item (${text})`, backOffMs);
  if (responseCode === 'ErrorQuotaExceeded') return info('TARGET_REJECTED', `The target mailbox is full (${text}); raise its quota or free space`);
  if (authCodes.has(responseCode)) {
    return info('TARGET_AUTH_FAILED', `Exchange denied access to the mailbox (${text}); ${accessAdvice(authKind)}`);
  }
  if (responseCode === 'ErrorNonExistentMailbox') return info('BAD_ARGUMENTS', `The target mailbox does not exist (${text}); check --target-mailbox`);
  return info('TARGET_REJECTED', `Exchange rejected the item (${text})`);
}

export function errorFromInfo(value: ErrorInfo, cause?: unknown): CloudwardError {
  const options: { retryable: boolean; retryAfterMs?: number; cause?: unknown } = { retryable: value.retryable, cause };
  if (value.retryAfterMs !== undefined) options.retryAfterMs = value.retryAfterMs;
  return new CloudwardError(value.code, value.message, options);
}

/**
 * Failures after which Exchange may have committed the write anyway (timeout, dropped connection, a
 * proxy's 502/504, an HTTP 500 without a SOAP fault): the items are uncertain and are looked up before
 * any resend (issue 9 point 6).
 */
const uncertainErrors = new WeakSet<object>();

export function markUncertain<T extends object>(error: T): T {
  uncertainErrors.add(error);
  return error;
}

export function isUncertain(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (uncertainErrors.has(error)) return true;
  const code = (error as { code?: string }).code;
  return code === 'CONNECTION_LOST' || code === 'TIMEOUT' || code === 'CANCELLED';
}

/** A SOAP fault that rejects the whole request for something in it (one bad item in a batch): split and retry item by item. */
const requestLevelFaults = new WeakSet<object>();

export function markRequestLevel<T extends object>(error: T): T {
  requestLevelFaults.add(error);
  return error;
}

export function isRequestLevel(error: unknown): boolean {
  return typeof error === 'object' && error !== null && requestLevelFaults.has(error);
}
