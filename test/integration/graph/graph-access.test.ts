import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { StaticTokenSource } from '../../../electron/engine/targets/exchange/auth/token-source.js';
import { HttpTransport } from '../../../electron/engine/targets/exchange/http-transport.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';
import { graphTarget } from './graph-helpers.js';

if (!hasFixtures) console.warn('Graph access tests skipped: ../shared/fixtures/graph-schema is not present');

const alice = 'alice@contoso.example';
const bob = 'bob@contoso.example';

/** A target for `mailbox` signed in with `token` (which the peer maps to a user or to app-only). */
function targetWith(peer: GraphPeer, mailbox: string, token: string) {
  return graphTarget(peer.url, mailbox, {
    connect: async () => ({ tokens: new StaticTokenSource(token, { account: `graph://${mailbox}`, mailbox }), transport: new HttpTransport({ maxSockets: 5 }) }),
  });
}

async function openError(peer: GraphPeer, mailbox: string, token: string): Promise<CloudwardError | undefined> {
  const target = targetWith(peer, mailbox, token);
  try {
    await target.open();
    return undefined;
  } catch (error) {
    return error as CloudwardError;
  } finally {
    await target.close();
  }
}

describe.skipIf(!hasFixtures)('Graph mailbox access: delegated tokens need rights on another mailbox, app-only tokens reach all', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    peer = await startGraphPeer({ tokens: { 'alice-token': { user: alice }, 'app-token': { appOnly: true } } });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it("Alice's delegated sign-in opens her own mailbox but not Bob's, and the error says what the admin must do", async () => {
    expect(await openError(peer, alice, 'alice-token')).toBeUndefined();
    const refused = await openError(peer, bob, 'alice-token');
    expect(refused?.code).toBe('TARGET_AUTH_FAILED');
    expect(refused?.retryable).toBe(false);
    expect(refused?.message).toContain('ErrorAccessDenied');
    expect(refused?.message).toContain('Add-MailboxPermission');
    expect(refused?.message).toContain('FullAccess');
    // Nothing was created in Bob's mailbox by the refused attempt.
    expect(peer.log.filter((entry) => entry.mailbox === bob && entry.status < 300)).toEqual([]);
  });

  it('once Bob grants Alice FullAccess, her sign-in opens his mailbox', async () => {
    peer.grantFullAccess(bob, alice);
    expect(await openError(peer, bob, 'alice-token')).toBeUndefined();
  });

  it('an app-only token (client credentials) opens any mailbox of the tenant', async () => {
    expect(await openError(peer, 'carol@contoso.example', 'app-token')).toBeUndefined();
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });
});
