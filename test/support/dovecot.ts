import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync, utimesSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

import { ImapFlow } from 'imapflow';

import { repoRoot } from './fixtures.js';

const run = promisify(execFile);
const scripts = resolve(repoRoot, 'build/peers/dovecot');

/** Dovecot (Debian: apt-get install -y dovecot-imapd) is on PATH; tests skip with this reason otherwise. */
export const hasDovecot = spawnSync('sh', ['-c', 'command -v dovecot && command -v doveadm'], { stdio: 'ignore' }).status === 0;
export const noDovecotReason = 'dovecot is not installed (apt-get install -y dovecot-imapd): IMAP tests against a real server skipped';

export interface AppendOptions {
  flags?: string[];
  internalDate?: Date;
}

export interface Dovecot {
  readonly host: string;
  /** Plain IMAP with STARTTLS offered. */
  readonly port: number;
  /** Implicit TLS. */
  readonly tlsPort: number;
  /** The server's self-signed certificate (SAN localhost, 127.0.0.1), for --source-ca / tls.ca. */
  readonly caFile: string;
  readonly dataDir: string;
  readonly separator: string;
  /** user name -> password. */
  readonly users: Record<string, string>;
  /** Dovecot master user: LOGIN "user*master" with its password opens any user's mailbox. */
  readonly masterUser: { name: string; password: string };
  /** Graceful stop (doveadm stop). */
  stop(): Promise<void>;
  /** SIGKILL to the whole server (master and children), like a crash. */
  kill(): Promise<void>;
  /** SIGKILL to the IMAP session processes only: every open connection drops, the server stays up. */
  killSessions(): number;
  /** Starts again on the same ports and data. */
  restart(): Promise<void>;
  /** APPENDs over IMAP (as the master user), creating the folder; returns the new UIDs. */
  appendMessages(user: string, folder: string, messages: Buffer[], options?: AppendOptions): Promise<number[]>;
  /** Writes messages straight into the user's Maildir (fast bulk seeding); Dovecot indexes them on SELECT. */
  writeMaildir(user: string, folder: string, messages: Buffer[], options?: { seen?: boolean; mtime?: Date }): void;
  setUidValidity(user: string, folder: string, uidValidity: number): Promise<void>;
  /**
   * The message as Dovecot stored it, read from the Maildir file (via dovecot-uidlist) in IMAP's
   * CRLF form: the independent record of what was appended, for content the server had to
   * re-encode on APPEND (NUL bytes become base64: RFC 3516 literal8 content).
   */
  storedMessage(user: string, folder: string, uid: number): Buffer;
  addUser(name: string, password: string): void;
  /** An imapflow client logged in as `user` (via the master user) on the plain port with STARTTLS. */
  client(user: string): Promise<ImapFlow>;
  /** Removes the data dir after stop(). */
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * A throw-away Dovecot on loopback (build/peers/dovecot/start.sh) in its own temp dir on free ports.
 * Users alice/bob (password "pass"), master user master/masterpass. Call dispose() (or stop()) after.
 */
export async function startDovecot(options: { separator?: string } = {}): Promise<Dovecot> {
  if (!hasDovecot) throw new Error(noDovecotReason);
  const separator = options.separator ?? '/';
  // The mkdtemp dir itself: as root, dovecot runs as its own user and must traverse every parent.
  const dataDir = await mkdtemp(join(tmpdir(), 'cloudward-dovecot-'));
  const port = await freePort();
  const tlsPort = await freePort();
  const env = { ...process.env, DOVECOT_SEPARATOR: separator };
  const start = async (): Promise<void> => {
    await run('bash', [join(scripts, 'start.sh'), dataDir, String(port), String(tlsPort)], { env });
  };
  await start();
  const conf = join(dataDir, 'dovecot.conf');
  const users: Record<string, string> = { alice: 'pass', bob: 'pass' };
  const masterUser = { name: 'master', password: 'masterpass' };
  const caFile = join(dataDir, 'etc/cert.pem');
  const owner = statSync(dataDir);
  const masterPid = (): number | undefined => {
    try {
      return Number(readFileSync(join(dataDir, 'run/master.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  };
  const children = (pid: number): { pid: number; command: string }[] => {
    const ps = spawnSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' });
    return (ps.stdout || '')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts.length === 2)
      .map(([childPid, command]) => ({ pid: Number(childPid), command: command ?? '' }));
  };
  const waitGone = async (pid: number): Promise<void> => {
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const ownToRunUser = (path: string): void => {
    if (process.getuid?.() === 0) chownSync(path, owner.uid, owner.gid);
  };
  const maildirFolder = (user: string, folder: string): string => {
    const base = join(dataDir, 'mail', user, 'Maildir');
    if (folder.toUpperCase() === 'INBOX') return base;
    return join(base, `.${folder.split(separator).join('.')}`);
  };
  let sequence = 0;

  const dovecot: Dovecot = {
    host: '127.0.0.1',
    port,
    tlsPort,
    caFile,
    dataDir,
    separator,
    users,
    masterUser,
    async stop() {
      const pid = masterPid();
      await run('bash', [join(scripts, 'stop.sh'), dataDir]).catch(() => undefined);
      if (pid) await waitGone(pid);
    },
    async kill() {
      const pid = masterPid();
      if (!pid) return;
      for (const child of children(pid)) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitGone(pid);
    },
    killSessions() {
      const pid = masterPid();
      if (!pid) return 0;
      let killed = 0;
      for (const child of children(pid)) {
        if (child.command !== 'imap') continue;
        try {
          process.kill(child.pid, 'SIGKILL');
          killed++;
        } catch {
          // already gone
        }
      }
      return killed;
    },
    async restart() {
      await dovecot.stop();
      await start();
    },
    async client(user: string) {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port,
        secure: false,
        doSTARTTLS: true,
        tls: { ca: readFileSync(caFile) },
        auth: { user: `${user}*${masterUser.name}`, pass: masterUser.password },
        logger: false,
        disableAutoIdle: true,
      });
      await client.connect();
      return client;
    },
    async appendMessages(user, folder, messages, appendOptions = {}) {
      const client = await dovecot.client(user);
      const explain = (error: { responseText?: string; message?: string }): never => {
        throw new Error(`APPEND to ${folder} for ${user}: ${error.responseText ?? error.message}`);
      };
      try {
        if (folder.toUpperCase() !== 'INBOX') {
          await client.mailboxCreate(folder).catch((error: { responseText?: string }) => {
            if (!/exists/i.test(error.responseText ?? '')) explain(error);
          });
        }
        const uids: number[] = [];
        for (const message of messages) {
          const result = await client
            .append(folder, message, appendOptions.flags ?? [], appendOptions.internalDate)
            .catch((error: { responseText?: string }) => explain(error));
          if (!result || !result.uid) throw new Error(`APPEND to ${folder} returned no UID`);
          uids.push(result.uid);
        }
        return uids;
      } finally {
        await client.logout().catch(() => undefined);
      }
    },
    writeMaildir(user, folder, messages, writeOptions = {}) {
      const dir = maildirFolder(user, folder);
      for (const sub of ['', 'cur', 'new', 'tmp']) {
        const path = join(dir, sub);
        if (existsSync(path)) continue;
        // Every directory made here, parents included (a user who never logged in has no Maildir yet).
        const first = mkdirSync(path, { recursive: true });
        if (first === undefined) continue;
        for (let made = path; made.length >= first.length; made = dirname(made)) ownToRunUser(made);
      }
      if (folder.toUpperCase() !== 'INBOX' && !existsSync(join(dir, 'maildirfolder'))) {
        writeFileSync(join(dir, 'maildirfolder'), '');
        ownToRunUser(join(dir, 'maildirfolder'));
      }
      const mtime = writeOptions.mtime ?? new Date();
      const base = Math.floor(mtime.getTime() / 1000);
      for (const message of messages) {
        sequence++;
        const name = `${base}.M${sequence}P${process.pid}.cloudward,S=${message.length}:2,${writeOptions.seen ? 'S' : ''}`;
        const path = join(dir, 'cur', name);
        writeFileSync(path, message);
        utimesSync(path, mtime, mtime);
        ownToRunUser(path);
      }
    },
    async setUidValidity(user, folder, uidValidity) {
      await run('doveadm', ['-c', conf, 'mailbox', 'update', '-u', user, '--uid-validity', String(uidValidity), folder]);
    },
    storedMessage(user, folder, uid) {
      const dir = maildirFolder(user, folder);
      const list = readFileSync(join(dir, 'dovecot-uidlist'), 'utf8').split('\n');
      const line = list.find((entry) => entry.startsWith(`${uid} `));
      const name = line?.slice(line.indexOf(':') + 1);
      if (!name) throw new Error(`UID ${uid} not in ${dir}/dovecot-uidlist`);
      for (const sub of ['cur', 'new']) {
        const file = readdirSync(join(dir, sub)).find((entry) => entry === name || entry.startsWith(`${name}:`));
        if (file) return toImapWire(readFileSync(join(dir, sub, file)));
      }
      throw new Error(`no Maildir file for UID ${uid} in ${dir}`);
    },
    addUser(name, password) {
      const file = join(dataDir, 'etc/users');
      writeFileSync(file, `${readFileSync(file, 'utf8')}${name}:{PLAIN}${password}\n`);
      users[name] = password;
    },
    async dispose() {
      await dovecot.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return dovecot;
}

/**
 * IMAP carries messages with CRLF line ends (RFC 3501 §2.3.1 and 6.3.11), and Dovecot hands them
 * out that way whatever a client appended; this is the form a compliant client appends (bare LF to
 * CRLF), so it is what must come back byte for byte.
 */
export function toImapWire(message: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < message.length; i++) {
    const byte = message[i] ?? 0;
    if (byte === 0x0a && (i === 0 || message[i - 1] !== 0x0d)) out.push(0x0d);
    out.push(byte);
  }
  return Buffer.from(out);
}
