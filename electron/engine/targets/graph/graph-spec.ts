import { readFileSync } from 'node:fs';

import { CloudwardError } from '../../../contract/index.js';
import { splitSpec, type SpecContext, type TargetSpecHandler } from '../../specs/spec.js';
import type { TokenScopes } from '../exchange/auth/msal-token-source.js';
import { StaticTokenSource } from '../exchange/auth/token-source.js';
import { HttpTransport } from '../exchange/http-transport.js';
import { MB } from './capabilities.js';
import { GraphTarget, type GraphConnection } from './graph-target.js';

export const defaultGraphEndpoint = 'https://graph.microsoft.com';

const authKinds = ['token', 'device-code', 'client-credentials'] as const;
type AuthKind = (typeof authKinds)[number];

const usage =
  'graph: --target-mailbox user@domain [--graph-endpoint https://graph.microsoft.com] [--target-auth token|device-code|client-credentials] ' +
  '[--tenant ID --client-id ID] [--max-item-mb 35] [--graph-autocomplete-beta]  (graph:URL = graph: with --graph-endpoint URL; token: CLOUDWARD_TARGET_TOKEN; client secret: CLOUDWARD_TARGET_CLIENT_SECRET)';

/**
 * Graph permissions (GRAPH:permissions-reference). Delegated (device code: the person signing in,
 * FullAccess for someone else's mailbox) and application (client credentials: admin consent,
 * best limited to the migrated mailboxes by RBAC for Applications).
 */
export function graphScopes(endpoint: string, autocompleteBeta = false): TokenScopes {
  const resource = endpoint.replace(/\/+$/, '');
  return {
    appOnly: [`${resource}/.default`],
    // The .Shared scopes let a technician's sign-in write into another person's mailbox where they hold FullAccess
    // (GRAPH:outlook-share-messages-folders, outlook-get-shared-contacts-folders); Mail.ReadWrite alone reaches only their own.
    delegated: ['Mail.ReadWrite', 'Mail.ReadWrite.Shared', 'Contacts.ReadWrite', 'Contacts.ReadWrite.Shared', 'Calendars.ReadWrite', 'Calendars.ReadWrite.Shared', 'Tasks.ReadWrite', 'MailboxSettings.Read', ...(autocompleteBeta ? ['MailboxConfigItem.ReadWrite'] : [])].map((scope) => `${resource}/${scope}`),
  };
}

