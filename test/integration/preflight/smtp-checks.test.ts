import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type PreflightFinding, type PreflightRequest, preflightRequestSchema } from '../../../electron/contract/index.js';
import { DnsLookup } from '../../../electron/engine/preflight/dns-lookup.js';
import type { PreflightProbe } from '../../../electron/engine/preflight/probe.js';
import { legacyDeviceProbe, submissionProbe } from '../../../electron/engine/preflight/smtp-probe.js';
import { createLogger } from '../../../electron/engine/log/logger.js';
import { hasOpenssl, makeCertificate, noOpensslReason, startSmtpServer, type SmtpTestServer, type SmtpTestServerOptions, type TestCertificate } from '../../support/smtp-test-server.js';
import { domain, MemorySecrets } from './preflight-helpers.js';

if (!hasOpenssl) console.warn(`SMTP preflight tests skipped: ${noOpensslReason}`);

const user = 'ann@contoso.test';

async function probe(target: PreflightProbe, request: Partial<PreflightRequest>, secrets = new MemorySecrets()): Promise<Record<string, PreflightFinding>> {
  const findings = await target.run({
    request: preflightRequestSchema.parse({ domain, ...request }),
    // Port 9: nothing answers, so a probe that asked DNS by mistake would fail loudly.
    dns: new DnsLookup('127.0.0.1:9', 500),
    secrets,
    log: createLogger(),
    signal: new AbortController().signal,
  });
  return Object.fromEntries(findings.map((finding) => [finding.checkId, finding]));
}

