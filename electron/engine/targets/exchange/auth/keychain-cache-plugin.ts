import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

import type { SecretProvider } from '../../../secrets/secret-provider.js';

/** The keychain account under which MSAL's serialized cache for one app/tenant is kept. */
export function cacheAccount(clientId: string, tenant: string): string {
  return `msal-cache:${clientId}@${tenant}`;
}

/**
 * MSAL's token cache (refresh tokens included) in the OS keychain through SecretProvider, never in a
 * file: MSAL's own node persistence would write it to disk.
 */
export function keychainCachePlugin(secrets: SecretProvider, account: string): ICachePlugin {
  return {
    async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
      const stored = await secrets.get('target-token', account);
      if (stored === undefined) return;
      // The provider may fall back to CLOUDWARD_TARGET_TOKEN for any account: only a serialized cache is taken.
      try {
        JSON.parse(stored);
      } catch {
        return;
      }
      context.tokenCache.deserialize(stored);
    },
    async afterCacheAccess(context: TokenCacheContext): Promise<void> {
      if (context.cacheHasChanged) await secrets.set('target-token', account, context.tokenCache.serialize());
    },
  };
}
