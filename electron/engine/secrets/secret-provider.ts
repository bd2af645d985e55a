/**
 * Where passwords and tokens come from. Never argv, never SQLite, never logs: the OS keychain, the
 * environment (CLOUDWARD_SOURCE_PASSWORD, CLOUDWARD_TARGET_PASSWORD, CLOUDWARD_TARGET_TOKEN), or a prompt.
 */
export type SecretRole = 'source-password' | 'target-password' | 'target-token' | 'target-client-secret';

export interface SecretProvider {
  /** The secret for `account` (e.g. 'imap://alice@mail.example.com'), or undefined when none is known. */
  get(role: SecretRole, account: string): Promise<string | undefined>;
  /** Stores in the keychain (batch CSV passwords, OAuth token caches). */
  set(role: SecretRole, account: string, secret: string): Promise<void>;
  delete(role: SecretRole, account: string): Promise<boolean>;
  /**
   * The server refused this secret as the account's own: forget what we can forget of it (the keychain's copy,
   * an answer kept in memory), so the next need asks the person instead of failing the same way for ever.
   * The environment is the user's explicit choice and is left alone.
   */
  refused?(role: SecretRole, account: string): Promise<void>;
}

/** The keychain itself, behind a small interface so tests and the UI can swap it. */
export interface Keychain {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, secret: string): Promise<void>;
  delete(service: string, account: string): Promise<boolean>;
}