describe.skipIf(!hasOpenssl)('preflight SMTP checks against a real SMTP server on loopback', () => {
  let certificate: TestCertificate;
  const servers: SmtpTestServer[] = [];
  const start = async (options: Omit<SmtpTestServerOptions, 'certificate'> = {}): Promise<SmtpTestServer> => {
    const server = await startSmtpServer({ certificate, users: { [user]: 'right' }, ...options });
    servers.push(server);
    return server;
  };
  const withPassword = (): MemorySecrets => {
    const secrets = new MemorySecrets();
    return secrets;
  };

  beforeAll(() => {
    certificate = makeCertificate();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    certificate.dispose();
  });

  it('STARTTLS with TLS 1.2+, AUTH and a test message: every check passes and the message arrives', async () => {
    const server = await start();
    const secrets = withPassword();
    await secrets.set('target-password', `smtp://${user}@127.0.0.1`, 'right');
    const found = await probe(submissionProbe, { smtp: `127.0.0.1:${server.port}`, smtpUser: user, sendTestTo: 'bob@contoso.test', caFile: certificate.certFile }, secrets);
    expect(found['smtp.connect']?.verdict).toBe('pass');
    expect(found['smtp.starttls']?.verdict).toBe('pass');
    expect(found['smtp.starttls']?.evidence.join('\n')).toMatch(/negotiated TLSv1\.[23]/);
    expect(found['smtp.auth']?.verdict).toBe('pass');
    expect(found['smtp.send']?.verdict).toBe('pass');
    expect(server.authAttempts).toEqual([{ method: 'PLAIN', username: user }]);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.to).toEqual(['bob@contoso.test']);
    expect(server.received[0]?.data).toMatch(/^Subject: Cloudward preflight test for contoso\.test\r?$/m);
    // The password never appears in the evidence.
    expect(JSON.stringify(found)).not.toContain('right');
  });

  it('a closed port fails smtp.connect and skips the rest', async () => {
    const found = await probe(submissionProbe, { smtp: '127.0.0.1:9' });
    expect(found['smtp.connect']?.verdict).toBe('fail');
    expect(found['smtp.connect']?.evidence[0]).toMatch(/ECONNREFUSED/);
    expect(found['smtp.starttls']?.verdict).toBe('skip');
  });

  it('no STARTTLS offered fails; TLS 1.1 fails naming the version; an untrusted certificate fails naming --ca', async () => {
    const plain = await start({ noStartTls: true });
    expect((await probe(submissionProbe, { smtp: `127.0.0.1:${plain.port}`, caFile: certificate.certFile }))['smtp.starttls']?.verdict).toBe('fail');
    const old = await start({ maxTlsVersion: 'TLSv1.1' });
    const oldFound = await probe(submissionProbe, { smtp: `127.0.0.1:${old.port}`, caFile: certificate.certFile });
    expect(oldFound['smtp.starttls']?.verdict).toBe('fail');
    expect(oldFound['smtp.starttls']?.evidence.join('\n')).toMatch(/negotiated TLSv1\.1/);
    const untrusted = await start();
    const untrustedFound = await probe(submissionProbe, { smtp: `127.0.0.1:${untrusted.port}` });
    expect(untrustedFound['smtp.starttls']?.verdict).toBe('fail');
    expect(untrustedFound['smtp.starttls']?.fix).toMatch(/--ca FILE/);
  });

  it("Authenticated SMTP turned off for the mailbox: says so and names Set-CASMailbox", async () => {
    const server = await start({ authRefusal: '5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information.' });
    const secrets = withPassword();
    await secrets.set('target-password', `smtp://${user}@127.0.0.1`, 'right');
    const found = await probe(submissionProbe, { smtp: `127.0.0.1:${server.port}`, smtpUser: user, sendTestTo: 'bob@contoso.test', caFile: certificate.certFile }, secrets);
    expect(found['smtp.auth']?.verdict).toBe('fail');
    expect(found['smtp.auth']?.evidence.join('\n')).toMatch(/off by default in Microsoft 365/);
    expect(found['smtp.auth']?.fix).toContain(`Set-CASMailbox -Identity ${user} -SmtpClientAuthenticationDisabled $false`);
    expect(found['smtp.send']?.verdict).toBe('skip');
    expect(server.received).toHaveLength(0);
  });

  it('with no password but an OAuth token, signs in with XOAUTH2; basic authentication switched off says to use OAuth', async () => {
    const oauth = await start({ tokens: { [user]: 'access-token-1' } });
    const secrets = new MemorySecrets();
    await secrets.set('target-token', `smtp://${user}@127.0.0.1`, 'access-token-1');
    const found = await probe(submissionProbe, { smtp: `127.0.0.1:${oauth.port}`, smtpUser: user, caFile: certificate.certFile }, secrets);
    expect(found['smtp.auth']?.verdict).toBe('pass');
    expect(oauth.authAttempts).toEqual([{ method: 'XOAUTH2', username: user }]);
    expect(JSON.stringify(found)).not.toContain('access-token-1');
    const basicOff = await start({ authRefusal: '5.7.139 Authentication unsuccessful, basic authentication is disabled.' });
    const passwordSecrets = new MemorySecrets();
    await passwordSecrets.set('target-password', `smtp://${user}@127.0.0.1`, 'right');
    const refused = await probe(submissionProbe, { smtp: `127.0.0.1:${basicOff.port}`, smtpUser: user, caFile: certificate.certFile }, passwordSecrets);
    expect(refused['smtp.auth']?.verdict).toBe('fail');
    expect(refused['smtp.auth']?.fix).toMatch(/OAuth \(XOAUTH2\)/);
  });

  it('a wrong password fails with the server answer; no account or no password skips AUTH', async () => {
    const server = await start();
    const secrets = withPassword();
    await secrets.set('target-password', `smtp://${user}@127.0.0.1`, 'wrong');
    const wrong = await probe(submissionProbe, { smtp: `127.0.0.1:${server.port}`, smtpUser: user, caFile: certificate.certFile }, secrets);
    expect(wrong['smtp.auth']?.verdict).toBe('fail');
    expect(wrong['smtp.auth']?.evidence.join('\n')).toMatch(/535 5\.7\.3 Authentication unsuccessful/);
    const noUser = await probe(submissionProbe, { smtp: `127.0.0.1:${server.port}`, caFile: certificate.certFile });
    expect(noUser['smtp.auth']?.verdict).toBe('skip');
    const noPassword = await probe(submissionProbe, { smtp: `127.0.0.1:${server.port}`, smtpUser: user, caFile: certificate.certFile });
    expect(noPassword['smtp.auth']?.verdict).toBe('skip');
    expect(noPassword['smtp.auth']?.evidence.join('\n')).toContain(`target-password:smtp://${user}@127.0.0.1`);
  });

  describe('legacy device on port 25 without TLS', () => {
    it('direct send: the host accepts mail for the domain without AUTH → pass; refuses → fail', async () => {
      const mx = await start({ acceptedDomains: [domain] });
      const found = await probe(legacyDeviceProbe, { legacyDevice: 'direct-send', relayHost: `127.0.0.1:${mx.port}` });
      expect(found['smtp.legacy']?.verdict).toBe('pass');
      expect(found['smtp.legacy']?.evidence.join('\n')).toMatch(/RCPT TO:<postmaster@contoso\.test>: 250/);
      expect(found['smtp.legacy']?.evidence[0]).toMatch(/direct send .* relay connector/);
      const other = await start({ acceptedDomains: ['fabrikam.test'] });
      const refused = await probe(legacyDeviceProbe, { legacyDevice: 'direct-send', relayHost: `127.0.0.1:${other.port}` });
      expect(refused['smtp.legacy']?.verdict).toBe('fail');
      expect(refused['smtp.legacy']?.evidence.join('\n')).toMatch(/550 5\.7\.54/);
    });

    it('relay: an outside recipient refused without a connector fails naming the connector; accepted passes', async () => {
      const noConnector = await start({ acceptedDomains: [domain] });
      const refused = await probe(legacyDeviceProbe, { legacyDevice: 'relay', relayHost: `127.0.0.1:${noConnector.port}`, sendTestTo: 'someone@fabrikam.test' });
      expect(refused['smtp.legacy']?.verdict).toBe('fail');
      expect(refused['smtp.legacy']?.fix).toMatch(/connector/);
      const connector = await start({ acceptedDomains: [domain], relay: true });
      const accepted = await probe(legacyDeviceProbe, { legacyDevice: 'relay', relayHost: `127.0.0.1:${connector.port}`, sendTestTo: 'someone@fabrikam.test' });
      expect(accepted['smtp.legacy']?.verdict).toBe('pass');
      // Only the envelope was tried: nothing is sent by the relay test.
      expect(connector.received).toHaveLength(0);
    });

    it('port 25 unreachable fails with the ISP explanation', async () => {
      const found = await probe(legacyDeviceProbe, { legacyDevice: 'direct-send', relayHost: '127.0.0.1:9' });
      expect(found['smtp.legacy']?.verdict).toBe('fail');
      expect(found['smtp.legacy']?.fix).toMatch(/ISP/);
    });
  });
});
