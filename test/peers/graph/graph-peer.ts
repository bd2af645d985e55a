import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

import { loadCsdl, type Csdl } from './csdl.js';
import { GraphMailbox, type StoredMessage } from './mailbox-store.js';
import { graphError, route, type RouteAnswer, type RouteContext } from './routes.js';
import { createImportApi, type ImportApi } from './import-api.js';
import { MailboxAccess } from './mailbox-access.js';
import { UserConfigurationStore } from './user-configurations.js';

/**
 * Loopback Microsoft Graph v1.0 for tests: checks every request body against Microsoft's CSDL
 * (../shared/fixtures/graph-schema), stores what it gets per mailbox, refuses what Graph refuses,
 * and simulates Graph's throttling and failures. See README.md beside this file for each behaviour
 * and the Microsoft document it follows.
 */
export interface GraphPeerOptions {
  /** Accepted bearer tokens → who they are. Undefined: any bearer token, delegated, /me = `defaultUser`. */
  readonly tokens?: Readonly<Record<string, { readonly user?: string; readonly appOnly?: boolean }>>;
  readonly defaultUser?: string;
  readonly simulate?: GraphSimulation;
  /** PRNG seed for random failures (deterministic runs). */
  readonly seed?: number;
  /** Serve the beta user configuration API (user-configurations.ts); any other beta call stays a `not-v1` violation. */
  readonly userConfigurationsBeta?: boolean;
}

export interface GraphSimulation {
  /** GRAPH:throttling-limits#outlook-service-limits: 4 concurrent requests per app and mailbox → 429 MailboxConcurrency. */
  maxConcurrent?: number;
  /** 150 MB per 5 minutes of upload (POST/PATCH/PUT body bytes) per app and mailbox → 429 + Retry-After. */
  uploadBudget?: { bytes: number; windowMs: number };
  /** 10,000 requests per 10 minutes per app and mailbox → 429 + Retry-After. */
  requestBudget?: { requests: number; windowMs: number };
  /** Random 429 (ApplicationThrottled) and 503 (ServiceUnavailable), also per request inside $batch. */
  random?: { rate429?: number; rate503?: number; retryAfterSeconds?: number };
  /** A token stops working this long after the peer first saw it: 401 InvalidAuthenticationToken. */
  tokenLifetimeMs?: number;
  /** Whole request size limit, bytes (Graph: 4 MB → 413). */
  maxRequestBytes?: number;
  /** Delay before answering, ms. */
  delayMs?: number | ((method: string, path: string) => number);
  /** Benchmarks only: no CSDL check of bodies (the EWS bench's validation 'off'), so the one peer thread keeps up with 20 mailboxes. */
  skipValidation?: boolean;
  /** Benchmarks: keep messages but drop attachment bytes, so 20 mailboxes fit in memory. */
  discardContent?: boolean;
  /** Destroy the socket: before doing the work (after-request) or after it (after-commit). Counted over POSTs. */
  dropConnections?: { everyNth: number; phase: 'after-request' | 'after-commit' };
}

export interface GraphViolation {
  readonly kind: string;
  readonly detail: string;
  readonly mailbox?: string;
}

export interface GraphPeer {
  readonly url: string;
  readonly csdl: Csdl;
  readonly schemaErrors: { path: string; problems: string[] }[];
  readonly violations: GraphViolation[];
  readonly stats: { requests: number; byStatus: Record<number, number>; throttled: number; batchRequests: number; maxConcurrentSeen: Record<string, number>; uploadedBytes: Record<string, number> };
  /** Beta user configurations per mailbox (served with `userConfigurationsBeta`): user-configurations.ts. */
  readonly userConfigurations: UserConfigurationStore;
  /** The mailbox import API (createImportSession, importItem): import-api.ts. */
  readonly importApi: ImportApi;
  readonly log: { method: string; path: string; status: number; mailbox?: string; bytes: number; at: number; inBatch: boolean }[];
  mailbox(address: string): GraphMailbox;
  mailboxes(): GraphMailbox[];
  configure(simulate: GraphSimulation): void;
  /** Gives `user` FullAccess on `mailbox` (Add-MailboxPermission): their delegated token may then open it. */
  grantFullAccess(mailbox: string, user: string): void;
  /** Every token seen so far answers 401 from now on. */
  expireTokens(): void;
  assertNoSchemaErrors(): void;
  assertNoViolations(): void;
  close(): Promise<void>;
}

