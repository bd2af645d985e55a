import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { envelopeVersion, type EventEnvelope } from '../contract/index.js';
import { createServiceHost, type ServiceHost, type ServiceHostOptions } from './service-host.js';
import { serveStatic } from './static-files.js';

/**
 * Browser mode: the built renderer plus the service on 127.0.0.1, for machines with no Electron binary.
 *
 *   POST /api/request   body: a request envelope; answer: its reply envelope. Header x-cloudward-token.
 *   GET  /api/events    Server-Sent Events, one event envelope per `data:` line. Query ?token=...
 *
 * Any other local program, and any web page the user has open, can reach 127.0.0.1; so every API call
 * needs the random per-run token (printed once, in the URL's fragment, which browsers never send to a
 * server), and a request whose Host or Origin is not this host's own origin is refused: that stops a
 * DNS-rebinding page (evil.example resolving to 127.0.0.1) even if it guessed the port.
 */
export interface UiHostOptions extends ServiceHostOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The built renderer; default build/out/renderer of this checkout. */
  rendererDir?: string;
}

export interface UiHost {
  /** The URL to open, token included (in the fragment). */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly port: number;
  readonly service: ServiceHost;
  close(): Promise<void>;
}

const maxBodyBytes = 1_048_576;
const keepAliveMs = 15_000;

/** build/out/renderer of this checkout, found from here whether running from source or from build/out. */
function repoFile(...parts: string[]): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(directory, ...parts);
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  return undefined;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(message);
}

function readBody(request: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        resolve(undefined);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startUiHost(options: UiHostOptions): Promise<UiHost> {
  const rendererDir = options.rendererDir ?? repoFile('build', 'out', 'renderer') ?? join(process.cwd(), 'build', 'out', 'renderer');
  const token = randomBytes(32).toString('base64url');
  const service = createServiceHost(options);
  const streams = new Set<ServerResponse>();
  let origins: Set<string> = new Set();
  let hosts: Set<string> = new Set();

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      if (!response.headersSent) refuse(response, 500, 'Internal error');
      else response.end();
    });
  });

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (!hosts.has(request.headers.host ?? '')) return refuse(response, 421, 'Wrong host');
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return refuse(response, 403, 'Wrong origin');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/request') {
      if (request.method !== 'POST') return refuse(response, 405, 'POST only');
      if (!sameToken(request.headers['x-cloudward-token'] as string | undefined, token)) return refuse(response, 403, 'Missing or wrong token');
      if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return refuse(response, 415, 'application/json only');
      const body = await readBody(request);
      if (body === undefined) return refuse(response, 413, 'Request too large');
      let envelope: unknown;
      try {
        envelope = JSON.parse(body);
      } catch {
        envelope = undefined;
      }
      const reply = await service.dispatch(envelope);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(reply));
      return;
    }
    if (url.pathname === '/api/events') {
      if (request.method !== 'GET') return refuse(response, 405, 'GET only');
      if (!sameToken(url.searchParams.get('token') ?? undefined, token)) return refuse(response, 403, 'Missing or wrong token');
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
      response.write(': connected\n\n');
      streams.add(response);
      const unsubscribe = service.subscribe((event) => {
        const envelope: EventEnvelope = { v: envelopeVersion, kind: 'event', event };
        response.write(`data: ${JSON.stringify(envelope)}\n\n`);
      });
      const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), keepAliveMs);
      keepAlive.unref();
      request.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(response);
      });
      return;
    }
    if (url.pathname.startsWith('/api/')) return refuse(response, 404, 'No such API');
    await serveStatic(rendererDir, request, response);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    port,
    service,
    close: async () => {
      for (const stream of streams) stream.end();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await service.close();
    },
  };
}
