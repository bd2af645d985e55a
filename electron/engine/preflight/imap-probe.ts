import { readFile } from 'node:fs/promises';

import { CloudwardError, type PreflightFinding, toCloudwardError } from '../../contract/index.js';
import { imapAccount, parseImapSpec } from '../sources/imap/imap-address.js';
import { toImapError } from '../sources/imap/imap-errors.js';
import { buildLogin } from '../sources/imap/login-format.js';
import { check, type PreflightProbe } from './probe.js';

/*
 * Exchange Online takes at most 150 MB per 5 minutes per mailbox through Graph and EWS alike, about 1.8 GB an hour
 * (shared/docs/field-notes.md §3 "Graph per mailbox" and "EWS per mailbox"; ews-graph.md "150 MB/5 min per mailbox
 * caps a single mailbox at ≈1.8 GB/hour"; learn.microsoft.com/graph/throttling-limits#outlook-service-limits).
 * Speed comes from mailboxes in parallel, so the figure is per mailbox.
 */
export const ingestionBytesPerHour = (150 * 1024 * 1024 * 60) / 5;
/** Microsoft 365 Business plans' mailbox size (Exchange Online limits, "Mailbox storage limits"). */
export const businessMailboxQuotaBytes = 50 * 1024 ** 3;
/** Longer than this and the move needs planning around it (start early, run the incremental pass at cutover). */
const longMoveHours = 24;

const loginCheck = check('source', 'source.imap.login', 'IMAP source: sign-in');
const capabilityCheck = check('source', 'source.imap.capabilities', 'IMAP source: server capabilities');
const folderCheck = check('source', 'source.imap.folders', 'IMAP source: folders');
const sizeCheck = check('source', 'source.imap.size', 'IMAP source: total size');
const durationCheck = check('source', 'source.imap.duration', 'IMAP source: time to move at Exchange Online’s ingestion ceiling');

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

export function moveHours(bytes: number): number {
  return bytes / ingestionBytesPerHour;
}

export function capabilityFinding(capabilities: readonly string[]): PreflightFinding {
  const evidence = [`CAPABILITY ${capabilities.join(' ')}`];
  if (!capabilities.includes('IMAP4REV1') && !capabilities.includes('IMAP4REV2')) {
    return capabilityCheck.fail(evidence, 'The server does not say it speaks IMAP4rev1; export the mail another way (PST or .eml).');
  }
  if (!capabilities.includes('SPECIAL-USE') && !capabilities.includes('XLIST')) {
    return capabilityCheck.warn([...evidence, 'no SPECIAL-USE: Sent, Trash and Junk are recognised by name only'], 'Check in the migration preview that Sent, Deleted and Junk folders were recognised; rename any that were not.');
  }
  return capabilityCheck.pass(evidence);
}

export function folderFinding(folders: number, messages: number, lines: readonly string[], unreadable: readonly string[]): PreflightFinding {
  const evidence = [`${folders} folders, ${messages} messages`, ...lines.slice(0, 100), ...unreadable];
  if (folders === 0) return folderCheck.fail(evidence, 'The account shows no folders: check that it is the right mailbox (an admin login may need --admin-user).');
  if (unreadable.length > 0) return folderCheck.warn(evidence, 'Some folders could not be opened: check their permissions on the server before the move, or they will be missing.');
  return folderCheck.pass(evidence);
}

export function sizeFinding(total: number, messages: number, how: string): PreflightFinding {
  const evidence = [`${formatBytes(total)} (${total} bytes) in ${messages} messages, from ${how}`];
  if (total > businessMailboxQuotaBytes) {
    return sizeCheck.warn([...evidence, 'larger than the 50 GB mailbox of Microsoft 365 Business plans'], 'Give this user a plan with a 100 GB mailbox (E3/E5) or an online archive, or clean up before the move.');
  }
  return sizeCheck.pass(evidence);
}

export function durationFinding(total: number): PreflightFinding {
  const hours = moveHours(total);
  const evidence = [`${formatBytes(total)} at 150 MB per 5 minutes (≈1.8 GB an hour per mailbox, Exchange Online’s limit for Graph and EWS) ≈ ${hours < 1 ? `${Math.ceil(hours * 60)} minutes` : `${hours.toFixed(1)} hours`}`];
  if (hours > longMoveHours) return durationCheck.warn(evidence, 'Start this mailbox days before the cutover and run it again on the day: the second run only moves what is new.');
  return durationCheck.pass(evidence);
}

