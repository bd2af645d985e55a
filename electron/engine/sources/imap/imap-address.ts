import { CloudwardError } from '../../../contract/index.js';

/** Where an `imap://user@host[:port]` or `imaps://…` spec points. */
export interface ImapAddress {
  readonly scheme: 'imap' | 'imaps';
  /** Implicit TLS (imaps, port 993) rather than STARTTLS on the plain port. */
  readonly secure: boolean;
  readonly host: string;
  readonly port: number;
  /** The mailbox owner's login name, URL-decoded (may contain '@', '*', '/'). */
  readonly user: string;
  /** True when the spec named a port, so the account string keeps it. */
  readonly explicitPort: boolean;
}

export const imapUsage =
  'imap://USER@HOST[:PORT] (STARTTLS, port 143) or imaps://USER@HOST[:PORT] (TLS, port 993); URL-encode "@" in USER as %40';

function bad(spec: string, why: string): CloudwardError {
  return new CloudwardError('BAD_ARGUMENTS', `Source "${spec}": ${why}. Use ${imapUsage}`);
}

/**
 * Parses the spec's form only: no network, no disk. Throws BAD_ARGUMENTS. `hostOnly` accepts
 * `imaps://HOST[:PORT]` without a user: the form `--batch` takes, each CSV row adding its user.
 */
export function parseImapSpec(spec: string, options: { hostOnly?: boolean } = {}): ImapAddress {
  const match = /^(imaps?):\/\/(.*)$/i.exec(spec.trim());
  if (!match) throw bad(spec, 'not an imap:// or imaps:// address');
  const scheme = (match[1] ?? '').toLowerCase() as 'imap' | 'imaps';
  let rest = match[2] ?? '';
  // The last '@' separates user and host, so an unencoded address as user name still works.
  let at = rest.lastIndexOf('@');
  if (at < 0 && options.hostOnly) {
    rest = `@${rest}`;
    at = 0;
  } else if (at <= 0) {
    throw bad(spec, 'the user name is missing');
  }
  if (rest.slice(0, at).includes(':')) {
    throw bad(spec, 'a password does not go in the source (command lines are visible to other users); use the keychain, CLOUDWARD_SOURCE_PASSWORD or the prompt');
  }
  let user: string;
  try {
    user = decodeURIComponent(rest.slice(0, at));
  } catch {
    throw bad(spec, 'the user name has a broken %-escape');
  }
  const hostPort = rest.slice(at + 1).replace(/\/+$/, '');
  const hp = /^(\[[0-9a-f:.]+\]|[^:/\s[\]]+)(?::(\d{1,5}))?$/i.exec(hostPort);
  if (!hp) throw bad(spec, `"${hostPort}" is not a host name with an optional :port`);
  const host = (hp[1] ?? '').replace(/^\[|\]$/g, '').toLowerCase();
  const port = hp[2] === undefined ? (scheme === 'imaps' ? 993 : 143) : Number(hp[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(spec, `port ${hp[2]} is out of range`);
  if (user.length === 0 && !(options.hostOnly && at === 0)) throw bad(spec, 'the user name is empty');
  return { scheme, secure: scheme === 'imaps', host, port, user, explicitPort: hp[2] !== undefined };
}

/** The account string a password is stored under: `imaps://alice@mail.example.com[:port]`. */
export function imapAccount(address: ImapAddress, loginName: string = address.user): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.scheme}://${loginName}@${host}${address.explicitPort ? `:${address.port}` : ''}`;
}
