import { createRequire } from 'node:module';

import { CloudwardError } from '../../contract/index.js';
import type { Keychain } from './secret-provider.js';

type KeytarModule = {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
};

let keytar: KeytarModule | undefined;

/** keytar is loaded on first use: a machine without a keyring can still run jobs whose secrets come from the environment. */
function load(): KeytarModule {
  if (!keytar) {
    try {
      keytar = createRequire(import.meta.url)('keytar') as KeytarModule;
    } catch (error) {
      throw new CloudwardError('SECRET_MISSING', `The OS keychain is not available (keytar: ${(error as Error).message})`);
    }
  }
  return keytar;
}

function unavailable(error: unknown): CloudwardError {
  const message = (error as Error).message ?? String(error);
  return new CloudwardError('SECRET_MISSING', `The OS keychain did not answer: ${message.split('\n')[0]}`);
}

/** Windows Credential Manager, macOS Keychain, or the Secret Service (GNOME Keyring) on Linux. */
export class KeytarKeychain implements Keychain {
  async get(service: string, account: string): Promise<string | null> {
    try {
      return await load().getPassword(service, account);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async set(service: string, account: string, secret: string): Promise<void> {
    try {
      await load().setPassword(service, account, secret);
    } catch (error) {
      throw unavailable(error);
    }
  }

  async delete(service: string, account: string): Promise<boolean> {
    try {
      return await load().deletePassword(service, account);
    } catch (error) {
      throw unavailable(error);
    }
  }
}
