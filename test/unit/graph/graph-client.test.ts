import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { StaticTokenSource } from '../../../electron/engine/targets/exchange/auth/token-source.js';
import { HttpTransport } from '../../../electron/engine/targets/exchange/http-transport.js';
import { GraphClient } from '../../../electron/engine/targets/graph/graph-client.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';

if (!hasFixtures) console.warn('Graph client tests skipped: ../shared/fixtures/graph-schema is not present');

describe.skipIf(!hasFixtures)('Graph client keeps to the per-mailbox limits', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    // Each request takes 150 ms, so a client that does not hold back would have many in flight.
    peer = await startGraphPeer({ simulate: { delayMs: 150, maxConcurrent: 4, requestBudget: { requests: 8, windowMs: 1500 } } });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('never more than 4 requests in flight and no more requests per window than allowed: no 429 at all', async () => {
    const transport = new HttpTransport({ maxSockets: 8 });
    const client = new GraphClient({
      endpoint: peer.url,
      tokens: new StaticTokenSource('t', { account: 'graph://x', mailbox: 'x@contoso.example' }),
      transport,
      requestTimeoutMs: 10_000,
      maxConcurrent: 4,
      requestsPerWindow: 8,
      requestWindowMs: 1500,
    });
    const started = Date.now();
    const signal = new AbortController().signal;
    await Promise.all(Array.from({ length: 20 }, () => client.request('GET', '/users/x@contoso.example/mailFolders/inbox', undefined, signal)));
    // 20 requests at 8 per 1.6 s need at least two full windows.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3200);
    expect(peer.stats.throttled).toBe(0);
    expect(peer.stats.maxConcurrentSeen['x@contoso.example']).toBe(4);
    transport.close();
  });
});
