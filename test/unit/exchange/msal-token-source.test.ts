import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { describe, expect, it } from 'vitest';

import type { PromptBody } from '../../../electron/contract/index.js';
import type { Prompter } from '../../../electron/engine/prompts/prompter.js';
import { MsalTokenSource, ewsScopes } from '../../../electron/engine/targets/exchange/auth/msal-token-source.js';
import { cacheAccount } from '../../../electron/engine/targets/exchange/auth/keychain-cache-plugin.js';
import { MemorySecrets } from '../../integration/ews/ews-helpers.js';

/**
 * MSAL against a stand-in identity provider: the authority's metadata is given up front and MSAL's
 * network module is replaced, so no Microsoft endpoint is called. What we check is what we send
 * (grant, scope, secret) and where the tokens end up (the keychain, not a file).
 */
const host = 'login.test.example';
const tenant = 'contoso-tenant';
const authority = `https://${host}/${tenant}`;
const tokenEndpoint = `${authority}/oauth2/v2.0/token`;
const authorityMetadata = JSON.stringify({
  token_endpoint: tokenEndpoint,
  authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
  device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
  end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  issuer: `https://${host}/${tenant}/v2.0`,
  jwks_uri: `${authority}/discovery/v2.0/keys`,
});
const cloudDiscoveryMetadata = JSON.stringify({
  tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
  'api-version': '1.1',
  metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
});

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: object) => `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.sig`;

class FakeIdentityProvider implements INetworkModule {
  readonly posts: { url: string; body: URLSearchParams }[] = [];
  issued = 0;

  async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
    throw new Error(`unexpected GET ${url}`);
  }

  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const body = new URLSearchParams(options?.body ?? '');
    this.posts.push({ url, body });
    const reply = (value: object) => ({ status: 200, headers: {}, body: value as T });
    if (url.startsWith(`${authority}/oauth2/v2.0/devicecode`)) {
      return reply({ user_code: 'ABCD-EFGH', device_code: 'dc-1', verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 1, message: 'To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH' });
    }
    if (url.startsWith(tokenEndpoint)) {
      this.issued += 1;
      const access = jwt({ aud: 'https://outlook.office365.com', tid: tenant, n: this.issued, ...(body.get('grant_type') === 'client_credentials' ? { idtyp: 'app', roles: ['full_access_as_app'] } : { scp: 'EWS.AccessAsUser.All' }) });
      const common = { token_type: 'Bearer', access_token: access, expires_in: 3600, ext_expires_in: 3600, scope: body.get('scope') ?? '' };
      if (body.get('grant_type') === 'client_credentials') return reply(common);
      const uid = 'user-oid';
      return reply({
        ...common,
        refresh_token: `rt-${this.issued}`,
        id_token: jwt({ aud: 'client-1', iss: `https://${host}/${tenant}/v2.0`, tid: tenant, oid: uid, sub: uid, preferred_username: 'tech@contoso.example', name: 'Tech', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 }),
        client_info: b64url({ uid, utid: tenant }),
      });
    }
    throw new Error(`unexpected POST ${url}`);
  }
}

const common = { clientId: 'client-1', tenant, authority, authorityMetadata, cloudDiscoveryMetadata, scopes: ewsScopes };
const appOnlyScope = 'https://outlook.office365.com/.default';
const delegatedScope = 'https://outlook.office365.com/EWS.AccessAsUser.All';

/** Records what the engine shows a person; a device code needs no answer. */
function showingPrompter(): Prompter & { shown: PromptBody[]; closed: number } {
  const record = {
    shown: [] as PromptBody[],
    closed: 0,
    ask: async () => ({ promptId: 'x', cancelled: true }),
    show: (prompt: PromptBody) => {
      record.shown.push(prompt);
      return { close: () => (record.closed += 1) };
    },
  };
  return record;
}

const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { n: number };

