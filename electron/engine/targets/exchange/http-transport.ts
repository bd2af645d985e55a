import http from 'node:http';
import https from 'node:https';

import { CloudwardError } from '../../../contract/index.js';
import { networkError } from './network-errors.js';

/**
 * A chunk rendered only when it is written: a 30 MB message's base64 exists one piece at a time while
 * it goes out, never whole (issue 15). `bytes` is the rendered length, known up front for Content-Length.
 */
export interface DeferredChunk {
  readonly bytes: number;
  /** A string goes to the socket as UTF-8 without a Buffer of ours: Buffers per piece piled up until a GC (issue 15). */
  render(): string | Buffer;
}

export type BodyChunk = string | Buffer | DeferredChunk;

/** A request body as chunks with its length known up front: never one giant string. */
export interface RequestBody {
  readonly chunks: readonly BodyChunk[];
  readonly bytes: number;
}

export function renderChunk(part: BodyChunk): string | Buffer {
  return typeof part === 'string' || Buffer.isBuffer(part) ? part : part.render();
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly url: string | URL;
  readonly headers: Record<string, string>;
  readonly body?: RequestBody | undefined;
  readonly signal: AbortSignal;
  /** Whole-request deadline, ms (connect, send and read the answer). */
  readonly timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface HttpTransportOptions {
  /** Sockets per host; one more than the requests a mailbox keeps in flight. */
  maxSockets?: number;
  /** Extra CA (PEM) for on-premises servers with a private CA. */
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
  /** A hostile or broken server must not make us buffer without end. Default 256 MB. */
  maxAnswerBytes?: number;
}

/** `len` bytes of body: lets callers build a RequestBody from one string or buffer. */
export function bodyOf(value: string | Buffer): RequestBody {
  return { chunks: [value], bytes: typeof value === 'string' ? Buffer.byteLength(value) : value.length };
}

/**
 * Plain node:http(s) with keep-alive, a deadline on every request and the job's abort signal, shared
 * by EWS and Graph. It answers every HTTP status (classification is the caller's) and throws only
 * CloudwardErrors: TIMEOUT, CANCELLED, CONNECTION_LOST, TARGET_UNREACHABLE.
 */
export class HttpTransport {
  private readonly agents = new Map<string, http.Agent>();
  private readonly maxAnswerBytes: number;

  constructor(private readonly options: HttpTransportOptions = {}) {
    this.maxAnswerBytes = options.maxAnswerBytes ?? 256 * 1024 * 1024;
  }

  private agentFor(url: URL): http.Agent {
    const key = url.protocol;
    let agent = this.agents.get(key);
    if (!agent) {
      const common = { keepAlive: true, maxSockets: this.options.maxSockets ?? 8 };
      agent =
        url.protocol === 'https:'
          ? new https.Agent({ ...common, ...(this.options.ca ? { ca: this.options.ca } : {}), rejectUnauthorized: this.options.rejectUnauthorized ?? true })
          : new http.Agent(common);
      this.agents.set(key, agent);
    }
    return agent;
  }

  request(req: HttpRequest): Promise<HttpAnswer> {
    const url = typeof req.url === 'string' ? new URL(req.url) : req.url;
    const module = url.protocol === 'https:' ? https : http;
    const maxAnswerBytes = this.maxAnswerBytes;
    return new Promise<HttpAnswer>((resolve, reject) => {
      if (req.signal.aborted) {
        reject(new CloudwardError('CANCELLED', 'The job was cancelled'));
        return;
      }
      let settled = false;
      const finish = (error: CloudwardError | undefined, answer?: HttpAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        req.signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(answer as HttpAnswer);
      };
      const headers: Record<string, string> = { ...req.headers };
      if (req.body) headers['Content-Length'] = String(req.body.bytes);
      const request = module.request(url, { method: req.method, agent: this.agentFor(url), headers });
      const timer = setTimeout(() => {
        finish(new CloudwardError('TIMEOUT', `The server did not answer within ${Math.round(req.timeoutMs / 1000)} s (${url.host})`));
        request.destroy();
      }, req.timeoutMs);
      const onAbort = () => {
        finish(new CloudwardError('CANCELLED', 'The job was cancelled'));
        request.destroy();
      };
      req.signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(networkError(error, url.origin)));
      request.on('response', (response) => {
        const parts: Buffer[] = [];
        let total = 0;
        response.on('data', (part: Buffer) => {
          total += part.length;
          if (total > maxAnswerBytes) {
            finish(new CloudwardError('TARGET_FAILED', `The server's answer exceeds ${maxAnswerBytes >> 20} MB; refusing to read it`));
            request.destroy();
            return;
          }
          parts.push(part);
        });
        response.on('error', (error) => finish(networkError(error, url.origin)));
        response.on('aborted', () => finish(new CloudwardError('CONNECTION_LOST', `The connection to ${url.origin} dropped mid-answer`)));
        response.on('end', () => {
          const answerHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) answerHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(undefined, { status: response.statusCode ?? 0, headers: answerHeaders, body: Buffer.concat(parts).toString('utf8') });
        });
      });
      // Chunks go out one by one with back-pressure, never joined into one string.
      const write = async () => {
        for (const part of req.body?.chunks ?? []) {
          if (settled) return;
          if (!request.write(renderChunk(part))) {
            await new Promise<void>((done) => {
              // Each wait removes both listeners: a 30 MB body waits hundreds of times (MaxListenersExceededWarning).
              const resume = () => {
                request.off('drain', resume);
                request.off('close', resume);
                done();
              };
              request.once('drain', resume);
              request.once('close', resume);
            });
          }
        }
        request.end();
      };
      write().catch((error: unknown) => finish(networkError(error, url.origin)));
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
