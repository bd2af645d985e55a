import { CloudwardError } from '../../../../contract/index.js';
import type { Prompter } from '../../../prompts/prompter.js';

/**
 * Where a target's bearer tokens come from, for EWS and Graph alike. Access tokens live 60–90
 * minutes and a mailbox can take longer, so every source can hand out a fresh one:
 * MSAL-acquired tokens refresh silently before they expire and again after a 401; a token a script
 * supplied (CLOUDWARD_TARGET_TOKEN) cannot, so after a 401 the person is asked for a new one.
 */
export interface AccessTokenSource {
  readonly kind: 'token' | 'device-code' | 'client-credentials';
  /** App-only tokens act for no user: EWS needs ExchangeImpersonation, Graph a /users/{id} path. */
  readonly appOnly: boolean;
  /** A token that is valid now (refreshed ahead of expiry where that is possible). */
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * The server answered 401 to `rejected`. Resolves once a different token is ready (several
   * requests failing together share one renewal); throws TOKEN_EXPIRED or TARGET_AUTH_FAILED
   * (retryable: false) when none can be had, which stops this mailbox and not the others.
   */
  renew(rejected: string, signal?: AbortSignal): Promise<void>;
}

/** An app-only token's `roles` claim or `idtyp=app` marks it (ews-graph.md §3.3). */
export function isAppOnlyToken(token: string): boolean {
  const payload = token.split('.')[1];
  if (payload === undefined) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { idtyp?: string; roles?: unknown; scp?: unknown };
    return claims.idtyp === 'app' || (claims.roles !== undefined && claims.scp === undefined);
  } catch {
    return false;
  }
}

export interface StaticTokenOptions {
  /** Asks for a new token after a 401; without one the mailbox stops with TOKEN_EXPIRED. */
  prompter?: Prompter | undefined;
  /** Keychain-style account the token is for (shown in the prompt, e.g. ews://user@host). */
  account: string;
  /** The mailbox whose job waits for the answer (prompt context). */
  mailbox: string;
  /** Stops waiting for an answer when the job is cancelled. */
  signal?: AbortSignal;
}

/**
 * A bearer token a script supplied. It cannot be refreshed: after a 401 the mailbox waits (its
 * requests hold) while the prompter asks for a new token (`{kind:'secret', role:'target-token'}`);
 * declined or no prompter → TOKEN_EXPIRED, not retryable, for this mailbox.
 */
export class StaticTokenSource implements AccessTokenSource {
  readonly kind = 'token' as const;
  readonly appOnly: boolean;
  private token: string;
  private renewal: Promise<void> | undefined;

  constructor(
    token: string,
    private readonly options: StaticTokenOptions,
  ) {
    this.token = token.trim();
    this.appOnly = isAppOnlyToken(this.token);
  }

  async getToken(): Promise<string> {
    return this.token;
  }

  renew(rejected: string, signal?: AbortSignal): Promise<void> {
    if (rejected !== this.token) return Promise.resolve();
    this.renewal ??= this.ask(signal).finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private expired(detail: string): CloudwardError {
    return new CloudwardError(
      'TOKEN_EXPIRED',
      `The access token for ${this.options.mailbox} expired or was refused (HTTP 401) and ${detail}; run again with a fresh CLOUDWARD_TARGET_TOKEN, or use --target-auth device-code or client-credentials, which refresh by themselves`,
      { retryable: false },
    );
  }

  private async ask(signal?: AbortSignal): Promise<void> {
    const prompter = this.options.prompter;
    if (!prompter) throw this.expired('nobody can be asked for a new one');
    const answer = await prompter.ask(
      {
        kind: 'secret',
        role: 'target-token',
        account: this.options.account,
        label: `The access token for ${this.options.mailbox} has expired. Paste a new access token to continue this mailbox`,
        canRemember: false,
      },
      { mailbox: this.options.mailbox },
      signal ?? this.options.signal,
    );
    const value = answer.value?.trim();
    if (answer.cancelled || value === undefined || value === '') throw this.expired('no new token was given');
    this.token = value;
  }
}