/** `graph:`, `graph:https://host` (or just `https://host`); --graph-endpoint wins over both. */
export function parseEndpoint(spec: string, override?: string): URL {
  const split = splitSpec(spec);
  const rest = override ?? (split?.scheme === 'graph' ? split.rest : spec);
  const text = rest.trim() === '' ? defaultGraphEndpoint : rest.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new CloudwardError('BAD_ARGUMENTS', `The Graph endpoint is not a URL: ${text}. Use ${usage}`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new CloudwardError('BAD_ARGUMENTS', `Graph needs https (tokens would travel in clear): ${text}`);
  if (url.username || url.password) throw new CloudwardError('BAD_ARGUMENTS', 'Put no user or password in the Graph endpoint');
  if (/\/(v1\.0|beta)\/?$/.test(url.pathname)) throw new CloudwardError('BAD_ARGUMENTS', `Give the Graph endpoint without /v1.0 (requests go to {endpoint}/v1.0/...): ${text}`);
  return url;
}

function optionalString(value: string | number | boolean | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optionalNumber(value: string | number | boolean | undefined): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function authKind(value: string | undefined): AuthKind {
  const kind = (value ?? 'token').toLowerCase();
  if (!(authKinds as readonly string[]).includes(kind)) throw new CloudwardError('BAD_ARGUMENTS', `--target-auth for graph: must be one of ${authKinds.join(', ')} (got ${value})`);
  return kind as AuthKind;
}

async function connect(endpoint: URL, mailbox: string, kind: AuthKind, context: SpecContext, maxSockets: number): Promise<GraphConnection> {
  const { options, secrets } = context;
  const caFile = optionalString(options.targetCa);
  const transport = new HttpTransport({ maxSockets, ...(caFile ? { ca: readFileSync(caFile) } : {}) });
  const base = endpoint.origin + endpoint.pathname.replace(/\/+$/, '');
  if (kind === 'token') {
    const account = `graph://${mailbox}@${endpoint.host}`;
    const token = await secrets.get('target-token', account);
    if (!token) throw new CloudwardError('SECRET_MISSING', `No access token for ${mailbox}: set CLOUDWARD_TARGET_TOKEN or choose another --target-auth`);
    return { tokens: new StaticTokenSource(token, { prompter: context.prompter, account, mailbox }), transport };
  }
  const clientId = optionalString(options.clientId);
  if (!clientId) throw new CloudwardError('BAD_ARGUMENTS', `--target-auth ${kind} needs --client-id (the Entra app registration with the Graph permissions in the README)`);
  const tenant = optionalString(options.tenant) ?? (kind === 'device-code' ? 'organizations' : undefined);
  if (!tenant) throw new CloudwardError('BAD_ARGUMENTS', '--target-auth client-credentials needs --tenant (tenant id or domain)');
  // MSAL is loaded only when asked for.
  const { MsalTokenSource, readCertificate } = await import('../exchange/auth/msal-token-source.js');
  const certificate = optionalString(options.clientCertificate);
  const clientSecret = kind === 'client-credentials' && !certificate ? await secrets.get('target-client-secret', `${clientId}@${tenant}`) : undefined;
  const tokens = new MsalTokenSource({
    kind,
    clientId,
    tenant,
    secrets,
    // MailboxConfigItem.ReadWrite (GRAPH:api/userconfiguration-update) only when the beta switch asks for it.
    scopes: graphScopes(base, options.graphAutocompleteBeta === true),
    mailbox,
    prompter: context.prompter,
    ...(clientSecret ? { clientSecret } : {}),
    ...(certificate ? { certificatePem: readCertificate(certificate) } : {}),
  });
  await tokens.getToken();
  return { tokens, transport };
}

export const graphTargetSpec: TargetSpecHandler = {
  schemes: ['graph'],
  usage,
  validate(spec: string): void {
    parseEndpoint(spec);
  },
  create(spec: string, context: SpecContext, mailbox?: string): GraphTarget {
    const endpoint = parseEndpoint(spec, optionalString(context.options.graphEndpoint));
    const target = mailbox ?? optionalString(context.options.targetMailbox);
    if (!target || !target.includes('@')) throw new CloudwardError('BAD_ARGUMENTS', `The Graph target needs --target-mailbox user@domain (got ${target ?? 'none'})`);
    const kind = authKind(optionalString(context.options.targetAuth));
    const maxItemMb = optionalNumber(context.options.maxItemMb);
    if (maxItemMb !== undefined && maxItemMb > 150) throw new CloudwardError('BAD_ARGUMENTS', '--max-item-mb can be at most 150 (Graph upload sessions take up to 150 MB)');
    // Scaled budgets for tests and the benchmark (not on the documented command line).
    const budgetMb = optionalNumber(context.options.graphBudgetMb);
    const windowMs = optionalNumber(context.options.graphBudgetWindowMs);
    const requestTimeoutMs = optionalNumber(context.options.graphRequestTimeoutMs);
    const batchMb = optionalNumber(context.options.graphMaxBatchMb);
    const budget = {
      ...(budgetMb ? { serverBytesPerWindow: budgetMb * MB } : {}),
      ...(windowMs ? { windowMs } : {}),
      ...(batchMb ? { maxBatchBytes: Math.floor(batchMb * MB) } : {}),
    };
    const slots = 4;
    return new GraphTarget({
      endpoint: endpoint.origin + endpoint.pathname.replace(/\/+$/, ''),
      mailbox: target,
      log: context.log.child({ target: 'graph', mailbox: target }),
      connect: () => connect(endpoint, target, kind, context, slots + 1),
      ...(maxItemMb ? { maxItemMb } : {}),
      ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
      budget,
      requestSlots: slots,
      autocompleteBeta: context.options.graphAutocompleteBeta === true,
    });
  },
};
