import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { tokenTarget } from './ews-helpers.js';

/** A server that takes a request and never answers must cost one request timeout per attempt, never a stalled job. */
describe('an EWS server that never answers CreateFolder', () => {
  let peer: EwsPeer;
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'off', simulate: { delayMs: (operation) => (operation === 'CreateFolder' ? 60_000 : 0) } });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('fails the folder with TIMEOUT within its request timeout and retries', async () => {
    const target = tokenTarget(peer.url, 'silent@contoso.example', { requestTimeoutMs: 800, retry: { policy: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } } });
    await target.open();
    const started = Date.now();
    const error = await target.ensureFolder({ path: ["Constantine's calendar"], holds: 'event' }, ["Constantine's calendar"]).then(
      () => undefined,
      (e: unknown) => e,
    );
    const took = Date.now() - started;
    await target.close?.();
    expect(error).toBeInstanceOf(CloudwardError);
    expect((error as CloudwardError).code).toBe('TIMEOUT');
    // Two attempts of 0.8 s each plus FindFolder round trips; far below the peer's 60 s silence.
    expect(took).toBeLessThan(10_000);
    expect(peer.requests.filter((r) => r.operation === 'CreateFolder')).toHaveLength(2);
  }, 30_000);
});
