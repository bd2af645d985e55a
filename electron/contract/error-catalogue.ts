/**
 * One error catalogue for the engine, the CLI, the UI and the reports. A code is stable (reports and
 * scripts match on it); the message is for people. `retryable` says whether trying the same thing
 * again can help, so the pipeline never has to guess from message text.
 */
export const errorCatalogue = {
  BAD_ARGUMENTS: { retryable: false, summary: 'The command line is not right' },
  SOURCE_UNREADABLE: { retryable: false, summary: 'The source cannot be read' },
  SOURCE_AUTH_FAILED: { retryable: false, summary: 'The source refused the login' },
  TARGET_UNREACHABLE: { retryable: true, summary: 'The target cannot be reached' },
  TARGET_AUTH_FAILED: { retryable: false, summary: 'The target refused the login' },
  TARGET_BLOCKED: { retryable: false, summary: 'The target refuses this kind of access' },
  TARGET_REJECTED: { retryable: false, summary: 'The target rejected the item' },
  TARGET_FAILED: { retryable: true, summary: 'The target failed to store the item' },
  THROTTLED: { retryable: true, summary: 'The server asked us to slow down' },
  TIMEOUT: { retryable: true, summary: 'The server did not answer in time' },
  CONNECTION_LOST: { retryable: true, summary: 'The connection dropped' },
  ITEM_TOO_LARGE: { retryable: false, summary: 'The item is larger than the target accepts' },
  ITEM_UNREADABLE: { retryable: false, summary: 'The item could not be read from the source' },
  ITEM_UNSUPPORTED: { retryable: false, summary: 'The target does not take this kind of item' },
  DUPLICATE: { retryable: false, summary: 'The same item was already migrated' },
  NOT_USER_DATA: { retryable: false, summary: 'Not something Outlook shows the user; left out on purpose' },
  VERIFY_FAILED: { retryable: false, summary: 'Reading back a written item showed it was changed' },
  LEDGER_FAILED: { retryable: false, summary: 'The progress ledger could not be written' },
  SECRET_MISSING: { retryable: false, summary: 'No password or token was found' },
  CANCELLED: { retryable: true, summary: 'The job was cancelled' },
  IPC_SENDER_REJECTED: { retryable: false, summary: 'A caller outside the app window used the bridge' },
  IPC_INVALID_REQUEST: { retryable: false, summary: 'A request to the app did not match its contract' },
  // The job service.
  JOB_NOT_FOUND: { retryable: false, summary: 'No such job, mailbox or plan in the ledger' },
  JOB_RUNNING: { retryable: false, summary: 'The job is already running' },
  PROMPT_CANCELLED: { retryable: false, summary: 'The question was dismissed, so the step cannot go on' },
  TOKEN_EXPIRED: { retryable: true, summary: 'The sign-in expired and a new one is needed' },
  // Files in formats we parse ourselves (NK2, autocomplete streams, captures).
  FORMAT_INVALID: { retryable: false, summary: 'The file is not in the expected format or is damaged' },
  // Handover and other Windows-only work.
  WINDOWS_ONLY: { retryable: false, summary: 'This only runs on Windows' },
  ELEVATION_REQUIRED: { retryable: false, summary: 'This step needs administrator rights' },
  OFFICE_RUNNING: { retryable: true, summary: 'Office applications are still running' },
  OUTSIDE_ALLOW_LIST: { retryable: false, summary: 'The location is not one Cloudward may change' },
  COMMAND_FAILED: { retryable: false, summary: 'A system command failed' },
  PLAN_CHANGED: { retryable: false, summary: 'The PC changed since the plan was made; review the new plan' },
  INTERNAL: { retryable: false, summary: 'Unexpected internal error' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCatalogue, value);
}

/**
 * An error as it crosses a process or a wire: what reports, the CLI's --json and the UI all show.
 * Declared without zod so the ledger and quick commands (status, --version) need not load it;
 * error-info-schema.ts validates the same shape and fails to compile if the two drift apart.
 */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  /** Server's own back-off hint, when it gave one. */
  retryAfterMs?: number | undefined;
  /** The item (source key) the error concerns, when it concerns one. */
  item?: string | undefined;
}

/** The one error class that crosses room boundaries; everything else is wrapped into it. */
export class CloudwardError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly item: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; retryAfterMs?: number; item?: string; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CloudwardError';
    this.code = code;
    this.retryable = options.retryable ?? errorCatalogue[code].retryable;
    this.retryAfterMs = options.retryAfterMs;
    this.item = options.item;
  }

  toInfo(): ErrorInfo {
    const info: ErrorInfo = { code: this.code, message: this.message, retryable: this.retryable };
    if (this.retryAfterMs !== undefined) info.retryAfterMs = this.retryAfterMs;
    if (this.item !== undefined) info.item = this.item;
    return info;
  }
}

/** Anything thrown becomes a CloudwardError; unknown errors are INTERNAL and not retried. */
export function toCloudwardError(error: unknown, fallback: ErrorCode = 'INTERNAL'): CloudwardError {
  if (error instanceof CloudwardError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CloudwardError(fallback, message, { cause: error });
}