describe('MSAL token source shared by EWS and Graph (no network)', () => {
  it('client credentials: secret grant for the EWS scope, app-only token, cache kept in the keychain', async () => {
    const idp = new FakeIdentityProvider();
    const secrets = new MemorySecrets();
    const auth = new MsalTokenSource({ ...common, kind: 'client-credentials', secrets, clientSecret: 's3cret', networkClient: idp });
    expect(auth.appOnly).toBe(true);
    expect(await auth.getToken()).toMatch(/^ey/);
    const post = idp.posts.find((p) => p.url.startsWith(tokenEndpoint));
    expect(post?.body.get('grant_type')).toBe('client_credentials');
    expect(post?.body.get('scope')).toContain(appOnlyScope);
    expect(post?.body.get('client_secret')).toBe('s3cret');
    const stored = secrets.values.get(`target-token|${cacheAccount('client-1', tenant)}`);
    expect(stored).toBeDefined();
    expect(JSON.parse(stored ?? '{}').AccessToken).toBeDefined();
  });

  it('client credentials with a certificate sends a signed assertion, not a secret', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cw-cert-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`, '-days', '1', '-subj', '/CN=cloudward-test'], { stdio: 'ignore' });
    } catch {
      console.warn('openssl is missing: the certificate grant was not checked');
      return;
    }
    const pem = readFileSync(`${dir}/cert.pem`, 'utf8') + readFileSync(`${dir}/key.pem`, 'utf8');
    rmSync(dir, { recursive: true, force: true });
    const idp = new FakeIdentityProvider();
    const auth = new MsalTokenSource({ ...common, kind: 'client-credentials', secrets: new MemorySecrets(), certificatePem: pem, networkClient: idp });
    await auth.getToken();
    const post = idp.posts.find((p) => p.url.startsWith(tokenEndpoint));
    expect(post?.body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(post?.body.get('client_assertion')?.split('.')).toHaveLength(3);
    expect(post?.body.get('client_secret')).toBeNull();
  });

  it('device code: shows the code once, then a new run signs in silently from the keychain cache', async () => {
    const idp = new FakeIdentityProvider();
    const secrets = new MemorySecrets();
    const prompter = showingPrompter();
    const first = new MsalTokenSource({ ...common, kind: 'device-code', secrets, networkClient: idp, prompter, mailbox: 'user@contoso.example' });
    expect(first.appOnly).toBe(false);
    await first.getToken();
    // Through the prompter (a prompt event for CLI and app), never printed by the engine.
    expect(prompter.shown).toEqual([expect.objectContaining({ kind: 'device-code', userCode: 'ABCD-EFGH', verificationUri: 'https://microsoft.com/devicelogin' })]);
    expect(prompter.closed).toBe(1);
    const grant = idp.posts.find((p) => p.url.startsWith(tokenEndpoint));
    expect(grant?.body.get('grant_type')).toMatch(/device_code$/);
    expect(grant?.body.get('device_code')).toBe('dc-1');
    expect(grant?.body.get('scope')).toContain(delegatedScope);
    const cached = JSON.parse(secrets.values.get(`target-token|${cacheAccount('client-1', tenant)}`) ?? '{}') as { RefreshToken?: object };
    expect(Object.keys(cached.RefreshToken ?? {})).toHaveLength(1);

    const second = new MsalTokenSource({ ...common, kind: 'device-code', secrets, networkClient: idp, prompter });
    const posts = idp.posts.length;
    await second.getToken();
    expect(prompter.shown).toHaveLength(1);
    expect(idp.posts.length).toBe(posts); // the cached access token was still valid
  });

  it('a secret provider that answers with the env bearer token for every account does not break the cache', async () => {
    const secrets = new MemorySecrets();
    await secrets.set('target-token', cacheAccount('client-1', tenant), 'eyJ.not-a-cache.sig');
    const idp = new FakeIdentityProvider();
    const auth = new MsalTokenSource({ ...common, kind: 'client-credentials', secrets, clientSecret: 'x', networkClient: idp });
    await expect(auth.getToken()).resolves.toMatch(/^ey/);
  });

  it('device code: a token near expiry is refreshed with the refresh token, silently', async () => {
    const idp = new FakeIdentityProvider();
    const prompter = showingPrompter();
    let now = Date.now();
    const source = new MsalTokenSource({ ...common, kind: 'device-code', secrets: new MemorySecrets(), networkClient: idp, prompter, now: () => now });
    const first = await source.getToken();
    expect(await source.getToken()).toBe(first);
    now += 57 * 60_000; // 3 minutes left of the hour: inside the 5-minute margin
    const second = await source.getToken();
    expect(second).not.toBe(first);
    expect(idp.posts.at(-1)?.body.get('grant_type')).toBe('refresh_token');
    expect(prompter.shown).toHaveLength(1); // nobody was asked again
  });

  it('client credentials: a 401 renews the token with a new grant; concurrent 401s share one', async () => {
    const idp = new FakeIdentityProvider();
    const source = new MsalTokenSource({ ...common, kind: 'client-credentials', secrets: new MemorySecrets(), clientSecret: 's', networkClient: idp });
    const first = await source.getToken();
    const grants = idp.issued;
    await Promise.all([source.renew(first), source.renew(first), source.renew(first)]);
    const second = await source.getToken();
    expect(claims(second).n).toBeGreaterThan(claims(first).n);
    expect(idp.issued).toBe(grants + 1);
  });

  it('device code without anyone to show the code to fails clearly instead of printing it', async () => {
    const source = new MsalTokenSource({ ...common, kind: 'device-code', secrets: new MemorySecrets(), networkClient: new FakeIdentityProvider() });
    await expect(source.getToken()).rejects.toMatchObject({ code: 'TARGET_AUTH_FAILED', retryable: false });
  });
});
