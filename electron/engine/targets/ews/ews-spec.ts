import { readFileSync } from 'node:fs';

import { CloudwardError } from '../../../contract/index.js';
import { splitSpec, type SpecContext, type TargetSpecHandler } from '../../specs/spec.js';
import { StaticTokenSource } from '../exchange/auth/token-source.js';
import { BasicAuth, BearerAuth, NtlmAuth } from './auth/auth.js';
import { MB } from './capabilities.js';
import { EwsTarget, type EwsConnection } from './ews-target.js';
import { HttpTransport } from './transport/http-transport.js';

const authKinds = ['token', 'device-code', 'client-credentials', 'basic', 'ntlm'] as const;
type AuthKind = (typeof authKinds)[number];

const usage =
  'ews:https://mail.example.com/EWS/Exchange.asmx --target-mailbox user@domain [--target-auth token|device-code|client-credentials|basic|ntlm] ' +
  '[--tenant ID --client-id ID] [--max-item-mb 35]  (token: CLOUDWARD_TARGET_TOKEN; basic/ntlm: CLOUDWARD_TARGET_PASSWORD)';

/** Takes `ews:https://...` or, as the registry passes it, just the `https://...` part. */
function parseUrl(spec: string): URL {
  const split = splitSpec(spec);
  const rest = split?.scheme === 'ews' ? split.rest : spec;
  if (!/^https?:\/\//i.test(rest)) throw new CloudwardError('BAD_ARGUMENTS', `Not an EWS address: ${spec}. Use ${usage}`);
  let url: URL;
  try {
    url = new URL(rest);
  } catch {
    throw new CloudwardError('BAD_ARGUMENTS', `The EWS address is not a URL: ${rest}. Example: ews:https://outlook.office365.com/EWS/Exchange.asmx`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new CloudwardError('BAD_ARGUMENTS', `EWS needs https (credentials would travel in clear): ${rest}`);
  }
  if (url.username || url.password) throw new CloudwardError('BAD_ARGUMENTS', 'Put no user or password in the EWS address; use --target-auth and the keychain or environment');
  return url;
}

function authKind(value: string | undefined): AuthKind {
  const kind = (value ?? 'token').toLowerCase();
  if (!(authKinds as readonly string[]).includes(kind)) throw new CloudwardError('BAD_ARGUMENTS', `--target-auth must be one of ${authKinds.join(', ')} (got ${value})`);
  return kind as AuthKind;
}

function optionalString(value: string | number | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalNumber(value: string | number | boolean | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

async function connect(url: URL, mailbox: string, kind: AuthKind, context: SpecContext, maxSockets: number): Promise<EwsConnection> {
  const { options, secrets } = context;
  const host = url.host;
  const caFile = optionalString(options.targetCa);
  const http = () => new HttpTransport(url.href, { maxSockets, ...(caFile ? { ca: readFileSync(caFile) } : {}) });
  const user = optionalString(options.adminUser) ?? mailbox;
  switch (kind) {
    case 'token': {
      const token = await secrets.get('target-token', `ews://${mailbox}@${host}`);
      if (!token) throw new CloudwardError('SECRET_MISSING', `No access token for ${mailbox}: set CLOUDWARD_TARGET_TOKEN or choose another --target-auth`);
      const source = new StaticTokenSource(token, { prompter: context.prompter, account: `ews://${mailbox}@${host}`, mailbox });
      return { auth: new BearerAuth(source), transport: http() };
    }
    case 'basic':
    case 'ntlm': {
      const password = await secrets.get('target-password', `ews://${user}@${host}`);
      if (password === undefined) throw new CloudwardError('SECRET_MISSING', `No password for ${user} on ${host}: set CLOUDWARD_TARGET_PASSWORD or store it in the keychain`);
      // A password Exchange refuses is forgotten (keychain and this job's memory): the next run asks again.
      const forget = async () => secrets.refused?.('target-password', `ews://${user}@${host}`);
      if (kind === 'basic') return { auth: new BasicAuth(user, password, forget), transport: http() };
      // ews-javascript-api (~48 MB) is loaded only here, for its NTLM handshake: no other path needs it.
      const { NtlmTransport } = await import('./transport/ntlm-transport.js');
      return { auth: new NtlmAuth(forget), transport: new NtlmTransport(url.href, user, password) };
    }
    case 'device-code':
    case 'client-credentials': {
      const clientId = optionalString(options.clientId);
      if (!clientId) throw new CloudwardError('BAD_ARGUMENTS', `--target-auth ${kind} needs --client-id (the Entra app id that the admin allowed with EWSAllowedAppIDs)`);
      const tenant = optionalString(options.tenant) ?? (kind === 'device-code' ? 'organizations' : undefined);
      if (!tenant) throw new CloudwardError('BAD_ARGUMENTS', '--target-auth client-credentials needs --tenant (tenant id or domain)');
      // MSAL is loaded only when asked for: token and password runs do not pay its ~18 MB.
      const { MsalTokenSource, ewsScopes, readCertificate } = await import('../exchange/auth/msal-token-source.js');
      const certificate = optionalString(options.clientCertificate);
      const clientSecret = kind === 'client-credentials' && !certificate ? await secrets.get('target-client-secret', `${clientId}@${tenant}`) : undefined;
      const source = new MsalTokenSource({
        kind,
        clientId,
        tenant,
        secrets,
        scopes: ewsScopes,
        mailbox,
        prompter: context.prompter,
        ...(clientSecret ? { clientSecret } : {}),
        ...(certificate ? { certificatePem: readCertificate(certificate) } : {}),
      });
      await source.getToken();
      const auth = new BearerAuth(source);
      return { auth, transport: http() };
    }
  }
}

export const ewsTargetSpec: TargetSpecHandler = {
  schemes: ['ews'],
  usage,
  validate(spec: string): void {
    parseUrl(spec);
  },
  create(spec: string, context: SpecContext, mailbox?: string): EwsTarget {
    const url = parseUrl(spec);
    const target = mailbox ?? optionalString(context.options.targetMailbox);
    if (!target || !target.includes('@')) throw new CloudwardError('BAD_ARGUMENTS', `The EWS target needs --target-mailbox user@domain (got ${target ?? 'none'})`);
    const kind = authKind(optionalString(context.options.targetAuth));
    const maxItemMb = optionalNumber(context.options.maxItemMb);
    if (maxItemMb !== undefined && maxItemMb > 150) throw new CloudwardError('BAD_ARGUMENTS', '--max-item-mb can be at most 150 (Exchange Online maximum)');
    const budgetMb = optionalNumber(context.options.ewsBudgetMb);
    const windowMs = optionalNumber(context.options.ewsBudgetWindowMs);
    const maxConcurrent = optionalNumber(context.options.ewsMaxConcurrent);
    const requestTimeoutMs = optionalNumber(context.options.ewsRequestTimeoutMs);
    const batchMb = optionalNumber(context.options.ewsMaxBatchMb);
    const budget = {
      ...(budgetMb ? { serverBytesPerWindow: budgetMb * MB } : {}),
      ...(windowMs ? { windowMs } : {}),
      ...(maxConcurrent ? { maxConcurrent: Math.floor(maxConcurrent) } : {}),
      ...(batchMb ? { maxBatchBytes: Math.floor(batchMb * MB) } : {}),
    };
    return new EwsTarget({
      url: url.href,
      mailbox: target,
      log: context.log.child({ target: 'ews', mailbox: target }),
      connect: () => connect(url, target, kind, context, (budget.maxConcurrent ?? 3) + 1),
      ...(maxItemMb ? { maxItemMb } : {}),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      budget,
    });
  },
};
