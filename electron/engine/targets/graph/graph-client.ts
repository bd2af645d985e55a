import { randomUUID } from 'node:crypto';

import { CloudwardError } from '../../../contract/index.js';
import type { AccessTokenSource } from '../exchange/auth/token-source.js';
import { cancellableSleep } from '../exchange/cancellable-sleep.js';
import { bodyOf, type HttpAnswer, type HttpTransport, type RequestBody } from '../exchange/http-transport.js';
import { RequestWindow } from '../exchange/request-window.js';
import { errorForStatus, toError } from './graph-errors.js';

export interface GraphClientOptions {
  /** https://graph.microsoft.com, a national cloud, or a test peer; requests go to `{endpoint}/v1.0/...`. */
  endpoint: string;
  tokens: AccessTokenSource;
  transport: HttpTransport;
  requestTimeoutMs: number;
  /** Requests in flight per mailbox; Outlook allows 4 per app and mailbox (GRAPH:throttling-limits). */
  maxConcurrent: number;
  /** Requests per window per mailbox: 10,000 per 10 minutes (GRAPH:throttling-limits#outlook-service-limits). */
  requestsPerWindow: number;
  requestWindowMs: number;
  /** Upload bytes per window per mailbox: 150 MB per 5 minutes (GRAPH:throttling-limits#outlook-service-limits). */
  upload?: { bytesPerWindow: number; windowMs: number };
}

/** v1.0 for everything; beta only for what has no v1.0 API yet and the user switched on (user configurations). */
export type GraphVersion = 'v1.0' | 'beta';

export interface BatchRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to /v1.0, starting with '/'. */
  readonly url: string;
  readonly body?: unknown;
}

export interface BatchAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/**
 * A body already serialised, as chunks: a message's attachments are base64-encoded piece by piece as
 * the transport writes them (DeferredChunk), so no whole base64 copy of them ever exists.
 */
export class JsonText {
  constructor(readonly body: RequestBody) {}
}

const uploads = new Set(['POST', 'PATCH', 'PUT']);

export const userAgent = 'Cloudward/1.0 (migration; +https://cloudward.example/graph)';

/** A FIFO of slots: at most `size` holders at once. */
class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: number) {}
  async take(): Promise<() => void> {
    if (this.used >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.used += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.used -= 1;
    };
  }
}

/**
 * One mailbox's Graph connection: bearer token (renewed once after a 401), deadline per request, at
 * most `maxConcurrent` requests in flight and `requestsPerWindow` per window (a $batch counts each of
 * its requests, as Graph does). Errors are CloudwardErrors carrying Retry-After as retryAfterMs; the
 * callers (pipeline, or the target's own withRetry) decide when to try again.
 */
export class GraphClient {
  private readonly slots: Slots;
  private readonly sent: number[] = [];
  private readonly upload: RequestWindow | undefined;

  constructor(private readonly options: GraphClientOptions) {
    this.slots = new Slots(options.maxConcurrent);
    this.upload = options.upload ? new RequestWindow(options.upload) : undefined;
  }

  /**
   * Budget first, then a request slot: a request waiting for budget holds no slot a read-back or lookup
   * could use, and its body is ready, so it goes out the moment the window has room.
   */
  private async admitted(method: string, body: RequestBody | undefined, signal: AbortSignal, count: number, action: () => Promise<HttpAnswer>): Promise<HttpAnswer> {
    const done = this.upload && body && body.bytes > 0 && uploads.has(method) ? await this.upload.reserve(body.bytes, signal) : undefined;
    let answer: HttpAnswer | undefined;
    try {
      const release = await this.slots.take();
      try {
        await this.requestWindow(count, signal);
        answer = await action();
        return answer;
      } finally {
        release();
      }
    } finally {
      // A 429 is a refusal the server did not take in; anything else (even a lost answer) may have been counted.
      done?.(answer?.status !== 429);
    }
  }

  get endpoint(): string {
    return this.options.endpoint;
  }

