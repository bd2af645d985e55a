import type { Keychain } from '../../electron/engine/secrets/secret-provider.js';

/** A keychain in a Map, for tests of what the engine keeps or forgets (the real keyring is tested in secrets tests). */
export function memoryKeychain(): Keychain & { readonly store: Map<string, string> } {
  const store = new Map<string, string>();
  return {
    store,
    get: async (service: string, account: string) => store.get(`${service}/${account}`) ?? null,
    set: async (service: string, account: string, secret: string) => void store.set(`${service}/${account}`, secret),
    delete: async (service: string, account: string) => store.delete(`${service}/${account}`),
  };
}
