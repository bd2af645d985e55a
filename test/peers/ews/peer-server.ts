import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type {
  EwsItemFailureRule, EwsPeer, EwsPeerOptions, EwsPeerStats, EwsRequestRecord, EwsSchemaError, EwsSimulation, EwsViolation,
} from './ews-peer.js';
import { MailboxStore } from './mailbox-store.js';
import { HANDLERS, notImplemented, type OpAnswer } from './operations.js';
import { connectionCountFault, innerServerBusyAnswer, schemaValidationFault, serverBusyFault, soapFault } from './responses.js';
import { SchemaValidator } from './schema-validator.js';
import { child, children, descendant, parseRequest, text } from './soap-xml.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEFAULT_SCHEMA_DIR = path.resolve(REPO_ROOT, '../shared/fixtures/ews-schema');
const EWS_PATH = '/EWS/Exchange.asmx';
const SNIPPET = 2048;
/** Deferred validation holds bodies in memory; past this, answers wait for the validator to catch up. */
const DEFERRED_BACKLOG_BYTES = 256 * 1024 * 1024;

const DEFAULT_SIMULATION: EwsSimulation = {
  budget: null, maxConcurrent: null, random: null, blockedTenant: false, maxItemBytes: null, maxRequestBytes: null,
  delayMs: 0, dropConnections: null, itemFailures: [], failAfterCommit: null, innerServerBusy: null, tooLargeAnswer: '413',
};

/** IIS request filtering's answer to a body over maxAllowedContentLength (learn.microsoft.com iis requestLimits: 404.13). */
const IIS_404_13 =
  '<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 404.13 - Not Found</title></head><body><h3>HTTP Error 404.13 - Not Found</h3>' +
  '<h4>The request filtering module is configured to deny a request that exceeds the request content length.</h4></body></html>';

function emptyStats(): EwsPeerStats {
  return {
    requests: 0, byOperation: {}, byStatus: {}, throttled: { serverBusy: 0, connectionCount: 0, http429: 0, http503: 0, budget: 0 },
    dropped: 0, blocked: 0, unauthorized: 0, itemsCreated: {}, bytesByMailbox: {}, uploads: {}, concurrentPeak: {},
    validation: { documents: 0, batches: 0, totalMs: 0, maxBatchMs: 0, maxBatchSize: 0 },
  };
}

/** mulberry32: small, seedable, good enough to decide which request gets a 429. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ews-peer-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Caller {
  /** Lower-case user (upn / preferred_username / Basic user); null for an app or an opaque token. */
  readonly user: string | null;
  readonly appOnly: boolean;
  /** A bearer token whose claims cannot be read (tests' 'test-token'). */
  readonly opaque?: boolean;
}

/** Who a bearer token speaks for, from its claims as Exchange reads them; opaque tokens name nobody. */
function tokenCaller(token: string): Caller {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const appOnly = claims.idtyp === 'app' || (claims.roles !== undefined && claims.scp === undefined);
    const user = [claims.upn, claims.preferred_username, claims.unique_name].find((v): v is string => typeof v === 'string');
    return { user: appOnly ? null : user?.toLowerCase() ?? null, appOnly };
  } catch {
    return { user: null, appOnly: false, opaque: true };
  }
}

