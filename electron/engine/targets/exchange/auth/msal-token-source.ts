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
import type { EwsAuth } from './auth.js';
import { cacheAccount, keychainCachePlugin } from './keychain-cache-plugin.js';

/** App-only: everything the app was granted on Exchange Online (full_access_as_app). */
export const appOnlyScope = 'https://outlook.office365.com/.default';
/** Delegated: EWS as the signed-in user (FullAccess on other mailboxes). */
export const delegatedScope = 'https://outlook.office365.com/EWS.AccessAsUser.All';

export interface MsalOptions {
  kind: 'device-code' | 'client-credentials';
  clientId: string;
  tenant: string;
  secrets: SecretProvider;
  /** Client credentials: a secret (from the keychain/env) or a PEM holding certificate and private key. */
  clientSecret?: string;
  certificatePem?: string;
  /** Device code: how the technician is shown the code and URL. */
  onDeviceCode?: (message: string) => void;
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

/** MSAL-backed bearer tokens, cached in the keychain; refreshed silently, and once more after a 401. */
export class MsalAuth implements EwsAuth {
  readonly kind: 'device-code' | 'client-credentials';
  readonly appOnly: boolean;
  private readonly app: PublicClientApplication | ConfidentialClientApplication;
  private current: AuthenticationResult | undefined;
  /** After a 401 the cached app token is not trusted again. */
  private skipCache = false;

  constructor(private readonly options: MsalOptions) {
    this.kind = options.kind;
    this.appOnly = options.kind === 'client-credentials';
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
    return expires !== undefined && expires - Date.now() > 5 * 60_000;
  }

  async token(): Promise<string> {
    if (this.current && this.fresh()) return this.current.accessToken;
    try {
      this.current = this.app instanceof ConfidentialClientApplication ? await this.clientCredentials(this.app) : await this.deviceCode(this.app);
    } catch (error) {
      if (error instanceof CloudwardError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new CloudwardError('TARGET_AUTH_FAILED', `Microsoft sign-in failed (${this.kind}): ${message}`, { cause: error });
    }
    return this.current.accessToken;
  }

  private async clientCredentials(app: ConfidentialClientApplication): Promise<AuthenticationResult> {
    const result = await app.acquireTokenByClientCredential({ scopes: [appOnlyScope], skipCache: this.skipCache });
    this.skipCache = false;
    if (!result) throw new CloudwardError('TARGET_AUTH_FAILED', 'Microsoft sign-in returned no token');
    return result;
  }

  private async deviceCode(app: PublicClientApplication): Promise<AuthenticationResult> {
    const accounts: AccountInfo[] = await app.getTokenCache().getAllAccounts();
    const account = accounts[0];
    if (account) {
      try {
        return await app.acquireTokenSilent({ account, scopes: [delegatedScope] });
      } catch {
        // Refresh token expired or revoked: fall through to a new device code sign-in.
      }
    }
    const show = this.options.onDeviceCode ?? ((message: string) => process.stderr.write(`${message}\n`));
    const result = await app.acquireTokenByDeviceCode({ scopes: [delegatedScope], deviceCodeCallback: (response) => show(response.message) });
    if (!result) throw new CloudwardError('TARGET_AUTH_FAILED', 'Device code sign-in returned no token');
    return result;
  }

  async headers(): Promise<Record<string, string>> {
    return { Authorization: `Bearer ${await this.token()}` };
  }

  async invalidate(): Promise<boolean> {
    const had = this.current !== undefined;
    this.current = undefined;
    this.skipCache = true;
    return had;
  }
}
