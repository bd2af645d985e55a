import { describe, expect, it } from 'vitest';

import { graphScopes } from '../../../electron/engine/targets/graph/graph-spec.js';
import { startGraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';

if (!hasFixtures) console.warn('Graph beta peer route test skipped: ../shared/fixtures/graph-schema is not present (the peer loads it)');

describe('Graph autocomplete switch', () => {
  it('asks for MailboxConfigItem.ReadWrite only when --graph-autocomplete-beta is on', () => {
    const off = graphScopes('https://graph.microsoft.com').delegated;
    const on = graphScopes('https://graph.microsoft.com', true).delegated;
    expect(off).not.toContain('https://graph.microsoft.com/MailboxConfigItem.ReadWrite');
    expect(on).toContain('https://graph.microsoft.com/MailboxConfigItem.ReadWrite');
    expect(on.filter((scope) => !off.includes(scope))).toEqual(['https://graph.microsoft.com/MailboxConfigItem.ReadWrite']);
  });

  it.skipIf(!hasFixtures)('the peer refuses beta calls without its option, and bodies that are not a userConfiguration with it', async () => {
    const plain = await startGraphPeer();
    const beta = await startGraphPeer({ userConfigurationsBeta: true });
    try {
      const path = '/beta/users/ann%40contoso.example/mailFolders/inbox/userConfigurations';
      const post = (origin: string, body: unknown) =>
        fetch(`${origin}${path}`, { method: 'POST', headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post(plain.url, { id: 'Autocomplete', binaryData: 'AAAA' })).status).toBe(404);
      expect(plain.violations.map((v) => v.kind)).toEqual(['not-v1']);

      expect((await post(beta.url, { id: 'Autocomplete', binaryData: 'not base64!' })).status).toBe(400);
      expect((await post(beta.url, { id: 'Autocomplete', binaryData: 'AAAA', name: 'x' })).status).toBe(400);
      expect(beta.schemaErrors).toHaveLength(2);
      expect((await post(beta.url, { id: 'Autocomplete', binaryData: 'AAAA' })).status).toBe(201);
      expect((await post(beta.url, { id: 'Autocomplete', binaryData: 'AAAA' })).status).toBe(409);
      expect(beta.userConfigurations.binary('ann@contoso.example', 'Autocomplete')).toEqual(Buffer.from([0, 0, 0]));
      const missing = await fetch(`${beta.url}${path}/Other`, { headers: { Authorization: 'Bearer t' } });
      expect(missing.status).toBe(404);
      beta.assertNoViolations();
    } finally {
      await plain.close();
      await beta.close();
    }
  });
});
