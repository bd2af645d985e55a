import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type PreflightFinding, type PreflightRequest, preflightRequestSchema } from '../../../electron/contract/index.js';
import { createLogger } from '../../../electron/engine/log/logger.js';
import { DnsLookup } from '../../../electron/engine/preflight/dns-lookup.js';
import { targetProbe } from '../../../electron/engine/preflight/target-probe.js';
import { type EwsPeer, startEwsPeer } from '../../peers/ews/ews-peer.js';
import { type GraphPeer, startGraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';
import { domain, MemorySecrets } from './preflight-helpers.js';

if (!hasFixtures) console.warn('preflight target checks skipped: ../shared/fixtures (EWS and Graph schemas the peers check requests against) is not present');

const mailbox = 'alice@contoso.example';

async function probe(request: Partial<PreflightRequest>, secrets: MemorySecrets): Promise<PreflightFinding> {
  const [finding] = await targetProbe.run({
    request: preflightRequestSchema.parse({ domain, ...request }),
    dns: new DnsLookup('127.0.0.1:9', 500),
    secrets,
    log: createLogger(),
    signal: new AbortController().signal,
  });
  if (!finding) throw new Error('no finding');
  return finding;
}

describe.skipIf(!hasFixtures)('preflight target checks against the EWS and Graph peers', () => {
  let ews: EwsPeer;
  let graph: GraphPeer;
  beforeAll(async () => {
    ews = await startEwsPeer({ auth: { bearerTokens: ['good-token'] } });
    graph = await startGraphPeer({ tokens: { 'good-token': { user: mailbox } } });
  });
  afterAll(async () => {
    await ews.close();
    await graph.close();
  });

  const ewsRequest = (): Partial<PreflightRequest> => ({ target: `ews:${ews.url}`, targetOptions: { targetMailbox: mailbox, targetAuth: 'token' } });
  const ewsSecrets = async (token: string): Promise<MemorySecrets> => {
    const secrets = new MemorySecrets();
    await secrets.set('target-token', `ews://${mailbox}@${new URL(ews.url).host}`, token);
    return secrets;
  };

  it('EWS reachable and signed in passes', async () => {
    const finding = await probe(ewsRequest(), await ewsSecrets('good-token'));
    expect(finding).toMatchObject({ checkId: 'target.access', verdict: 'pass' });
  });

  it('EWS blocked for the tenant (HTTP 403) fails, naming Set-OrganizationConfig, EWSAllowedAppIDs and the graph: target', async () => {
    ews.configure({ blockedTenant: true });
    try {
      const finding = await probe(ewsRequest(), await ewsSecrets('good-token'));
      expect(finding.verdict).toBe('fail');
      expect(finding.evidence.join('\n')).toMatch(/TARGET_BLOCKED/);
      expect(finding.evidence.join('\n')).toMatch(/403/);
      expect(finding.fix).toMatch(/graph: target/);
      expect(finding.fix).toMatch(/Set-OrganizationConfig -EWSEnabled \$true/);
      expect(finding.fix).toMatch(/-EWSAllowedAppIDs/);
    } finally {
      ews.configure({ blockedTenant: false });
    }
  });

  it('EWS with a refused token, or none at all, fails with what to check', async () => {
    const refused = await probe(ewsRequest(), await ewsSecrets('stale-token'));
    expect(refused.verdict).toBe('fail');
    expect(refused.evidence.join('\n')).toMatch(/TOKEN_EXPIRED|TARGET_AUTH_FAILED/);
    const missing = await probe(ewsRequest(), new MemorySecrets());
    expect(missing.verdict).toBe('fail');
    expect(missing.evidence.join('\n')).toMatch(/SECRET_MISSING/);
  });

  it('a target the migration could not use either (no mailbox, unknown scheme) fails with the reason', async () => {
    const noMailbox = await probe({ target: `ews:${ews.url}`, targetOptions: { targetAuth: 'token' } }, new MemorySecrets());
    expect(noMailbox.verdict).toBe('fail');
    expect(noMailbox.evidence[0]).toMatch(/BAD_ARGUMENTS: .*--target-mailbox/);
    const unknown = await probe({ target: 'smoke-signals:hill' }, new MemorySecrets());
    expect(unknown.verdict).toBe('fail');
    expect(unknown.evidence[0]).toMatch(/Unknown target/);
  });

  it('Graph: a token with mailbox access passes; a refused token fails', async () => {
    const request: Partial<PreflightRequest> = { target: `graph:${graph.url}`, targetOptions: { targetMailbox: mailbox, targetAuth: 'token' } };
    const good = new MemorySecrets();
    await good.set('target-token', `graph://${mailbox}@${new URL(graph.url).host}`, 'good-token');
    expect((await probe(request, good)).verdict).toBe('pass');
    const bad = new MemorySecrets();
    await bad.set('target-token', `graph://${mailbox}@${new URL(graph.url).host}`, 'stale-token');
    const refused = await probe(request, bad);
    expect(refused.verdict).toBe('fail');
    expect(refused.evidence.join('\n')).toMatch(/TOKEN_EXPIRED|TARGET_AUTH_FAILED|TARGET_BLOCKED/);
  });
});
