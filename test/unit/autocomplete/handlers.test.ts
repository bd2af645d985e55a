import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseRequest, parseResponse } from '../../../electron/contract/index.js';
import { createAutocompleteHandlers } from '../../../electron/engine/autocomplete/handlers.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

describe.skipIf(!hasFixtures)('autocomplete:read through the contract', () => {
  it('answers the entries of a file the wizard picked, within the contract', async () => {
    const path = resolve(fixturesDir, 'nk2/hughbe_Outlook.NK2');
    const answer = await createAutocompleteHandlers()['autocomplete:read'](parseRequest('autocomplete:read', { path }));
    expect(parseResponse('autocomplete:read', answer)).toEqual({
      path,
      version: 10,
      entries: [{ address: 'hughbellars@gmail.com', displayName: 'Hugh Bellamy', weight: 40960, status: 'ok' }],
    });
  });

  it('a missing file is SOURCE_UNREADABLE; a request without a path is refused by the contract', async () => {
    await expect(createAutocompleteHandlers()['autocomplete:read']({ path: '/nonexistent/x.nk2' })).rejects.toMatchObject({ code: 'SOURCE_UNREADABLE' });
    expect(() => parseRequest('autocomplete:read', {})).toThrow(/path/);
  });
});
