/** How one EWS request is authorised. NTLM lives in its transport; the others add a header. */
export interface EwsAuth {
  readonly kind: 'token' | 'basic' | 'ntlm' | 'device-code' | 'client-credentials';
  /** App-only tokens must name the mailbox in an ExchangeImpersonation header. */
  readonly appOnly: boolean;
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /** After a 401: forget the cached token; true when asking again may help. */
  invalidate(): Promise<boolean>;
}

export class StaticTokenAuth implements EwsAuth {
  readonly kind = 'token' as const;
  constructor(
    private readonly token: string,
    readonly appOnly = false,
  ) {}
  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${this.token}` };
  }
  async invalidate(): Promise<boolean> {
    return false;
  }
}

export class BasicAuth implements EwsAuth {
  readonly kind = 'basic' as const;
  readonly appOnly = false;
  private readonly value: string;
  constructor(user: string, password: string) {
    this.value = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  }
  async headers(): Promise<Record<string, string>> {
    return { Authorization: this.value };
  }
  async invalidate(): Promise<boolean> {
    return false;
  }
}

export class NtlmAuth implements EwsAuth {
  readonly kind = 'ntlm' as const;
  readonly appOnly = false;
  async headers(): Promise<Record<string, string>> {
    return {};
  }
  async invalidate(): Promise<boolean> {
    return false;
  }
}

/** An app-only token's `roles` claim or `idtyp=app` marks it; such tokens need impersonation (ews-graph.md §3.3). */
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
