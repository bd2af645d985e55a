import type { PreflightFinding, PreflightRequest, PreflightRun } from '../../../electron/contract/index.js';
import { runPreflight } from '../../../electron/engine/preflight/run-preflight.js';
import type { SecretProvider, SecretRole } from '../../../electron/engine/secrets/secret-provider.js';
import { startDnsmasq, type Zone } from '../../support/dnsmasq.js';

/** Secrets held in memory, keyed like the keychain (`role:account`). */
export class MemorySecrets implements SecretProvider {
  readonly values = new Map<string, string>();
  readonly asked: string[] = [];
  async get(role: SecretRole, account: string): Promise<string | undefined> {
    this.asked.push(`${role}:${account}`);
    return this.values.get(`${role}:${account}`);
  }
  async set(role: SecretRole, account: string, secret: string): Promise<void> {
    this.values.set(`${role}:${account}`, secret);
  }
  async delete(role: SecretRole, account: string): Promise<boolean> {
    return this.values.delete(`${role}:${account}`);
  }
}

export const domain = 'contoso.test';

/** Microsoft's own SPF record as published (ip4/ip6 only, no lookups). */
export const microsoftSpfZone = [
  { name: 'spf.protection.outlook.com', text: 'v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip4:52.100.0.0/15 ip4:104.47.0.0/17 ip6:2a01:111:f400::/48 -all' },
];

export const goodSpf = { name: domain, text: 'v=spf1 include:spf.protection.outlook.com -all' };
export const goodVerification = { name: domain, text: 'MS=ms12345678' };
export const goodDmarc = { name: '_dmarc.contoso.test', text: 'v=DMARC1; p=reject' };
export const goodAutodiscover = { alias: 'autodiscover.contoso.test', target: 'autodiscover.outlook.com' };
export const goodDkim = [
  { alias: 'selector1._domainkey.contoso.test', target: 'selector1-contoso-test._domainkey.contoso.onmicrosoft.com' },
  { alias: 'selector2._domainkey.contoso.test', target: 'selector2-contoso-test._domainkey.contoso.onmicrosoft.com' },
];
export const microsoftMx = { name: domain, host: 'contoso-test.mail.protection.outlook.com', preference: 0 };

/** The records Microsoft 365 asks for (learn.microsoft.com … create-dns-records-at-any-dns-hosting-provider), all in place. */
export function microsoftZone(overrides: Partial<Zone> = {}): Zone {
  return {
    ttl: 3600,
    mx: [microsoftMx],
    txt: [goodSpf, goodVerification, goodDmarc, ...microsoftSpfZone],
    cname: [goodAutodiscover, ...goodDkim],
    hosts: [],
    ...overrides,
  };
}


/** Runs the checks against a dnsmasq serving `zone`; SMTP is off unless the request names it. */
export async function preflightAgainst(zone: Zone, request: Partial<PreflightRequest> = {}, secrets = new MemorySecrets()): Promise<{ run: PreflightRun; byId: (id: string) => PreflightFinding }> {
  const server = await startDnsmasq(zone);
  try {
    const run = await runPreflight({ domain, smtp: false, ...request, dnsServer: server.address }, { secrets });
    const byId = (id: string): PreflightFinding => {
      const found = run.findings.find((finding) => finding.checkId === id);
      if (!found) throw new Error(`no finding ${id} in ${run.findings.map((finding) => finding.checkId).join(', ')}`);
      return found;
    };
    return { run, byId };
  } finally {
    await server.stop();
  }
}