export const imapProbe: PreflightProbe = {
  area: 'source',
  checks: [loginCheck, capabilityCheck, folderCheck, sizeCheck, durationCheck],
  async run({ request, secrets }) {
    const spec = /^imaps?:\/\//i.test(request.imap ?? '') ? (request.imap ?? '') : `imaps://${request.imap ?? ''}`;
    const address = parseImapSpec(spec);
    // The job's own options (what the migration will use): an admin login, the server's certificate.
    const option = (name: string): string | undefined => {
      const value = request.targetOptions[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const adminUser = option('adminUser');
    const account = imapAccount(address, adminUser ?? address.user);
    const caFile = request.caFile ?? option('sourceCa');
    const where = `${address.host}:${address.port}`;
    const skipRest = (why: string): PreflightFinding[] => [capabilityCheck, folderCheck, sizeCheck, durationCheck].map((builder) => builder.skip([why]));
    const password = await secrets.get('source-password', account);
    if (password === undefined) {
      return [loginCheck.fail([`no password for ${account}`], `Store the password in the keychain (account "source-password:${account}") or set CLOUDWARD_SOURCE_PASSWORD, then run the preflight again.`), ...skipRest('not signed in')];
    }
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: address.host,
      port: address.port,
      secure: address.secure,
      doSTARTTLS: address.secure ? undefined : true,
      auth: buildLogin(address.user, password, adminUser, option('loginFormat')),
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      tls: caFile === undefined ? {} : { ca: await readFile(caFile) },
      clientInfo: { name: 'Cloudward' },
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.close();
      const cause = toImapError(error, `${address.scheme}://${where}`);
      const fix =
        cause.code === 'SOURCE_AUTH_FAILED'
          ? `Check the user name and password of ${address.user} (keychain account "source-password:${account}"); some servers need an app password.`
          : /certificate/i.test(cause.message)
            ? 'The server’s certificate is not trusted: fix it, or give the file that holds it (--ca FILE) if it is the server’s own.'
            : `Check the host name and port, and that this PC can reach ${where}.`;
      return [loginCheck.fail([`${cause.code}: ${cause.message}`], fix), ...skipRest('not signed in')];
    }
    try {
      const findings: PreflightFinding[] = [loginCheck.pass([`signed in to ${where} as ${address.user}${adminUser ? ` through the admin login ${adminUser}` : ''} (${address.secure ? 'TLS' : 'STARTTLS'})`])];
      const capabilities = [...client.capabilities.keys()].map((name) => name.toUpperCase()).sort();
      findings.push(capabilityFinding(capabilities));

      const statusSize = capabilities.includes('STATUS=SIZE') || capabilities.includes('IMAP4REV2');
      const folders = (await client.list()).filter((folder) => !folder.flags.has('\\Noselect') && !folder.flags.has('\\NonExistent'));
      let total = 0;
      let messages = 0;
      const lines: string[] = [];
      const unreadable: string[] = [];
      for (const folder of folders) {
        try {
          const answer = await client.status(folder.path, { messages: true, ...(statusSize ? { size: true } : {}) });
          if (answer === false) throw new CloudwardError('SOURCE_UNREADABLE', 'STATUS was refused');
          const status = answer;
          let size = status.size;
          if (size === undefined && (status.messages ?? 0) > 0) size = await sumSizes(client, folder.path);
          total += size ?? 0;
          messages += status.messages ?? 0;
          lines.push(`${folder.path}: ${status.messages ?? 0} messages, ${formatBytes(size ?? 0)}`);
        } catch (error) {
          unreadable.push(`${folder.path}: ${toImapError(error, folder.path).message}`);
        }
      }
      findings.push(folderFinding(folders.length, messages, lines, unreadable));

      findings.push(sizeFinding(total, messages, statusSize ? 'STATUS (SIZE)' : 'the sum of every message’s RFC822.SIZE (the server has no STATUS=SIZE)'));
      findings.push(durationFinding(total));
      return findings;
    } finally {
      await client.logout().catch(() => client.close());
    }
  },
};

/** For servers without STATUS=SIZE: the sum of every message's RFC822.SIZE, read on a read-only selection. */
export async function sumSizes(client: import('imapflow').ImapFlow, path: string): Promise<number> {
  const lock = await client.getMailboxLock(path, { readOnly: true });
  try {
    let total = 0;
    for await (const message of client.fetch('1:*', { size: true })) total += message.size ?? 0;
    return total;
  } catch (error) {
    throw error instanceof CloudwardError ? error : toCloudwardError(error, 'SOURCE_UNREADABLE');
  } finally {
    lock.release();
  }
}
