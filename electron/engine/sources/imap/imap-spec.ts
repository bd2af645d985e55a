import { readFileSync } from 'node:fs';

import { CloudwardError } from '../../../contract/index.js';
import type { SourceSpecHandler, SpecContext } from '../../specs/spec.js';
import { imapAccount, imapUsage, parseImapSpec } from './imap-address.js';
import { ImapSource } from './imap-source.js';
import { buildLogin } from './login-format.js';

function stringOption(context: SpecContext, name: string): string | undefined {
  const value = context.options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The keychain/env account a source password is looked up under: the mailbox owner's
 * (`imaps://alice@host`), or with --admin-user the admin's (`imaps://admin@host`).
 */
export function imapPasswordAccount(spec: string, adminUser?: string): string {
  const address = parseImapSpec(spec);
  return imapAccount(address, adminUser || address.user);
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw new CloudwardError('BAD_ARGUMENTS', `--source-ca ${file} cannot be read (${code})`);
  }
}

/** `imap://user@host[:port]` (STARTTLS) and `imaps://user@host[:port]` (TLS). */
export const imapSourceSpec: SourceSpecHandler = {
  schemes: ['imap', 'imaps'],
  usage: imapUsage,
  /** Also takes `imaps://HOST[:PORT]` alone, the --batch form; create() needs the user. */
  validate(spec: string): void {
    parseImapSpec(spec, { hostOnly: true });
  },
  create(spec: string, context: SpecContext): ImapSource {
    const address = parseImapSpec(spec);
    const adminUser = stringOption(context, 'adminUser');
    const loginFormat = stringOption(context, 'loginFormat');
    // Fails early on a bad combination, before any password is asked for.
    buildLogin(address.user, '', adminUser, loginFormat);
    const caFile = stringOption(context, 'sourceCa');
    const userRoot = stringOption(context, 'userRoot');
    const account = imapAccount(address, adminUser ?? address.user);
    return new ImapSource({
      address,
      ...(caFile !== undefined ? { ca: readCa(caFile) } : {}),
      ...(userRoot !== undefined ? { userRoot } : {}),
      allowPlaintext: context.options['sourcePlaintext'] === true,
      log: context.log,
      login: async () => {
        const password = await context.secrets.get('source-password', account);
        if (password === undefined) {
          throw new CloudwardError(
            'SECRET_MISSING',
            `No password for ${account}: store it in the keychain or set CLOUDWARD_SOURCE_PASSWORD`,
          );
        }
        return buildLogin(address.user, password, adminUser, loginFormat);
      },
      // Only the account's own password: with an admin login a refusal may mean the user's mailbox does not
      // exist (Dovecot and Exchange answer both the same), and one bad CSV row must not cost the admin password.
      ...(adminUser === undefined ? { loginRefused: async () => context.secrets.refused?.('source-password', account) } : {}),
    });
  },
};
