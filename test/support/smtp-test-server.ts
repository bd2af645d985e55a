import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** openssl makes the test certificate; without it the SMTP tests skip with this reason. */
export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
export const noOpensslReason = 'openssl is not installed (apt-get install -y openssl): SMTP preflight tests skipped';

export interface TestCertificate {
  readonly key: Buffer;
  readonly cert: Buffer;
  /** The certificate's file, to trust it (--ca FILE). */
  readonly certFile: string;
  dispose(): void;
}

/** A self-signed certificate for localhost and 127.0.0.1, valid for two days. */
export function makeCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'cloudward-smtp-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { key: readFileSync(keyFile), cert: readFileSync(certFile), certFile, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  data: string;
}

export interface SmtpTestServerOptions {
  certificate: TestCertificate;
  /** user → password for AUTH. */
  users?: Record<string, string>;
  /** user → OAuth access token for AUTH XOAUTH2 (offered only when given). */
  tokens?: Record<string, string>;
  /** AUTH answers this instead of checking the password (e.g. Microsoft's 5.7.139 refusal). */
  authRefusal?: string;
  /** Do not offer STARTTLS. */
  noStartTls?: boolean;
  /** Newest TLS version offered (to play an old server). */
  maxTlsVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  /** Port 25 behaviour: no AUTH needed; only these domains are local, others are relayed only when `relay` is true. */
  acceptedDomains?: string[];
  relay?: boolean;
}

export interface SmtpTestServer {
  readonly host: string;
  readonly port: number;
  readonly received: ReceivedMessage[];
  readonly authAttempts: { method: string; username: string | undefined }[];
  stop(): Promise<void>;
}

/**
 * A real SMTP server (the smtp-server package) on loopback: STARTTLS with a real certificate, AUTH
 * PLAIN/LOGIN, and the answers Microsoft 365 documents for a refused AUTH or relay.
 */
export async function startSmtpServer(options: SmtpTestServerOptions): Promise<SmtpTestServer> {
  const received: ReceivedMessage[] = [];
  const authAttempts: { method: string; username: string | undefined }[] = [];
  const port25 = options.acceptedDomains !== undefined;
  const serverOptions: SMTPServerOptions = {
    secure: false,
    key: options.certificate.key,
    cert: options.certificate.cert,
    ...(options.maxTlsVersion ? { maxVersion: options.maxTlsVersion, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
    hideSTARTTLS: options.noStartTls === true,
    authMethods: options.tokens ? ['PLAIN', 'LOGIN', 'XOAUTH2'] : ['PLAIN', 'LOGIN'],
    authOptional: port25,
    // Like Exchange Online: AUTH only after STARTTLS.
    allowInsecureAuth: false,
    logger: false,
    onAuth(auth, _session, callback) {
      authAttempts.push({ method: auth.method, username: auth.username });
      if (options.authRefusal !== undefined) {
        callback(Object.assign(new Error(options.authRefusal), { responseCode: 535 }));
        return;
      }
      if (auth.method === 'XOAUTH2') {
        if (auth.username !== undefined && options.tokens?.[auth.username] === auth.accessToken) callback(null, { user: auth.username });
        else callback(null, { data: { status: '401', schemes: 'bearer' } });
        return;
      }
      if (auth.username !== undefined && options.users?.[auth.username] === auth.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.3 Authentication unsuccessful'), { responseCode: 535 }));
    },
    onRcptTo(address, session, callback) {
      const domainOf = address.address.split('@')[1]?.toLowerCase() ?? '';
      if (port25 && !options.relay && !(options.acceptedDomains ?? []).includes(domainOf) && !session.user) {
        // Exchange Online's answer to relaying without a connector.
        callback(Object.assign(new Error('5.7.54 SMTP; Unable to relay recipient in non-accepted domain'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((entry) => entry.address),
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
  return {
    host: '127.0.0.1',
    port,
    received,
    authAttempts,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
