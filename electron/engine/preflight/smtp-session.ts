import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';

import { CloudwardError } from '../../contract/index.js';

export interface SmtpReply {
  code: number;
  lines: string[];
}

/** A hostile server cannot make us hold more than this for one reply. */
const maxReplyBytes = 64 * 1024;

export function replyText(reply: SmtpReply): string {
  return reply.lines.map((line) => `${reply.code} ${line}`).join(' | ');
}

/**
 * A small SMTP client (RFC 5321, STARTTLS RFC 3207, AUTH RFC 4954) that keeps every reply, because the
 * preflight's evidence is what the server said. Every wait has a deadline; a reply that grows past
 * 64 KB or a line that is not SMTP ends the session with a clear error.
 */
export class SmtpSession {
  private socket: Socket | TLSSocket;
  private buffer = '';
  private waiting: ((error?: Error) => void) | undefined;
  private closedError: Error | undefined;
  readonly transcript: string[] = [];

  private constructor(socket: Socket, private readonly timeoutMs: number, readonly where: string) {
    this.socket = socket;
    this.listen(socket);
  }

  static async open(host: string, port: number, timeoutMs = 15_000): Promise<{ session: SmtpSession; greeting: SmtpReply }> {
    const where = `${host}:${port}`;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const candidate = connectTcp({ host, port });
      const timer = setTimeout(() => {
        candidate.destroy();
        reject(new CloudwardError('TIMEOUT', `${where} did not accept a connection within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      candidate.once('connect', () => {
        clearTimeout(timer);
        resolve(candidate);
      });
      candidate.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new CloudwardError('TARGET_UNREACHABLE', `${where} cannot be reached (${error.code ?? error.message})`, { cause: error }));
      });
    });
    const session = new SmtpSession(socket, timeoutMs, where);
    const greeting = await session.read();
    return { session, greeting };
  }

  /** Sends one command line and reads its reply. `shown` replaces the line in the transcript (AUTH data). */
  async command(line: string, shown = line): Promise<SmtpReply> {
    this.transcript.push(`C: ${shown}`);
    this.socket.write(`${line}\r\n`);
    return this.read();
  }

  /** Upgrades after a 220 to STARTTLS. Old protocol versions are allowed here so they can be reported, not hidden. */
  async startTls(servername: string, ca?: string | Buffer): Promise<TLSSocket> {
    const plain = this.socket as Socket;
    plain.removeAllListeners('data');
    const secure = await new Promise<TLSSocket>((resolve, reject) => {
      const timer = setTimeout(() => reject(new CloudwardError('TIMEOUT', `${this.where}: the TLS handshake did not finish in time`)), this.timeoutMs);
      const tls = connectTls({
        socket: plain,
        // The certificate is checked against this name; SNI takes host names only (RFC 6066 §3).
        host: servername,
        ...(isIP(servername) === 0 ? { servername } : {}),
        minVersion: 'TLSv1',
        // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level: lowered only so we can name the version.
        ciphers: 'DEFAULT:@SECLEVEL=0',
        ...(ca === undefined ? {} : { ca }),
      });
      tls.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(tls);
      });
      tls.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new CloudwardError('TARGET_UNREACHABLE', `${this.where}: TLS failed (${error.code ?? error.message})`, { cause: error }));
      });
    });
    this.socket = secure;
    this.buffer = '';
    this.listen(secure);
    return secure;
  }

  close(): void {
    try {
      if (!this.socket.destroyed) this.socket.end('QUIT\r\n');
    } catch {
      // Already gone.
    }
    setTimeout(() => this.socket.destroy(), 200).unref();
  }

  private listen(socket: Socket | TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      this.closedError = new CloudwardError('CONNECTION_LOST', `${this.where}: the connection failed (${error.code ?? error.message})`, { cause: error });
      this.wake();
    });
    socket.on('close', () => {
      this.closedError ??= new CloudwardError('CONNECTION_LOST', `${this.where} closed the connection`);
      this.wake();
    });
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  private async read(): Promise<SmtpReply> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const reply = this.parse();
      if (reply) return reply;
      if (this.buffer.length > maxReplyBytes) throw new CloudwardError('TARGET_FAILED', `${this.where} sent a reply of more than 64 KB`);
      if (this.closedError) throw this.closedError;
      const left = deadline - Date.now();
      if (left <= 0) throw new CloudwardError('TIMEOUT', `${this.where} did not answer within ${Math.round(this.timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private parse(): SmtpReply | undefined {
    const lines: string[] = [];
    let offset = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n', offset);
      if (end < 0) return undefined;
      const line = this.buffer.slice(offset, end).replace(/\r$/, '');
      offset = end + 1;
      const match = /^(\d{3})([ -]?)(.*)$/.exec(line);
      if (!match) throw new CloudwardError('TARGET_FAILED', `${this.where} does not speak SMTP (it said "${line.slice(0, 80)}")`);
      lines.push(line);
      if (match[2] !== '-') {
        this.buffer = this.buffer.slice(offset);
        this.transcript.push(...lines.map((text) => `S: ${text}`));
        return { code: Number(match[1]), lines: lines.map((text) => text.slice(4)) };
      }
    }
  }
}

/** EHLO keywords, upper case, with their parameters: `AUTH` → ['PLAIN', 'LOGIN']. */
export function ehloExtensions(reply: SmtpReply): Map<string, string[]> {
  const extensions = new Map<string, string[]>();
  for (const line of reply.lines.slice(1)) {
    const [keyword, ...parameters] = line.trim().split(/\s+/);
    if (keyword) extensions.set(keyword.toUpperCase(), parameters.map((parameter) => parameter.toUpperCase()));
  }
  return extensions;
}