  private async requestWindow(count: number, signal: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      // A little longer than the server's window: we count a request when we send it, Graph when it has read it.
      const windowMs = Math.round(this.options.requestWindowMs * 1.01 + 250);
      while (this.sent.length > 0 && (this.sent[0] ?? 0) <= now - windowMs) this.sent.shift();
      if (this.sent.length + count <= this.options.requestsPerWindow || this.sent.length === 0) break;
      const wait = (this.sent[Math.min(this.sent.length - 1, count - 1)] ?? now) + windowMs - now;
      await cancellableSleep(Math.max(10, wait), signal);
    }
    const now = Date.now();
    for (let i = 0; i < count; i += 1) this.sent.push(now);
  }

  private async send(method: string, path: string, body: unknown, signal: AbortSignal, count: number, version: GraphVersion = 'v1.0'): Promise<HttpAnswer> {
    const payload = body === undefined ? undefined : body instanceof JsonText ? body.body : bodyOf(JSON.stringify(body));
    return this.admitted(method, payload, signal, count, async () => {
      for (let attempt = 1; ; attempt += 1) {
        const token = await this.options.tokens.getToken(signal);
        const answer = await this.options.transport.request({
          method: method as 'GET',
          url: `${this.options.endpoint}/${version}${path}`,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            'User-Agent': userAgent,
            'client-request-id': randomUUID(),
            ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: payload,
          signal,
          timeoutMs: this.options.requestTimeoutMs,
        });
        // One renewal per request: a fresh token refused again is a permission problem, not expiry.
        if (answer.status === 401 && attempt === 1) {
          await this.options.tokens.renew(token, signal);
          continue;
        }
        return answer;
      }
    });
  }

  /** One request; JSON in, JSON out; throws on any HTTP error. */
  async request<T = Record<string, unknown>>(method: BatchRequest['method'], path: string, body: unknown, signal: AbortSignal, what = 'the request', version: GraphVersion = 'v1.0'): Promise<T> {
    const answer = await this.send(method, path, body, signal, 1, version);
    if (answer.status >= 400) {
      const error = errorForStatus(answer.status, answer.headers, answer.body, what);
      if (answer.status === 401) throw new CloudwardError('TOKEN_EXPIRED', `${error.message}; the token was renewed once and refused again`, { retryable: false });
      throw toError(error);
    }
    if (answer.body === '') return {} as T;
    try {
      return JSON.parse(answer.body) as T;
    } catch {
      throw new CloudwardError('TARGET_FAILED', `Graph answered ${what} with something that is not JSON`);
    }
  }

  /**
   * Up to 20 requests in one $batch (GRAPH:json-batching). Each answer comes back on its own, in the
   * order asked; a 429 inside carries its own Retry-After. The whole call throws only when the
   * $batch itself failed.
   */
  async batch(requests: readonly BatchRequest[], signal: AbortSignal): Promise<BatchAnswer[]> {
    if (requests.length === 0) return [];
    if (requests.length > 20) throw new CloudwardError('INTERNAL', 'A Graph $batch holds at most 20 requests');
    const payload = {
      requests: requests.map((request, index) => ({
        id: String(index + 1),
        method: request.method,
        url: request.url,
        ...(request.body === undefined ? {} : { body: request.body, headers: { 'Content-Type': 'application/json' } }),
      })),
    };
    const answer = await this.send('POST', '/$batch', payload, signal, requests.length);
    if (answer.status >= 400) throw toError(errorForStatus(answer.status, answer.headers, answer.body, 'a batch'));
    let parsed: { responses?: { id?: string; status?: number; headers?: Record<string, string>; body?: unknown }[] };
    try {
      parsed = JSON.parse(answer.body) as typeof parsed;
    } catch {
      throw new CloudwardError('TARGET_FAILED', 'Graph answered a batch with something that is not JSON');
    }
    const byId = new Map((parsed.responses ?? []).map((response) => [String(response.id), response]));
    return requests.map((_, index) => {
      const response = byId.get(String(index + 1));
      const headers = Object.fromEntries(Object.entries(response?.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
      return { status: response?.status ?? 500, headers, body: response?.body };
    });
  }

  /** PUT one byte range to a pre-authenticated upload URL: no Authorization header (GRAPH:outlook-large-attachments). */
  async putRange(uploadUrl: string, chunk: Buffer, start: number, total: number, signal: AbortSignal): Promise<HttpAnswer> {
    const payload = bodyOf(chunk);
    const answer = await this.admitted('PUT', payload, signal, 1, () =>
      this.options.transport.request({
        method: 'PUT',
        url: uploadUrl,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `bytes ${start}-${start + chunk.length - 1}/${total}`, 'User-Agent': userAgent },
        body: payload,
        signal,
        timeoutMs: this.options.requestTimeoutMs,
      }),
    );
    if (answer.status >= 400) throw toError(errorForStatus(answer.status, answer.headers, answer.body, 'an attachment upload'));
    return answer;
  }
}
