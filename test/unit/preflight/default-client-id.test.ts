import { describe, expect, it } from 'vitest';

import { withDefaultClientId } from '../../../electron/engine/preflight/preflight-handlers.js';

/** The wizard's Microsoft 365 check must sign in as its job will: same default app id, same rule. */
describe('the preflight target check and the default sign-in app', () => {
  const id = '11111111-2222-3333-4444-555555555555';

  it('gives a device-code check that names no app the default one', () => {
    const request = { domain: 'contoso.test', target: 'graph:', targetOptions: { targetAuth: 'device-code', targetMailbox: 'ann@contoso.test' } };
    expect(withDefaultClientId(request, id).targetOptions).toEqual({ targetAuth: 'device-code', targetMailbox: 'ann@contoso.test', clientId: id });
  });

  it('keeps an app the check names, and gives none to other sign-ins or when no default exists', () => {
    const own = { targetOptions: { targetAuth: 'device-code', clientId: 'own' } };
    expect(withDefaultClientId(own, id).targetOptions).toEqual({ targetAuth: 'device-code', clientId: 'own' });
    const secret = { targetOptions: { targetAuth: 'client-credentials' } };
    expect(withDefaultClientId(secret, id).targetOptions).toEqual({ targetAuth: 'client-credentials' });
    const none = { targetOptions: { targetAuth: 'device-code' } };
    expect(withDefaultClientId(none, undefined).targetOptions).toEqual({ targetAuth: 'device-code' });
  });
});
