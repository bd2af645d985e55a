import { CloudwardError } from '../../contract/index.js';
import type { Prompter } from '../prompts/prompter.js';
import type { Keychain, SecretProvider, SecretRole } from './secret-provider.js';

export const keychainService = 'Cloudward';

const environmentNames: Partial<Record<SecretRole, string>> = {
  'source-password': 'CLOUDWARD_SOURCE_PASSWORD',
  'target-password': 'CLOUDWARD_TARGET_PASSWORD',
  'target-token': 'CLOUDWARD_TARGET_TOKEN',
  'target-client-secret': 'CLOUDWARD_TARGET_CLIENT_SECRET',
};

export interface LayeredSecretsOptions {
  keychain?: Keychain | undefined;
  environment?: NodeJS.ProcessEnv;
  /** Asks a person; undefined when nobody is there (no terminal, CI). */
  prompt?: ((question: string) => Promise<string | undefined>) | undefined;
  /** Asks through the job service (a 'secret' prompt event); preferred over `prompt`. */
  prompter?: Prompter | undefined;
  /** Which job asks (for the prompt event) and its cancel (which withdraws the prompt), once known. */
  scope?: (() => { jobId?: number | undefined; signal?: AbortSignal | undefined }) | undefined;
}

/**
 * Secrets from the keychain first (what a technician saved, what a batch CSV stored), then the
 * environment (scripts), then a prompt. A keychain that is not there is not an error until nothing
 * else has the secret either.
 */
export class LayeredSecrets implements SecretProvider {
  private keychainProblem: string | undefined;
  /** Answers given (or being asked) by a person, by `role:account`: in memory only, never persisted here. */
  private readonly answers = new Map<string, Promise<string | undefined>>();

  constructor(private readonly options: LayeredSecretsOptions) {}

  async get(role: SecretRole, account: string): Promise<string | undefined> {
    const keychain = this.options.keychain;
    if (keychain) {
      try {
        const stored = await keychain.get(keychainService, `${role}:${account}`);
        if (stored !== null) return stored;
      } catch (error) {
        this.keychainProblem = (error as Error).message;
      }
    }
    const name = environmentNames[role];
    const fromEnvironment = name ? (this.options.environment ?? process.env)[name] : undefined;
    if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
    return this.askOnce(role, account);
  }

  /**
   * A person is asked once per secret: an IMAP source opens several connections at once and each wants
   * the password before the first answer is in; they all wait for that one question. The answer is kept
   * for this provider's life (one job, its plan included) even when not stored in the keychain, so a plan
   * followed by its start does not ask again. A declined or withdrawn question is forgotten, so a later
   * (not concurrent) need may ask again.
   */
  private askOnce(role: SecretRole, account: string): Promise<string | undefined> {
    const key = `${role}:${account}`;
    const known = this.answers.get(key);
    if (known) return known;
    const asking = this.ask(role, account);
    this.answers.set(key, asking);
    const forget = (): void => {
      if (this.answers.get(key) === asking) this.answers.delete(key);
    };
    asking.then((answer) => answer === undefined && forget(), forget);
    return asking;
  }

  private async ask(role: SecretRole, account: string): Promise<string | undefined> {
    if (this.options.prompter) {
      const label = `${role.replace('-', ' ')} for ${account}`;
      const scope = this.options.scope?.() ?? {};
      const answer = await this.options.prompter.ask(
        { kind: 'secret', role, account, label, canRemember: this.options.keychain !== undefined },
        scope.jobId === undefined ? {} : { jobId: scope.jobId },
        scope.signal,
      );
      if (!answer.cancelled && answer.value !== undefined && answer.value !== '') {
        if (answer.remember && this.options.keychain) {
          await this.options.keychain.set(keychainService, `${role}:${account}`, answer.value).catch((error: unknown) => {
            this.keychainProblem = (error as Error).message;
          });
        }
        return answer.value;
      }
      return undefined;
    }
    if (this.options.prompt) {
      const label = role.replace('-', ' ');
      const answer = await this.options.prompt(`${label} for ${account}: `);
      if (answer !== undefined && answer !== '') return answer;
    }
    return undefined;
  }

  /** Like get, but a missing secret is a clear error that says where it could come from. */
  async require(role: SecretRole, account: string): Promise<string> {
    const secret = await this.get(role, account);
    if (secret !== undefined) return secret;
    const name = environmentNames[role];
    const where = [`the OS keychain (service "${keychainService}", account "${role}:${account}")`, name ? `the environment variable ${name}` : undefined]
      .filter(Boolean)
      .join(' or ');
    const problem = this.keychainProblem ? ` (${this.keychainProblem})` : '';
    throw new CloudwardError('SECRET_MISSING', `No ${role.replace('-', ' ')} for ${account}: put it in ${where}${problem}`);
  }

  async set(role: SecretRole, account: string, secret: string): Promise<void> {
    if (!this.options.keychain) throw new CloudwardError('SECRET_MISSING', 'No OS keychain to store the secret in');
    await this.options.keychain.set(keychainService, `${role}:${account}`, secret);
    this.answers.delete(`${role}:${account}`);
  }

  async refused(role: SecretRole, account: string): Promise<void> {
    this.answers.delete(`${role}:${account}`);
    if (this.options.keychain) await this.options.keychain.delete(keychainService, `${role}:${account}`).catch(() => false);
  }

  async delete(role: SecretRole, account: string): Promise<boolean> {
    this.answers.delete(`${role}:${account}`);
    if (!this.options.keychain) return false;
    return this.options.keychain.delete(keychainService, `${role}:${account}`);
  }
}
