import { CloudwardError } from '../../../contract/index.js';

/** How an admin login is combined with the mailbox owner's name, per server family. */
export const loginFormats = ['dovecot', 'sasl', 'exchange', 'mirapoint'] as const;
export type LoginFormat = (typeof loginFormats)[number];

/** What imapflow gets as `auth`. */
export interface ImapLogin {
  user: string;
  pass: string;
  /** SASL authorization identity: act as this user (AUTH=PLAIN). */
  authzid?: string;
  loginMethod?: 'AUTH=PLAIN';
}

/**
 * Builds the login for `user`, either as that user or through an admin account, in the forms
 * Microsoft's IMAP migration documents: `user*admin` (Dovecot master user), SASL PLAIN with an
 * authorization identity, `Domain/Admin/User` (Exchange), `#user@domain#admin#` (Mirapoint).
 */
export function buildLogin(user: string, password: string, adminUser?: string, format?: string): ImapLogin {
  if (adminUser === undefined || adminUser === '') {
    if (format !== undefined && format !== '') {
      throw new CloudwardError('BAD_ARGUMENTS', `--login-format ${format} needs --admin-user`);
    }
    return { user, pass: password };
  }
  const kind = (format ?? 'dovecot').toLowerCase();
  switch (kind) {
    case 'dovecot':
      return { user: `${user}*${adminUser}`, pass: password };
    case 'sasl':
      return { user: adminUser, pass: password, authzid: user, loginMethod: 'AUTH=PLAIN' };
    case 'exchange': {
      const parts = adminUser.split(/[\\/]/);
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        throw new CloudwardError(
          'BAD_ARGUMENTS',
          `--login-format exchange needs --admin-user DOMAIN/ADMIN (got "${adminUser}"); the login becomes DOMAIN/ADMIN/USER`,
        );
      }
      return { user: `${parts[0]}/${parts[1]}/${user}`, pass: password };
    }
    case 'mirapoint':
      if (!user.includes('@')) {
        throw new CloudwardError(
          'BAD_ARGUMENTS',
          `--login-format mirapoint needs the full address user@domain as user name (got "${user}"); the login becomes #user@domain#admin#`,
        );
      }
      return { user: `#${user}#${adminUser}#`, pass: password };
    default:
      throw new CloudwardError('BAD_ARGUMENTS', `--login-format must be one of ${loginFormats.join(', ')} (got "${format}")`);
  }
}
