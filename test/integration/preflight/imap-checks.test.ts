import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type PreflightFinding, type PreflightRequest, preflightRequestSchema } from '../../../electron/contract/index.js';
import { DnsLookup } from '../../../electron/engine/preflight/dns-lookup.js';
import { imapProbe, ingestionBytesPerHour, sumSizes } from '../../../electron/engine/preflight/imap-probe.js';
import { createLogger } from '../../../electron/engine/log/logger.js';
import { type Dovecot, hasDovecot, noDovecotReason, startDovecot } from '../../support/dovecot.js';
import { domain, MemorySecrets } from './preflight-helpers.js';

if (!hasDovecot) console.warn(`IMAP preflight tests skipped: ${noDovecotReason}`);

async function probe(request: Partial<PreflightRequest>, secrets: MemorySecrets): Promise<Record<string, PreflightFinding>> {
  const findings = await imapProbe.run({
    request: preflightRequestSchema.parse({ domain, ...request }),
    dns: new DnsLookup('127.0.0.1:9', 500),
    secrets,
    log: createLogger(),
    signal: new AbortController().signal,
  });
  return Object.fromEntries(findings.map((finding) => [finding.checkId, finding]));
}

/** A message of exactly `bytes` octets with CRLF line ends, as IMAP stores and counts it (RFC822.SIZE). */
function message(index: number, bytes: number): Buffer {
  const head = `From: a@contoso.test\r\nTo: b@contoso.test\r\nSubject: size test ${index}\r\nMessage-ID: <size-${index}@contoso.test>\r\n\r\n`;
  const body = 'x'.repeat(Math.max(0, bytes - head.length - 2));
  return Buffer.from(`${head}${body}\r\n`, 'latin1');
}

describe.skipIf(!hasDovecot)('preflight IMAP source checks against a real Dovecot', () => {
  let dovecot: Dovecot;
  let expectedBytes = 0;

  beforeAll(async () => {
    dovecot = await startDovecot();
    const inbox = [message(1, 2_000), message(2, 30_000), message(3, 150_000)];
    const archive = [message(4, 70_000), message(5, 1_000_000)];
    await dovecot.appendMessages('alice', 'INBOX', inbox);
    await dovecot.appendMessages('alice', 'Archive/2019', archive);
    // The expected total is what was appended, counted here, not what our probe says.
    expectedBytes = [...inbox, ...archive].reduce((sum, buffer) => sum + buffer.length, 0);
  });
  afterAll(async () => {
    await dovecot.stop();
    await dovecot.dispose();
  });

  it('signs in with STARTTLS, lists capabilities and folders, totals the size exactly and estimates the move', async () => {
    const secrets = new MemorySecrets();
    const spec = `imap://alice@127.0.0.1:${dovecot.port}`;
    await secrets.set('source-password', spec, 'pass');
    const found = await probe({ imap: spec, caFile: dovecot.caFile }, secrets);
    expect(found['source.imap.login']?.verdict).toBe('pass');
    expect(found['source.imap.capabilities']?.verdict).toBe('pass');
    expect(found['source.imap.capabilities']?.evidence[0]).toMatch(/IMAP4REV1/);
    expect(found['source.imap.folders']?.verdict).toBe('pass');
    expect(found['source.imap.folders']?.evidence.some((line) => /^INBOX: 3 messages, /.test(line))).toBe(true);
    expect(found['source.imap.folders']?.evidence.some((line) => /^Archive.2019: 2 messages/.test(line))).toBe(true);
    expect(found['source.imap.size']?.verdict).toBe('pass');
    expect(found['source.imap.size']?.evidence[0]).toContain(`(${expectedBytes} bytes) in 5 messages`);
    expect(found['source.imap.duration']?.verdict).toBe('pass');
    expect(found['source.imap.duration']?.evidence[0]).toMatch(/≈ 1 minutes$/);
    expect(ingestionBytesPerHour).toBe(150 * 1024 * 1024 * 12);
  });

  it('signs in through an admin login (Dovecot master user), as the migration will, with the password stored for the admin', async () => {
    const secrets = new MemorySecrets();
    const spec = `imap://alice@127.0.0.1:${dovecot.port}`;
    await secrets.set('source-password', `imap://${dovecot.masterUser.name}@127.0.0.1:${dovecot.port}`, dovecot.masterUser.password);
    const found = await probe({ imap: spec, targetOptions: { adminUser: dovecot.masterUser.name, loginFormat: 'dovecot', sourceCa: dovecot.caFile } }, secrets);
    expect(found['source.imap.login']?.verdict).toBe('pass');
    expect(found['source.imap.login']?.evidence[0]).toMatch(/through the admin login master/);
    expect(found['source.imap.size']?.evidence[0]).toContain(`(${expectedBytes} bytes) in 5 messages`);
  });

  it('without STATUS=SIZE the size is the sum of RFC822.SIZE, and equals what was appended', async () => {
    const client = await dovecot.client('alice');
    try {
      const inbox = await sumSizes(client, 'INBOX');
      const archive = await sumSizes(client, 'Archive/2019');
      expect(inbox + archive).toBe(expectedBytes);
    } finally {
      await client.logout();
    }
  });

  it('a wrong password fails the sign-in with the reason and skips the rest; no password says where to put one', async () => {
    const secrets = new MemorySecrets();
    const spec = `imap://alice@127.0.0.1:${dovecot.port}`;
    await secrets.set('source-password', spec, 'wrong');
    const wrong = await probe({ imap: spec, caFile: dovecot.caFile }, secrets);
    expect(wrong['source.imap.login']?.verdict).toBe('fail');
    expect(wrong['source.imap.login']?.evidence[0]).toMatch(/^SOURCE_AUTH_FAILED/);
    expect(wrong['source.imap.size']?.verdict).toBe('skip');
    const none = await probe({ imap: spec, caFile: dovecot.caFile }, new MemorySecrets());
    expect(none['source.imap.login']?.verdict).toBe('fail');
    expect(none['source.imap.login']?.fix).toContain(`source-password:${spec}`);
  });

  it('an untrusted certificate and an unreachable port fail with a fix that says what to do', async () => {
    const secrets = new MemorySecrets();
    const tls = `imaps://alice@127.0.0.1:${dovecot.tlsPort}`;
    await secrets.set('source-password', tls, 'pass');
    const untrusted = await probe({ imap: tls }, secrets);
    expect(untrusted['source.imap.login']?.verdict).toBe('fail');
    expect(untrusted['source.imap.login']?.fix).toMatch(/--ca FILE/);
    const closed = 'imaps://alice@127.0.0.1:9';
    await secrets.set('source-password', closed, 'pass');
    const unreachable = await probe({ imap: closed }, secrets);
    expect(unreachable['source.imap.login']?.verdict).toBe('fail');
    expect(unreachable['source.imap.login']?.fix).toMatch(/host name and port/);
  });
});