const fourMb = 4 * 1024 * 1024;
const maxChunk = 4 * 1024 * 1024;

interface UploadSession {
  message: StoredMessage;
  name: string;
  size: number;
  contentType?: string;
  isInline: boolean;
  contentId?: string;
  received: Buffer[];
  next: number;
  mailbox: string;
}

function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % 1_000_000) / 1_000_000;
  };
}

export async function startGraphPeer(options: GraphPeerOptions = {}): Promise<GraphPeer> {
  const csdl = loadCsdl();
  const boxes = new Map<string, GraphMailbox>();
  const schemaErrors: GraphPeer['schemaErrors'] = [];
  const violations: GraphViolation[] = [];
  const stats: GraphPeer['stats'] = { requests: 0, byStatus: {}, throttled: 0, batchRequests: 0, maxConcurrentSeen: {}, uploadedBytes: {} };
  const log: GraphPeer['log'] = [];
  let simulate: GraphSimulation = { ...(options.simulate ?? {}) };
  const random = prng(options.seed ?? 42);
  const tokenSeen = new Map<string, number>();
  const expired = new Set<string>();
  const inFlight = new Map<string, number>();
  const uploads = new Map<string, { at: number; bytes: number }[]>();
  const requestTimes = new Map<string, number[]>();
  const sessions = new Map<string, UploadSession>();
  const sockets = new Set<Socket>();
  const access = new MailboxAccess();
  const userConfigurations = new UserConfigurationStore();
  let postCount = 0;
  let origin = '';

  const mailboxFor = (address: string): GraphMailbox => {
    const key = address.toLowerCase();
    let box = boxes.get(key);
    if (!box) {
      box = new GraphMailbox(key);
      boxes.set(key, box);
    }
    return box;
  };
  const byId = (id: string) => [...boxes.values()].find((box) => box.id === id);
  const importApi = createImportApi({ origin: () => origin, addressOf: (user) => (user.includes('@') ? user : byId(user)?.address), authenticate: (header) => authenticate(header), violate: (kind, detail) => violations.push({ kind, detail }) });

  /** 401 body as Graph sends it for a missing/expired token (GRAPH:errors; "Lifetime validation failed, the token is expired."). */
  function authenticate(header: string | undefined): { token: string; user?: string; appOnly: boolean } | RouteAnswer {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'WWW-Authenticate': 'Bearer realm=""' });
    if (options.tokens && !options.tokens[token]) return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    const first = tokenSeen.get(token) ?? Date.now();
    tokenSeen.set(token, first);
    if (expired.has(token) || (simulate.tokenLifetimeMs !== undefined && Date.now() - first > simulate.tokenLifetimeMs)) {
      return graphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    }
    const known = options.tokens?.[token];
    return { token, appOnly: known?.appOnly === true, ...(known?.user ? { user: known.user } : options.defaultUser ? { user: options.defaultUser } : {}) };
  }

  function throttleAnswer(code: string, message: string, retryAfterMs: number): RouteAnswer {
    stats.throttled += 1;
    return graphError(429, code, message, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) });
  }

  /** Budget checks per app+mailbox (GRAPH:throttling-limits#outlook-service-limits). */
  function budgets(mailbox: string, method: string, bytes: number): RouteAnswer | undefined {
    const now = Date.now();
    const rate = simulate.random;
    if (rate?.rate429 && random() < rate.rate429) return throttleAnswer('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', (rate.retryAfterSeconds ?? 1) * 1000);
    if (rate?.rate503 && random() < rate.rate503) return graphError(503, 'ServiceUnavailable', 'Service temporarily unavailable.', { 'Retry-After': String(rate.retryAfterSeconds ?? 1) });
    if (simulate.requestBudget) {
      const times = (requestTimes.get(mailbox) ?? []).filter((at) => at > now - (simulate.requestBudget?.windowMs ?? 0));
      if (times.length >= simulate.requestBudget.requests) return throttleAnswer('ApplicationThrottled', 'Application is over its MailboxRequests limit.', (times[0] ?? now) + simulate.requestBudget.windowMs - now);
      times.push(now);
      requestTimes.set(mailbox, times);
    }
    if (simulate.uploadBudget && ['POST', 'PATCH', 'PUT'].includes(method) && bytes > 0) {
      const window = simulate.uploadBudget.windowMs;
      const list = (uploads.get(mailbox) ?? []).filter((entry) => entry.at > now - window);
      let used = list.reduce((sum, entry) => sum + entry.bytes, 0);
      if (used > 0 && used + bytes > simulate.uploadBudget.bytes) {
        let wait = 0;
        for (const entry of list) {
          used -= entry.bytes;
          wait = entry.at + window - now;
          if (used + bytes <= simulate.uploadBudget.bytes) break;
        }
        uploads.set(mailbox, list);
        return throttleAnswer('ApplicationThrottled', 'Application is over its MailboxUpload limit.', wait);
      }
      list.push({ at: now, bytes });
      uploads.set(mailbox, list);
    }
    if (['POST', 'PATCH', 'PUT'].includes(method)) stats.uploadedBytes[mailbox] = (stats.uploadedBytes[mailbox] ?? 0) + bytes;
    return undefined;
  }

  function contextFor(box: GraphMailbox): RouteContext {
    return {
      csdl,
      mailbox: box,
      origin,
      skipValidation: simulate.skipValidation === true,
      violate: (kind, detail) => violations.push({ kind, detail, mailbox: box.address }),
      schemaError: (path, problems) => schemaErrors.push({ path, problems }),
      openUploadSession: (message, item) => {
        const id = randomUUID();
        sessions.set(id, { message, ...item, received: [], next: 0, mailbox: box.address });
        // The uploadUrl is pre-authenticated (authtoken in the query): GRAPH:outlook-large-attachments.
        return `${origin}/upload/${id}?authtoken=${randomUUID()}`;
      },
    };
  }

  /** One Graph request (top level or inside $batch). `url` is relative to /v1.0. */
  function handle(method: string, url: string, auth: { user?: string; appOnly: boolean }, body: unknown, bytes: number, inBatch: boolean): RouteAnswer {
    const parsed = new URL(url.startsWith('/') ? url : `/${url}`, 'http://peer');
    const segments = parsed.pathname.split('/').filter((part) => part !== '').map(decodeURIComponent);
    let address: string | undefined;
    let rest: string[];
    if (segments[0] === 'me') {
      // GRAPH:api/user-get: "/me ... is only valid with delegated authentication flow".
      if (auth.appOnly || !auth.user) return graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
      address = auth.user;
      rest = segments.slice(1);
    } else if (segments[0] === 'users' && segments[1]) {
      address = segments[1].includes('@') ? segments[1] : byId(segments[1])?.address;
      if (!address) return graphError(404, 'ErrorInvalidUser', `The requested user '${segments[1]}' is invalid.`);
      rest = segments.slice(2);
    } else {
      violations.push({ kind: 'unimplemented-resource', detail: `${method} ${parsed.pathname}` });
      return graphError(400, 'BadRequest', `Resource not found for the segment '${segments[0] ?? ''}'.`);
    }
    const denied = access.check(auth, address);
    if (denied) return denied;
    const box = mailboxFor(address);
    const limited = budgets(box.address, method, bytes);
    const answer = limited ?? route(contextFor(box), { method, segments: rest, query: parsed.searchParams, body, bodyBytes: bytes });
    if (simulate.discardContent && answer.status < 300) {
      const last = box.items[box.items.length - 1];
      if (last?.kind === 'message') {
        for (const attachment of last.attachments) attachment.bytes = Buffer.alloc(0);
        delete last.posted.attachments;
      }
    }
    log.push({ method, path: parsed.pathname + parsed.search, status: answer.status, mailbox: box.address, bytes, at: Date.now(), inBatch });
    return answer;
  }

  /** GRAPH:json-batching: ≤ 20 requests; each answered (and throttled) on its own; dependsOn orders them. */
  function batch(body: unknown, auth: { user?: string; appOnly: boolean }): RouteAnswer {
    const requests = (body as { requests?: unknown } | undefined)?.requests;
    if (!Array.isArray(requests)) return graphError(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > 20) return graphError(400, 'BadRequest', 'Too many requests: the limit is 20 per batch.');
    stats.batchRequests += 1;
    const ids = new Set<string>();
    const answers: unknown[] = [];
    const done = new Map<string, number>();
    for (const raw of requests as { id?: unknown; method?: unknown; url?: unknown; body?: unknown; headers?: Record<string, string>; dependsOn?: string[] }[]) {
      const id = String(raw.id ?? '');
      if (id === '' || ids.has(id)) return graphError(400, 'BadRequest', 'Each request in a batch needs a unique id.');
      ids.add(id);
      if (typeof raw.method !== 'string' || typeof raw.url !== 'string' || raw.url.startsWith('http')) return graphError(400, 'BadRequest', 'Batch requests need method and a relative url.');
      if (raw.body !== undefined && !Object.keys(raw.headers ?? {}).some((name) => name.toLowerCase() === 'content-type')) {
        return graphError(400, 'BadRequest', 'A batch request with a body needs a Content-Type header.');
      }
      const failedDependency = (raw.dependsOn ?? []).some((dep) => (done.get(dep) ?? 0) >= 400 || !done.has(dep));
      if (failedDependency) {
        answers.push({ id, status: 424, body: { error: { code: 'FailedDependency', message: 'A request it depends on failed.' } } });
        done.set(id, 424);
        continue;
      }
      const text = raw.body === undefined ? '' : JSON.stringify(raw.body);
      const answer = handle(raw.method.toUpperCase(), raw.url, auth, raw.body, Buffer.byteLength(text), true);
      done.set(id, answer.status);
      answers.push({ id, status: answer.status, headers: { 'Content-Type': 'application/json', ...(answer.headers ?? {}) }, ...(answer.body === undefined ? {} : { body: answer.body }) });
    }
    return { status: 200, body: { responses: answers } };
  }

  function uploadPut(id: string, headers: http.IncomingHttpHeaders, chunk: Buffer): RouteAnswer {
    const session = sessions.get(id);
    if (!session) return graphError(404, 'ErrorItemNotFound', 'The upload session was not found or has expired.');
    // GRAPH:outlook-large-attachments: "Do not specify an Authorization request header" on the PUTs.
    if (headers.authorization) violations.push({ kind: 'authorization-sent-to-upload-url', detail: 'the uploadUrl is pre-authenticated; a bearer token must not be sent to it', mailbox: session.mailbox });
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(headers['content-range'] ?? ''));
    if (!range) return graphError(400, 'InvalidContentRange', 'Content-Range is missing or malformed.');
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (chunk.length > maxChunk) return graphError(413, 'RequestEntityTooLarge', 'A byte range must be at most 4 MB.');
    if (total !== session.size || start !== session.next || end - start + 1 !== chunk.length || end >= total) {
      return graphError(416, 'InvalidRange', `Expected range starting at ${session.next} of ${session.size}.`);
    }
    const limited = budgets(session.mailbox, 'PUT', chunk.length);
    if (limited) return limited;
    session.received.push(simulate.discardContent ? Buffer.alloc(0) : Buffer.from(chunk));
    session.next = end + 1;
    if (session.next < session.size) return { status: 200, body: { expirationDateTime: new Date(Date.now() + 15 * 60_000).toISOString(), nextExpectedRanges: [`${session.next}-`] } };
    const bytes = Buffer.concat(session.received);
    const attachmentId = `att-${randomUUID()}`;
    session.message.attachments.push({
      id: attachmentId,
      name: session.name,
      ...(session.contentType ? { contentType: session.contentType } : {}),
      size: bytes.length,
      isInline: session.isInline,
      ...(session.contentId ? { contentId: session.contentId } : {}),
      bytes,
      viaUploadSession: true,
    });
    sessions.delete(id);
    return { status: 201, headers: { Location: `${origin}/v1.0/users/${session.mailbox}/messages/${session.message.id}/attachments/${attachmentId}` } };
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= (simulate.maxRequestBytes ?? fourMb) + maxChunk) chunks.push(chunk);
    });
    request.on('end', () => {
      void answer(request, response, Buffer.concat(chunks), size).catch((error: unknown) => {
        violations.push({ kind: 'peer-crash', detail: error instanceof Error ? error.stack ?? error.message : String(error) });
        if (!response.headersSent) response.writeHead(500).end();
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function answer(request: http.IncomingMessage, response: http.ServerResponse, raw: Buffer, size: number): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    // Counted from arrival to answer (delays included): that is what "in flight" means to Graph.
    const mailboxKey = decodeURIComponent(/^\/v1\.0\/users\/([^/]+)/.exec(url.pathname)?.[1] ?? (url.pathname.startsWith('/upload/') ? sessions.get(url.pathname.slice('/upload/'.length))?.mailbox ?? 'upload' : 'me')).toLowerCase();
    const concurrency = (inFlight.get(mailboxKey) ?? 0) + 1;
    inFlight.set(mailboxKey, concurrency);
    stats.maxConcurrentSeen[mailboxKey] = Math.max(stats.maxConcurrentSeen[mailboxKey] ?? 0, concurrency);
    try {
      await answerCounted(request, response, raw, size, url, concurrency);
    } finally {
      inFlight.set(mailboxKey, (inFlight.get(mailboxKey) ?? 1) - 1);
    }
  }

  /** /beta/users/{id}/mailFolders/{id}/userConfigurations[/{key}]; undefined for any other beta path. */
  function answerBeta(method: string, url: URL, headers: http.IncomingHttpHeaders, raw: Buffer): RouteAnswer | undefined {
    const segments = url.pathname.split('/').slice(3).map((segment) => decodeURIComponent(segment));
    const user = decodeURIComponent(url.pathname.split('/')[3] ?? '');
    const rest = segments.slice(1);
    if (rest[0] !== 'mailFolders' || rest[2] !== 'userConfigurations') return undefined;
    const auth = authenticate(headers.authorization);
    if ('status' in auth) return auth;
    const address = user.includes('@') ? user : byId(user)?.address;
    if (!address) return graphError(404, 'ErrorInvalidUser', `The requested user '${user}' is invalid.`);
    const denied = access.check(auth, address);
    if (denied) return denied;
    let body: unknown;
    if (raw.length > 0) {
      if (!String(headers['content-type'] ?? '').startsWith('application/json')) return graphError(415, 'UnsupportedMediaType', 'Content-Type must be application/json.');
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        schemaErrors.push({ path: `${method} ${url.pathname}`, problems: ['body is not JSON'] });
        return graphError(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
    }
    const answer = userConfigurations.answer(address.toLowerCase(), method, rest, body, schemaErrors);
    if (answer) log.push({ method, path: url.pathname, status: answer.status, mailbox: address.toLowerCase(), bytes: raw.length, at: Date.now(), inBatch: false });
    return answer;
  }

  async function answerCounted(request: http.IncomingMessage, response: http.ServerResponse, raw: Buffer, size: number, url: URL, concurrency: number): Promise<void> {
    const method = request.method ?? 'GET';
    stats.requests += 1;
    const send = (result: RouteAnswer) => {
      stats.byStatus[result.status] = (stats.byStatus[result.status] ?? 0) + 1;
      const text = result.body === undefined ? '' : JSON.stringify(result.body);
      response.writeHead(result.status, { ...(text ? { 'Content-Type': 'application/json' } : {}), 'request-id': randomUUID(), ...(result.headers ?? {}) });
      response.end(text);
    };
    if (simulate.maxConcurrent !== undefined && concurrency > simulate.maxConcurrent) {
      return send(throttleAnswer('ApplicationThrottled', 'Application is over its MailboxConcurrency limit.', 1000));
    }
    const delay = typeof simulate.delayMs === 'function' ? simulate.delayMs(method, url.pathname) : simulate.delayMs ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const imported = importApi.answer(method, url, request.headers, raw);
    if (imported) return send(imported);
    if (url.pathname.startsWith('/upload/')) {
      if (method !== 'PUT') return send(graphError(405, 'MethodNotAllowed', 'PUT byte ranges to an upload URL'));
      return send(uploadPut(url.pathname.slice('/upload/'.length), request.headers, raw));
    }
    if (options.userConfigurationsBeta && url.pathname.startsWith('/beta/users/')) {
      const beta = answerBeta(method, url, request.headers, raw);
      if (beta) return send(beta);
    }
    if (!url.pathname.startsWith('/v1.0/')) {
      violations.push({ kind: 'not-v1', detail: `${method} ${url.pathname}: Cloudward must call v1.0 (beta is not supported for production)` });
      return send(graphError(404, 'NotFound', 'Only /v1.0 is served by this peer.'));
    }
    // GRAPH:api/user-post-messages & ews-graph.md §5a: "The maximum request length supported is 4MB" → 413.
    if (size > (simulate.maxRequestBytes ?? fourMb)) return send(graphError(413, 'RequestEntityTooLarge', 'The maximum request length supported is 4MB.'));
    const auth = authenticate(request.headers.authorization);
    if ('status' in auth) return send(auth);
    let body: unknown;
    if (raw.length > 0) {
      const type = String(request.headers['content-type'] ?? '');
      if (!type.startsWith('application/json')) {
        if (method === 'POST' && type.startsWith('text/plain')) {
          // GRAPH:outlook-send-mime-message: MIME creates a draft; Cloudward must never take this path.
          violations.push({ kind: 'mime-create-makes-draft', detail: `${method} ${url.pathname} with text/plain (MIME) body` });
        }
        return send(graphError(415, 'UnsupportedMediaType', `Content-Type ${type || '(none)'} is not accepted here.`));
      }
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        schemaErrors.push({ path: `${method} ${url.pathname}`, problems: ['body is not JSON'] });
        return send(graphError(400, 'BadRequest', 'Unable to read JSON request payload.'));
      }
    }
    const drop = simulate.dropConnections;
    if (drop && method === 'POST') {
      postCount += 1;
      if (postCount % drop.everyNth === 0) {
        if (drop.phase === 'after-commit') {
          const pathAndQuery = url.pathname.slice('/v1.0'.length) + url.search;
          if (pathAndQuery === '/$batch') batch(body, auth);
          else handle(method, pathAndQuery, auth, body, raw.length, false);
        }
        request.socket.destroy();
        return;
      }
    }
    const relative = url.pathname.slice('/v1.0'.length) + url.search;
    if (url.pathname === '/v1.0/$batch' && method === 'POST') return send(batch(body, auth));
    return send(handle(method, relative, auth, body, raw.length, false));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: origin,
    csdl,
    schemaErrors,
    violations,
    stats,
    log,
    userConfigurations,
    importApi,
    mailbox: mailboxFor,
    mailboxes: () => [...boxes.values()],
    grantFullAccess: (mailbox, user) => access.grantFullAccess(mailbox, user),
    configure(next) {
      simulate = { ...simulate, ...next };
    },
    expireTokens() {
      for (const token of tokenSeen.keys()) expired.add(token);
    },
    assertNoSchemaErrors() {
      if (schemaErrors.length > 0) throw new Error(`Graph peer: ${schemaErrors.length} request(s) failed the schema check:\n${schemaErrors.slice(0, 5).map((e) => `${e.path}: ${e.problems.join('; ')}`).join('\n')}`);
    },
    assertNoViolations() {
      if (violations.length > 0) throw new Error(`Graph peer: ${violations.length} violation(s):\n${violations.slice(0, 5).map((v) => `${v.kind}: ${v.detail}`).join('\n')}`);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
