import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

import {
  ConfidentialClientApplication,
  PublicClientApplication,
  type AccountInfo,
  type AuthenticationResult,
  type Configuration,
  type INetworkModule,
} from '@azure/msal-node';

import { CloudwardError } from '../../../../contract/index.js';
import type { SecretProvider } from '../../../secrets/secret-provider.js';
import type { Prompter } from '../../../prompts/prompter.js';
import type { AccessTokenSource } from './token-source.js';
import { cacheAccount, keychainCachePlugin } from './keychain-cache-plugin.js';

/** Scopes for one resource: app-only (client credentials) and delegated (device code). */
export interface TokenScopes {
  appOnly: readonly string[];
  delegated: readonly string[];
}

/** EWS: app-only = full_access_as_app; delegated = EWS.AccessAsUser.All (FullAccess on other mailboxes). */
export const ewsScopes: TokenScopes = {
  appOnly: ['https://outlook.office365.com/.default'],
  delegated: ['https://outlook.office365.com/EWS.AccessAsUser.All'],
};

export interface MsalOptions {
  kind: 'device-code' | 'client-credentials';
  clientId: string;
  tenant: string;
  secrets: SecretProvider;
  scopes: TokenScopes;
  /** Client credentials: a secret (from the keychain/env) or a PEM holding certificate and private key. */
  clientSecret?: string;
  certificatePem?: string;
  /** Device code: the code and link go to a person through the prompter (a prompt event), never a TTY. */
  prompter?: Prompter | undefined;
  /** The mailbox the sign-in is for (prompt context). */
  mailbox?: string;
  /** Wall clock for token expiry; tests move it. */
  now?: () => number;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshMarginMs?: number;
  /** Tests only: loopback authority with its metadata, and a network module, so no Microsoft endpoint is called. */
  authority?: string;
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
  networkClient?: INetworkModule;
}

export function certificateCredential(pem: string): { thumbprintSha256: string; privateKey: string; x5c: string } {
  const certificate = new X509Certificate(pem);
  const privateKey = createPrivateKey(pem).export({ format: 'pem', type: 'pkcs8' }).toString();
  return {
    thumbprintSha256: certificate.fingerprint256.replace(/:/g, ''),
    privateKey,
    x5c: certificate.toString(),
  };
}

export function readCertificate(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new CloudwardError('BAD_ARGUMENTS', `Cannot read the client certificate ${path}`, { cause: error });
  }
}

/**
 * MSAL-backed bearer tokens, cached in the keychain (refresh tokens included). A token is renewed
 * silently before it expires (client credentials: a new grant; device code: the refresh token) and
 * once more after a 401; only when the refresh token itself is gone is the person asked again.
 */
export class MsalTokenSource implements AccessTokenSource {
  readonly kind: 'device-code' | 'client-credentials';
  readonly appOnly: boolean;
  private readonly app: PublicClientApplication | ConfidentialClientApplication;
  private current: AuthenticationResult | undefined;
  /** After a 401 the cached token is not trusted again. */
  private forceRefresh = false;
  private pending: Promise<string> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: MsalOptions) {
    this.kind = options.kind;
    this.appOnly = options.kind === 'client-credentials';
    this.now = options.now ?? Date.now;
    const auth: Configuration['auth'] = {
      clientId: options.clientId,
      authority: options.authority ?? `https://login.microsoftonline.com/${options.tenant}`,
    };
    if (options.authorityMetadata) auth.authorityMetadata = options.authorityMetadata;
    if (options.cloudDiscoveryMetadata) auth.cloudDiscoveryMetadata = options.cloudDiscoveryMetadata;
    if (options.authority) auth.knownAuthorities = [new URL(options.authority).host];
    const config: Configuration = {
      auth,
      cache: { cachePlugin: keychainCachePlugin(options.secrets, cacheAccount(options.clientId, options.tenant)) },
      system: options.networkClient ? { networkClient: options.networkClient } : {},
    };
    if (options.kind === 'client-credentials') {
      if (options.certificatePem) auth.clientCertificate = certificateCredential(options.certificatePem);
      else if (options.clientSecret) auth.clientSecret = options.clientSecret;
      else {
        throw new CloudwardError('SECRET_MISSING', 'Client credentials need a client secret (keychain or CLOUDWARD_TARGET_CLIENT_SECRET) or --client-certificate FILE');
      }
      this.app = new ConfidentialClientApplication(config);
    } else {
      this.app = new PublicClientApplication(config);
    }
  }

  private fresh(): boolean {
    const expires = this.current?.expiresOn?.getTime();
    return expires !== undefined && expires - this.now() > (this.options.refreshMarginMs ?? 5 * 60_000);
  }

  async getToken(): Promise<string> {
    if (this.current && this.fresh() && !this.forceRefresh) return this.current.accessToken;
    // Concurrent requests share one sign-in (one device code, one grant).
    this.pending ??= this.acquire().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  async renew(rejected: string): Promise<void> {
    if (this.current !== undefined && this.current.accessToken !== rejected && this.fresh()) return;
    this.forceRefresh = true;
    await this.getToken();
  }

  private async acquire(): Promise<string> {
    try {
      this.current = this.app instanceof ConfidentialClientApplication ? await this.clientCredentials(this.app) : await this.deviceCode(this.app);
      this.forceRefresh = false;
    } catch (error) {
      if (error instanceof CloudwardError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new CloudwardError('TARGET_AUTH_FAILED', `Microsoft sign-in failed (${this.kind}): ${message}`, { cause: error });
    }
    return this.current.accessToken;
  }

  private async clientCredentials(app: ConfidentialClientApplication): Promise<AuthenticationResult> {
    const result = await app.acquireTokenByClientCredential({ scopes: [...this.options.scopes.appOnly], skipCache: this.forceRefresh || this.current !== undefined });
    if (!result) throw new CloudwardError('TARGET_AUTH_FAILED', 'Microsoft sign-in returned no token');
    return result;
  }

  private async deviceCode(app: PublicClientApplication): Promise<AuthenticationResult> {
    const scopes = [...this.options.scopes.delegated];
    const accounts: AccountInfo[] = await app.getTokenCache().getAllAccounts();
    const account = accounts[0];
    if (account) {
      try {
        // forceRefresh redeems the refresh token even when the cached access token looks valid (after a 401, or near expiry).
        return await app.acquireTokenSilent({ account, scopes, forceRefresh: this.forceRefresh || this.current !== undefined });
      } catch {
        // Refresh token expired or revoked: fall through to a new device code sign-in.
      }
    }
    const prompter = this.options.prompter;
    if (!prompter) {
      throw new CloudwardError('TARGET_AUTH_FAILED', 'Device code sign-in needs a person to enter the code, and nobody can be asked here; sign in once interactively or use --target-auth client-credentials', { retryable: false });
    }
    let shown: { close(): void } | undefined;
    try {
      const result = await app.acquireTokenByDeviceCode({
        scopes,
        deviceCodeCallback: (response) => {
          shown = prompter.show(
            {
              kind: 'device-code',
              message: response.message,
              userCode: response.userCode,
              verificationUri: response.verificationUri,
              expiresAt: new Date(this.now() + response.expiresIn * 1000).toISOString(),
            },
            this.options.mailbox === undefined ? {} : { mailbox: this.options.mailbox },
          );
        },
      });
      if (!result) throw new CloudwardError('TARGET_AUTH_FAILED', 'Device code sign-in returned no token');
      return result;
    } finally {
      shown?.close();
    }
  }
}
