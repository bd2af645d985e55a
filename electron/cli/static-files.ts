import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

/**
 * The desktop app's CSP, for the renderer served in browser mode. Must equal electron/main/csp.ts
 * (test/unit/main/csp.test.ts, through build/scripts/serve-ui.mjs which re-exports it, and
 * test/integration/service/browser-host.test.ts check it). connect-src 'self' admits the host's own
 * /api/request and /api/events, nothing else.
 */
export const uiContentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** A file inside root, or undefined when the path would leave it (../, encoded dots, backslashes, NUL). */
function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const relative = decoded === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
  const base = resolve(root);
  const full = resolve(base, relative);
  return full.startsWith(base + sep) ? full : undefined;
}

/** Serves the built renderer: the one implementation, for `cloudward ui` and build/scripts/serve-ui.mjs alike. */
export async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const headers: Record<string, string> = {
    'content-security-policy': uiContentSecurityPolicy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
  };
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
    return;
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const file = resolveInside(root, path);
  if (file === undefined) {
    response.writeHead(403, headers).end('Forbidden');
    return;
  }
  try {
    const body = await readFile(file);
    headers['content-type'] = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
  } catch {
    response.writeHead(404, headers).end('Not found');
  }
}
