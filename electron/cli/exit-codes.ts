import type { ErrorCode, JobOutcome } from '../contract/index.js';

/** The documented exit codes (README, "Exit codes"). Scripts depend on them: never renumber. */
export const exitCodes = {
  ok: 0,
  withIssues: 1,
  badArguments: 2,
  sourceUnreadable: 3,
  targetUnreachable: 4,
  failed: 5,
  interrupted: 130,
} as const;

export function exitCodeForError(code: ErrorCode): number {
  switch (code) {
    case 'BAD_ARGUMENTS':
    case 'SECRET_MISSING':
      return exitCodes.badArguments;
    case 'SOURCE_UNREADABLE':
    case 'SOURCE_AUTH_FAILED':
      return exitCodes.sourceUnreadable;
    case 'TARGET_UNREACHABLE':
    case 'TARGET_AUTH_FAILED':
    case 'TARGET_BLOCKED':
      return exitCodes.targetUnreachable;
    case 'CANCELLED':
      return exitCodes.interrupted;
    default:
      return exitCodes.failed;
  }
}

export function exitCodeForOutcome(outcome: JobOutcome, mailboxErrors: readonly { error: { code: ErrorCode } }[], mailboxes = 1): number {
  if (outcome === 'interrupted') return exitCodes.interrupted;
  if (outcome === 'complete') return exitCodes.ok;
  if (outcome === 'with-issues') return exitCodes.withIssues;
  // In a batch, one user's wrong password is that mailbox's failure, not the whole job's.
  if (mailboxErrors.length > 0 && mailboxErrors.length < mailboxes && mailboxErrors.every((entry) => entry.error.code !== 'VERIFY_FAILED')) {
    return exitCodes.withIssues;
  }
  // A failed job: the first stopped mailbox says why; when every mailbox stopped for the same reason
  // (wrong host, blocked tenant) the code names that reason.
  const first = mailboxErrors[0];
  return first ? exitCodeForError(first.error.code) : exitCodes.failed;
}