export async function startEwsPeer(options: EwsPeerOptions = {}): Promise<EwsPeer> {
  const mode = options.validation ?? 'strict';
  const validator = mode === 'off' ? null : new SchemaValidator(options.schemaDir ?? DEFAULT_SCHEMA_DIR);
  let simulation: EwsSimulation = { ...DEFAULT_SIMULATION, ...options.simulate };
  let stats = emptyStats();
  const random = prng(options.seed ?? 1);
  const mailboxes = new Map<string, MailboxStore>();
  const schemaErrors: EwsSchemaError[] = [];
  const violations: EwsViolation[] = [];
  const requests: EwsRequestRecord[] = [];
  const inFlight = new Map<string, number>();
  const windows = new Map<string, { at: number; bytes: number }[]>();
  const ruleUses = new Map<EwsItemFailureRule, number>();
  const sockets = new Set<Socket>();
  /** Tokens that expired or were revoked mid-run: 401 from now on (access tokens last 60–90 minutes). */
  const revokedTokens = new Set<string>();
  let seq = 0;
  let itemNumber = 0;
  let dropCounter = 0;

  const mailboxFor = (smtp: string): MailboxStore => {
    const key = smtp.toLowerCase();
    let mb = mailboxes.get(key);
    if (!mb) mailboxes.set(key, (mb = new MailboxStore(key)));
    return mb;
  };

  const bump = (rec: Record<string, number>, key: string, by = 1): void => {
    rec[key] = (rec[key] ?? 0) + by;
  };

  /** Who is calling: undefined = no usable credentials (401). */
  function authenticate(req: IncomingMessage): Caller | undefined {
    const header = req.headers.authorization ?? '';
    const auth = options.auth;
    const bearer = /^Bearer\s+(\S+)$/i.exec(header);
    if (bearer) {
      const token = bearer[1]!;
      if (revokedTokens.has(token)) return undefined;
      return !auth?.bearerTokens || auth.bearerTokens.includes(token) ? tokenCaller(token) : undefined;
    }
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    if (basic) {
      const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const user = decoded.slice(0, colon);
      const password = decoded.slice(colon + 1);
      return !auth?.basic || auth.basic.some((c) => c.user === user && c.password === password) ? { user: user.toLowerCase(), appOnly: false } : undefined;
    }
    return undefined;
  }

  /**
   * The challenges a 401 carries, one WWW-Authenticate per scheme the server takes (RFC 7235 §4.1). An on-premises
   * EWS virtual directory offers Negotiate and NTLM (Windows authentication), and with Basic on
   * (Set-WebServicesVirtualDirectory -BasicAuthentication $true) also `Basic realm="host"` (RFC 7617 §2); with
   * modern auth, Bearer with its client_id and trusted_issuers. Without Basic credentials configured the peer
   * stands for a token-only server and offers Bearer alone, as it always did.
   */
  function challenges(req: IncomingMessage): string[] {
    const bearer = 'Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*"';
    const basic = options.auth?.basic;
    if (basic === undefined) return [bearer];
    const windows = ['Negotiate', 'NTLM', ...(options.auth?.bearerTokens ? [bearer] : [])];
    return basic.length === 0 ? windows : [`Basic realm="${req.headers.host ?? 'exchange'}"`, ...windows];
  }

  function hasFullAccess(user: string | null, smtp: string): boolean {
    const grants = user ? options.auth?.fullAccess?.[user] ?? options.auth?.fullAccess?.[user.toLowerCase()] : undefined;
    return grants !== undefined && grants.some((g) => g === '*' || g.toLowerCase() === smtp);
  }

  /** The mailbox a request acts as; an error for app-only tokens without impersonation and impersonation without the right. */
  function identify(caller: Caller, impersonated: string | undefined, anchor: string | undefined): { smtp: string | null; error?: { code: string; text: string } } {
    if (impersonated !== undefined) {
      // An opaque token (no readable claims) is given the benefit of the doubt, as if app-only.
      if (caller.appOnly || caller.opaque || (caller.user !== null && (options.auth?.impersonators ?? []).some((u) => u.toLowerCase() === caller.user))) return { smtp: impersonated.toLowerCase() };
      return { smtp: null, error: { code: 'ErrorImpersonateUserDenied', text: 'The account does not have permission to impersonate the requested user.' } };
    }
    if (caller.appOnly) return { smtp: null, error: { code: 'ErrorInvalidExchangeImpersonationHeaderData', text: 'ExchangeImpersonation SOAP header must be present for this type of OAuth token.' } };
    if (caller.user !== null && caller.user.includes('@')) return { smtp: caller.user };
    // A caller the peer cannot name (opaque test token, DOMAIN\user) stands for the anchored mailbox's own user.
    const fallback = anchor ?? options.auth?.defaultMailbox;
    return { smtp: fallback ? fallback.toLowerCase() : null };
  }

  const counters = new Map<string, { seen: number; fired: number }>();
  function everyNth(name: string, n: number, times: number | undefined): boolean {
    const c = counters.get(name) ?? { seen: 0, fired: 0 };
    counters.set(name, c);
    c.seen += 1;
    if (c.seen % Math.max(1, n) !== 0 || (times !== undefined && c.fired >= times)) return false;
    c.fired += 1;
    return true;
  }

  function dropNow(operation: string, phase: string): boolean {
    const d = simulation.dropConnections;
    if (!d || d.phase !== phase || (d.operations && !d.operations.includes(operation))) return false;
    dropCounter += 1;
    return dropCounter % Math.max(1, d.everyNth) === 0;
  }

  function budgetBackOff(mailbox: string, bytes: number): number | null {
    const b = simulation.budget;
    if (!b) return null;
    const now = Date.now();
    const win = (windows.get(mailbox) ?? []).filter((e) => now - e.at < b.windowMs);
    windows.set(mailbox, win);
    const used = win.reduce((n, e) => n + e.bytes, 0);
    // A request larger than the whole budget still passes on an empty window, as it would on Exchange eventually.
    if (win.length === 0 || used + bytes <= b.bytesPerWindow) {
      win.push({ at: now, bytes });
      return null;
    }
    if (b.backOffMs !== undefined) return b.backOffMs;
    let freed = 0;
    for (const e of win) {
      freed += e.bytes;
      if (used - freed + bytes <= b.bytesPerWindow) return Math.max(1, e.at + b.windowMs - now);
    }
    return b.windowMs;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://peer');
    if (req.method === 'GET' && /^\/EWS\/(Services\.wsdl|messages\.xsd|types\.xsd)$/i.test(url.pathname)) {
      const file = path.join(options.schemaDir ?? DEFAULT_SCHEMA_DIR, url.pathname.split('/').pop()!);
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(readFileSync(file));
      return;
    }
    if (url.pathname.toLowerCase() !== EWS_PATH.toLowerCase()) {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    stats.requests += 1;
    const caller = authenticate(req);
    const declared = Number(req.headers['content-length'] ?? NaN);
    const tooLarge = simulation.maxRequestBytes !== null && Number.isFinite(declared) && declared > simulation.maxRequestBytes;
    const chunks: Buffer[] = [];
    let received = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (!tooLarge) chunks.push(chunk);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const parsed = parseRequest(body);
    const operation = parsed.operation?.localName ?? '(none)';
    const header = parsed.header;
    const impersonated = header ? text(descendant(child(header, 'ExchangeImpersonation') ?? header, 'SmtpAddress') ?? descendant(child(header, 'ExchangeImpersonation') ?? header, 'PrimarySmtpAddress')) : undefined;
    const anchor = typeof req.headers['x-anchormailbox'] === 'string' ? req.headers['x-anchormailbox'] : undefined;
    // Whose mailbox a request without <t:Mailbox> means, as Exchange decides it: the impersonated user, else the
    // caller. X-AnchorMailbox only routes (EWSDOC:how-to-maintain-affinity-between-group-of-subscriptions-and-mailbox-server;
    // EWSDOC:impersonation-and-ews-in-exchange: "the caller's own mailbox unless impersonating").
    const identity = caller ? identify(caller, impersonated && child(header!, 'ExchangeImpersonation') ? impersonated : undefined, anchor) : { smtp: null };
    const smtp = identity.smtp;
    const record: EwsRequestRecord = {
      seq: ++seq, at: started, operation, mailbox: smtp?.toLowerCase() ?? null, bytes: received, status: 0, outcome: '',
      headers: { ...req.headers, authorization: req.headers.authorization ? '(redacted)' : undefined },
      body: options.keepRequestBodies ? body : body.slice(0, SNIPPET),
    };
    requests.push(record);
    bump(stats.byOperation, operation);
    const mbKey = record.mailbox ?? '(none)';
    bump(stats.bytesByMailbox, mbKey, received);

    const send = (status: number, payload: string, outcome: string, headers: Record<string, string | string[]> = {}): void => {
      record.status = status;
      record.outcome = outcome;
      bump(stats.byStatus as Record<string, number>, String(status));
      res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8', ...headers });
      res.end(payload);
    };
    const drop = (outcome: string): void => {
      record.status = 0;
      record.outcome = outcome;
      stats.dropped += 1;
      req.socket.destroy();
    };

    if (!caller) {
      stats.unauthorized += 1;
      send(401, '', 'HTTP 401', { 'www-authenticate': challenges(req) });
      return;
    }
    if (simulation.blockedTenant) {
      // EXO with EWSEnabled=false or the app not on EwsAllowedAppIDs: 403 and no SOAP body.
      stats.blocked += 1;
      record.status = 403;
      record.outcome = 'HTTP 403';
      bump(stats.byStatus as Record<string, number>, '403');
      res.writeHead(403, { 'content-length': '0' }).end();
      return;
    }
    if (tooLarge) {
      if (simulation.tooLargeAnswer === '404.13') {
        record.status = 404;
        record.outcome = 'HTTP 404.13';
        bump(stats.byStatus as Record<string, number>, '404');
        res.writeHead(404, { 'content-type': 'text/html' }).end(IIS_404_13);
        return;
      }
      send(413, '', 'HTTP 413');
      return;
    }
    if (dropNow(operation, 'after-request')) return drop('dropped after-request');

    const r = simulation.random;
    if (r && (!r.operations || r.operations.includes(operation))) {
      const roll = random();
      if (roll < (r.rate429 ?? 0)) {
        stats.throttled.http429 += 1;
        return send(429, '', 'HTTP 429', { 'retry-after': String(r.retryAfterSeconds ?? 1) });
      }
      if (roll < (r.rate429 ?? 0) + (r.rate503 ?? 0)) {
        stats.throttled.http503 += 1;
        return send(503, '', 'HTTP 503', { 'retry-after': String(r.retryAfterSeconds ?? 1) });
      }
    }

    if (validator && mode === 'strict') {
      const outcome = await validator.validate(body);
      if (!outcome.valid) {
        const error = outcome.errors.join('\n');
        schemaErrors.push({ operation, error, bodySnippet: body.slice(0, SNIPPET), requestSeq: record.seq });
        const line = Number(/^(\d+):/.exec(outcome.errors[0] ?? '')?.[1] ?? 0);
        return send(500, schemaValidationFault(outcome.errors[0] ?? error, line, 0), 'ErrorSchemaValidation');
      }
    } else if (validator) {
      const seqHere = record.seq;
      void validator.validate(body).then((outcome) => {
        if (!outcome.valid) schemaErrors.push({ operation, error: outcome.errors.join('\n'), bodySnippet: body.slice(0, SNIPPET), requestSeq: seqHere });
      });
      if (validator.pendingBytes > DEFERRED_BACKLOG_BYTES) await validator.idle();
    }
    if (!parsed.operation) return send(500, schemaValidationFault(parsed.parseErrors[0] ?? 'No operation in soap:Body', 0, 0), 'ErrorSchemaValidation');
    if (identity.error) {
      // EXO: an app-only token without ExchangeImpersonation is refused (github.com/OfficeDev/ews-managed-api/issues/245);
      // impersonation without the right is ErrorImpersonateUserDenied (EWSDOC:how-to-configure-impersonation).
      return send(500, soapFault(identity.error.code, identity.error.text), identity.error.code);
    }
    if (impersonated && !anchor) {
      violations.push({ operation, rule: 'impersonation-without-anchor', detail: 'ExchangeImpersonation without X-AnchorMailbox header (EXO routes on it)', requestSeq: record.seq });
    }

    const now = (inFlight.get(mbKey) ?? 0) + 1;
    inFlight.set(mbKey, now);
    stats.concurrentPeak[mbKey] = Math.max(stats.concurrentPeak[mbKey] ?? 0, now);
    try {
      const c = simulation.maxConcurrent;
      if (c && now > c.perMailbox) {
        if (c.answer === '429') {
          stats.throttled.http429 += 1;
          return send(429, '', 'HTTP 429', { 'retry-after': String(c.retryAfterSeconds ?? 1) });
        }
        if (c.answer === 'ErrorExceededConnectionCount') {
          stats.throttled.connectionCount += 1;
          return send(500, connectionCountFault(), 'ErrorExceededConnectionCount');
        }
        stats.throttled.serverBusy += 1;
        return send(500, serverBusyFault(c.backOffMs ?? 1000), 'ErrorServerBusy');
      }
      const backOff = budgetBackOff(mbKey, received);
      if (backOff !== null) {
        stats.throttled.serverBusy += 1;
        stats.throttled.budget += 1;
        return send(500, serverBusyFault(backOff), 'ErrorServerBusy');
      }
      if (r && (!r.operations || r.operations.includes(operation)) && random() < (r.rateServerBusy ?? 0)) {
        stats.throttled.serverBusy += 1;
        return send(500, serverBusyFault(r.backOffMs ?? 1000), 'ErrorServerBusy');
      }
      const delay = typeof simulation.delayMs === 'function' ? simulation.delayMs(operation) : simulation.delayMs;
      if (delay > 0) await sleep(delay);

      const busy = simulation.innerServerBusy;
      if (busy && (!busy.operations || busy.operations.includes(operation)) && everyNth('inner-busy', busy.everyNth, busy.times)) {
        stats.throttled.serverBusy += 1;
        const count = Math.max(1, children(child(parsed.operation, 'Items') ?? parsed.operation).length);
        return send(200, innerServerBusyAnswer(operation, count, busy.backOffMs), 'ErrorInternalServerError/ErrorServerBusy');
      }
      const handler = HANDLERS[operation];
      if (!handler) violations.push({ operation, rule: 'unimplemented-operation', detail: `the peer does not implement ${operation}`, requestSeq: record.seq });
      let answer: OpAnswer;
      try {
        answer = handler
          ? handler({
              el: parsed.operation,
              mailbox: mailboxFor(record.mailbox ?? 'default@peer.invalid'),
              mailboxFor,
              canOpen: (mb) => mb.smtp === (record.mailbox ?? 'default@peer.invalid') || hasFullAccess(caller.user, mb.smtp),
              holderOf: (id) => [...mailboxes.values()].find((mb) => mb.itemById(id) !== undefined || mb.occurrenceIds.has(id) || mb.folderById(id) !== undefined),
              simulation,
              violation: (rule, detail) => violations.push({ operation, rule, detail, requestSeq: record.seq }),
              nextItemNumber: () => ++itemNumber,
              ruleUses,
              itemStored: (mb) => bump(stats.itemsCreated, mb),
            })
          : notImplemented(operation);
      } catch (error) {
        // A schema-valid request the peer cannot digest is a peer bug: say so loudly.
        violations.push({ operation, rule: 'peer-crash', detail: String(error instanceof Error ? error.stack : error), requestSeq: record.seq });
        answer = notImplemented(operation);
      }
      (stats.uploads[mbKey] ??= []).push({ at: Date.now(), bytes: received });
      const gateway = simulation.failAfterCommit;
      if (gateway && (!gateway.operations || gateway.operations.includes(operation)) && everyNth('after-commit', gateway.everyNth, gateway.times)) {
        // The store did the work; the answer is lost on the way back.
        return gateway.status === 500
          ? send(500, '<html><body>Internal Server Error</body></html>', 'HTTP 500 (no SOAP fault) after commit', { 'content-type': 'text/html' })
          : send(gateway.status, `<html><body>${gateway.status} Gateway error</body></html>`, `HTTP ${gateway.status} after commit`, { 'content-type': 'text/html' });
      }
      if (dropNow(operation, 'after-commit')) return drop('dropped after-commit');
      if (dropNow(operation, 'mid-response')) {
        res.writeHead(answer.status, { 'content-type': 'text/xml; charset=utf-8', 'content-length': String(Buffer.byteLength(answer.body)) });
        res.write(answer.body.slice(0, Math.floor(answer.body.length / 2)));
        setImmediate(() => drop('dropped mid-response'));
        return;
      }
      send(answer.status, answer.body, answer.outcome);
    } finally {
      inFlight.set(mbKey, (inFlight.get(mbKey) ?? 1) - 1);
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((error: unknown) => {
      violations.push({ operation: '(server)', rule: 'peer-crash', detail: String(error instanceof Error ? error.stack : error), requestSeq: seq });
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  };
  const tls = options.https ? selfSignedCert() : undefined;
  const server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, listener) : http.createServer(listener);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const peer: EwsPeer = {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}${EWS_PATH}`,
    port,
    ...(tls ? { ca: tls.cert } : {}),
    get stats() {
      if (validator) stats.validation = { ...validator.stats };
      return stats;
    },
    schemaErrors,
    violations,
    requests,
    configure(next) {
      simulation = { ...simulation, ...next };
      // A newly configured failure counts (everyNth, times) from zero.
      if ('failAfterCommit' in next) counters.delete('after-commit');
      if ('innerServerBusy' in next) counters.delete('inner-busy');
    },
    revokeToken(token) {
      revokedTokens.add(token);
    },
    mailbox: (smtp) => mailboxFor(smtp),
    mailboxes: () => [...mailboxes.keys()],
    validate: async (xml) => {
      if (!validator) throw new Error('EWS peer: validation is off');
      return validator.validate(xml);
    },
    flushValidation: async () => {
      if (validator) await validator.idle();
    },
    async assertNoSchemaErrors() {
      await peer.flushValidation();
      if (schemaErrors.length > 0) {
        throw new Error(`EWS peer: ${schemaErrors.length} request(s) failed schema validation:\n` +
          schemaErrors.map((e) => `#${e.requestSeq} ${e.operation}: ${e.error}`).join('\n'));
      }
    },
    assertNoViolations() {
      if (violations.length > 0) {
        throw new Error(`EWS peer: ${violations.length} violation(s):\n` + violations.map((v) => `#${v.requestSeq} ${v.operation} ${v.rule}: ${v.detail}`).join('\n'));
      }
    },
    resetStats() {
      stats = emptyStats();
    },
    async close() {
      if (validator) await validator.idle();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return peer;
}
