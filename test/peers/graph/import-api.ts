import { createHash, randomUUID } from 'node:crypto';
import type http from 'node:http';

import { FtsFormatError, type ReadMessage, readMessageStream } from '../../unit/graph-import/fts-reader.js';

import { graphError, type RouteAnswer } from './routes.js';

/**
 * The Graph mailbox import API, as documented (v1.0, GRAPH:api/resources/mailbox-import-export-api-overview,
 * GRAPH:api/exchangesettings-get (usersettings), GRAPH:api/mailbox-createimportsession,
 * GRAPH:import-exchange-mailbox-item):
 *   GET  /v1.0/users/{id}/settings/exchange                      → { primaryMailboxId, ... } (bearer token)
 *   POST /v1.0/admin/exchange/mailboxes/{id}/createImportSession → { importUrl, expirationDateTime } (bearer token)
 *   POST {importUrl}  { FolderId, Mode: "create" | "update", Data: base64 FastTransfer stream } → { itemId, changeKey }
 * The importUrl is pre-authenticated ("authtoken" in its query): the peer refuses a request to it that
 * carries an Authorization header, and refuses Data that is not a well-formed message stream by the rules
 * of test/unit/graph-import/fts-reader.ts ([MS-OXCFXICS] 2.2.4). What the documents do not say (error codes
 * for a bad stream or an expired session, the session's lifetime) is marked "assumed" below.
 */
export interface ImportedItem {
  readonly mailboxId: string;
  readonly address: string;
  readonly folderId: string;
  readonly itemId: string;
  readonly data: Buffer;
  readonly message: ReadMessage;
}

export interface ImportApiDeps {
  origin(): string;
  /** A user segment (address or id) → the mailbox's address, or undefined for an unknown user. */
  addressOf(user: string): string | undefined;
  /** The Graph peer's bearer check: a RouteAnswer when refused. */
  authenticate(header: string | undefined): object;
  violate(kind: string, detail: string): void;
}

export interface ImportApi {
  readonly items: ImportedItem[];
  /** Assumed; Microsoft documents an expirationDateTime but not its span. */
  sessionLifetimeMs: number;
  mailboxIdOf(address: string): string;
  /** The answer for an import-API request, or undefined when the URL is not one. */
  answer(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: Buffer): RouteAnswer | undefined;
}

export function createImportApi(deps: ImportApiDeps): ImportApi {
  const sessions = new Map<string, { mailboxId: string; address: string; expires: number }>();
  const mailboxes = new Map<string, string>();
  const api: ImportApi = {
    items: [],
    sessionLifetimeMs: 60 * 60 * 1000,
    mailboxIdOf(address) {
      // Graph shows ids like "MBX:e0643f21@a7809c93": opaque, stable per mailbox.
      const hash = createHash('sha256').update(address.toLowerCase()).digest('hex');
      const id = `MBX:${hash.slice(0, 8)}@${hash.slice(8, 16)}`;
      mailboxes.set(id, address.toLowerCase());
      return id;
    },
    answer(method, url, headers, raw) {
      const settings = /^\/v1\.0\/users\/([^/]+)\/settings\/exchange$/.exec(url.pathname);
      const create = /^\/v1\.0\/admin\/exchange\/mailboxes\/([^/]+)\/createImportSession$/.exec(url.pathname);
      if (settings || create) {
        const auth = deps.authenticate(headers.authorization);
        if ('status' in auth) return auth as RouteAnswer;
      }
      if (settings) {
        if (method !== 'GET') return graphError(405, 'MethodNotAllowed', 'GET only');
        const address = deps.addressOf(decodeURIComponent(settings[1]!));
        if (!address) return graphError(404, 'ErrorInvalidUser', `The requested user '${settings[1]}' is invalid.`);
        return { status: 200, body: { '@odata.context': `${deps.origin()}/v1.0/$metadata#exchangeSettings`, primaryMailboxId: api.mailboxIdOf(address) } };
      }
      if (create) {
        if (method !== 'POST') return graphError(405, 'MethodNotAllowed', 'POST only');
        const mailboxId = decodeURIComponent(create[1]!);
        const address = mailboxes.get(mailboxId);
        if (!address) return graphError(404, 'ErrorItemNotFound', `Mailbox ${mailboxId} not found.`);
        const token = randomUUID();
        const expires = Date.now() + api.sessionLifetimeMs;
        sessions.set(token, { mailboxId, address, expires });
        return {
          status: 200,
          body: {
            '@odata.context': `${deps.origin()}/v1.0/$metadata#microsoft.graph.mailboxItemImportSession`,
            importUrl: `${deps.origin()}/api/gbwus/beta/Mailboxes('${encodeURIComponent(mailboxId)}')/importItem?authtoken=${token}`,
            expirationDateTime: new Date(expires).toISOString(),
          },
        };
      }
      if (!/\/importItem$/.test(url.pathname) || !url.pathname.startsWith('/api/')) return undefined;
      return importItem(method, url, headers, raw);
    },
  };

  function importItem(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: Buffer): RouteAnswer {
    if (method !== 'POST') return graphError(405, 'MethodNotAllowed', 'POST only');
    if (headers.authorization !== undefined) {
      deps.violate('import-url-with-authorization', `${url.pathname}: the importUrl is pre-authenticated; no Authorization header`);
      return graphError(400, 'BadRequest', 'The import URL is pre-authenticated; do not send an Authorization header.');
    }
    const session = sessions.get(url.searchParams.get('authtoken') ?? '');
    // Assumed: an unknown or expired authtoken answers 401 (Microsoft documents only that the URL expires).
    if (!session || session.expires <= Date.now()) return graphError(401, 'InvalidAuthenticationToken', 'The import session is unknown or has expired.');
    if (!String(headers['content-type'] ?? '').startsWith('application/json')) return graphError(415, 'UnsupportedMediaType', 'application/json only');
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
    }
    const problems: string[] = [];
    const b = (body ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(b)) if (!['FolderId', 'Mode', 'Data', 'ItemId'].includes(key)) problems.push(`unknown member ${key}`);
    if (typeof b.FolderId !== 'string' || b.FolderId === '') problems.push('FolderId: a string is required');
    if (b.Mode !== 'create' && b.Mode !== 'update') problems.push('Mode: "create" or "update"');
    if (b.Mode === 'update' && typeof b.ItemId !== 'string') problems.push('ItemId: required for Mode update');
    if (typeof b.Data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b.Data) || b.Data.length % 4 !== 0 || b.Data === '') problems.push('Data: base64 is required');
    if (problems.length > 0) return graphError(400, 'BadRequest', problems.join('; '));
    const data = Buffer.from(b.Data as string, 'base64');
    let message: ReadMessage;
    try {
      message = readMessageStream(data);
    } catch (error) {
      if (!(error instanceof FtsFormatError)) throw error;
      // Assumed error shape: the service's answer to a malformed stream is not documented.
      return graphError(400, 'ErrorInvalidFastTransferStream', `Data is not a FastTransfer message stream: ${error.message}`);
    }
    const itemId = `AAMk${createHash('sha256').update(randomUUID()).digest('base64url').slice(0, 40)}`;
    api.items.push({ mailboxId: session.mailboxId, address: session.address, folderId: b.FolderId as string, itemId, data, message });
    return { status: 200, body: { itemId, changeKey: `CQAAAB${itemId.slice(4, 20)}` } };
  }

  return api;
}
