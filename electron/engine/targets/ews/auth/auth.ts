import { StaticTokenSource, type AccessTokenSource, type StaticTokenOptions } from '../../exchange/auth/token-source.js';

/** How one EWS request is authorised. NTLM lives in its transport; the others add a header. */
export interface EwsAuth {
  readonly kind: 'token' | 'basic' | 'ntlm' | 'device-code' | 'client-credentials';
  /** App-only tokens must name the mailbox in an ExchangeImpersonation header. */
  readonly appOnly: boolean;
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * After a 401 to a request sent with `sent` headers: true when a new credential is ready and one
   * more try may help; false when there is nothing to renew. Throws (TOKEN_EXPIRED,
   * TARGET_AUTH_FAILED) when the token source gave up.
   */
  renew(sent: Record<string, string>, signal?: AbortSignal): Promise<boolean>;
  /**
   * The server answered 401 for good, with this challenge (WWW-Authenticate). A password it refused
   * is forgotten where it was kept, so the next run asks again instead of failing the same way.
   */
  refused?(challenge: string | undefined): Promise<void>;
}

/** Forgets a refused password once, however many requests were refused at the same time. */
function forgetOnce(forget: (() => Promise<void>) | undefined): () => Promise<void> {
  let done = false;
  return async () => {
    if (done || !forget) return;
    done = true;
    await forget().catch(() => undefined);
  };
}

/** Bearer tokens from the shared token source (script token, device code, client credentials). */
export class BearerAuth implements EwsAuth {
  readonly kind: AccessTokenSource['kind'];
  constructor(private readonly source: AccessTokenSource) {
    this.kind = source.kind;
  }
  get appOnly(): boolean {
    return this.source.appOnly;
  }
  async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.source.getToken(signal)}` };
  }
  async renew(sent: Record<string, string>, signal?: AbortSignal): Promise<boolean> {
    await this.source.renew((sent.Authorization ?? '').replace(/^Bearer /, ''), signal);
    return true;
  }
}

export class BasicAuth implements EwsAuth {
  readonly kind = 'basic' as const;
  readonly appOnly = false;
  private readonly value: string;
  private readonly forget: () => Promise<void>;
  constructor(user: string, password: string, forget?: () => Promise<void>) {
    this.value = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
    this.forget = forgetOnce(forget);
  }
  async headers(): Promise<Record<string, string>> {
    return { Authorization: this.value };
  }
  async renew(): Promise<boolean> {
    return false;
  }
  async refused(challenge: string | undefined): Promise<void> {
    // A server that does not offer Basic at all (an IIS directory with Basic off) refuses the scheme, not
    // the password: keep it, the same password may work over NTLM.
    if (challenge === undefined || /(^|[\s,])basic\b/i.test(challenge)) await this.forget();
  }
}

export class NtlmAuth implements EwsAuth {
  readonly kind = 'ntlm' as const;
  readonly appOnly = false;
  private readonly forget: () => Promise<void>;
  constructor(forget?: () => Promise<void>) {
    this.forget = forgetOnce(forget);
  }
  async headers(): Promise<Record<string, string>> {
    return {};
  }
  async renew(): Promise<boolean> {
    return false;
  }
  async refused(challenge: string | undefined): Promise<void> {
    if (challenge === undefined || /(^|[\s,])(ntlm|negotiate)\b/i.test(challenge)) await this.forget();
  }
}

/** A fixed bearer token (tests, benches, scripts): the shared StaticTokenSource behind BearerAuth. */
export class StaticTokenAuth extends BearerAuth {
  constructor(token: string, options: Partial<StaticTokenOptions> = {}) {
    super(new StaticTokenSource(token, { account: options.account ?? 'ews', mailbox: options.mailbox ?? 'the target mailbox', ...options }));
  }
}
