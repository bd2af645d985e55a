import { graphError, type RouteAnswer } from './routes.js';

/**
 * Who may open which mailbox, as Graph decides it.
 *
 * - An app-only token (client credentials, `roles` claim) reaches every mailbox of the tenant
 *   (GRAPH:permissions-reference, application Mail.ReadWrite: "without a signed-in user ... mail in
 *   all mailboxes"); an application access policy would narrow it, which the peer does not model.
 * - A delegated token reaches its own user's mailbox, and another one only where that user holds
 *   rights on it (GRAPH:outlook-share-messages-folders, "Access shared or delegated mail": the
 *   owner or an admin must grant them, e.g. `Add-MailboxPermission -AccessRights FullAccess`);
 *   otherwise Graph answers 403 ErrorAccessDenied "Access is denied. Check credentials and try again."
 * - A token the peer knows nothing about (no `tokens`, no `defaultUser`) is treated as unrestricted,
 *   so tests that do not care about identities keep working; identity tests set `tokens`.
 */
export class MailboxAccess {
  /** mailbox (lower-case) → users (lower-case) holding FullAccess on it. */
  private readonly fullAccess = new Map<string, Set<string>>();

  grantFullAccess(mailbox: string, user: string): void {
    const key = mailbox.toLowerCase();
    const users = this.fullAccess.get(key) ?? new Set<string>();
    users.add(user.toLowerCase());
    this.fullAccess.set(key, users);
  }

  check(auth: { user?: string; appOnly: boolean }, mailbox: string): RouteAnswer | undefined {
    if (auth.appOnly || auth.user === undefined) return undefined;
    const user = auth.user.toLowerCase();
    const key = mailbox.toLowerCase();
    if (user === key || this.fullAccess.get(key)?.has(user)) return undefined;
    return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  }
}
