// @ts-check
/**
 * Browser mode: serves the built renderer (build/out/renderer) on loopback with the same CSP the
 * desktop app sets. Plain JavaScript so `npm start` can run it before anything else is compiled.
 * The policy text must equal electron/main/csp.ts (test/unit/main/csp.test.ts checks it).
 *
 *   node build/scripts/serve-ui.mjs [rendererDir]      port: CLOUDWARD_UI_PORT or 5178
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const uiContentSecurityPolicyHeader =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const defaultRendererDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/** @type {Record<string, string>} */
const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * @param {string} root
 * @param {string} urlPath
 * @returns {string | undefined} a file inside root, or undefined when the path would leave it
 */
function resolveInside(root, urlPath) {
  let decoded;
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

/**
 * @param {{ root?: string, host?: string, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startUiServer(options = {}) {
  const root = options.root ?? defaultRendererDir;
  const host = options.host ?? '127.0.0.1';
  const server = createServer(async (request, response) => {
    /** @type {Record<string, string>} */
    const headers = {
      'content-security-policy': uiContentSecurityPolicyHeader,
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
  });
  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => done(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://${host}:${port}/`,
    port,
    close: () => new Promise((done) => server.close(() => done(undefined))),
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.CLOUDWARD_UI_PORT ?? 5178);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`CLOUDWARD_UI_PORT must be a port number, not "${process.env.CLOUDWARD_UI_PORT}"`);
    process.exit(2);
  }
  const root = process.argv[2] ?? defaultRendererDir;
  startUiServer({ root, port }).then(
    ({ url }) => console.log(`Cloudward UI (browser mode, no Electron binary found) at ${url}`),
    (error) => {
      console.error(`Cannot serve the UI on 127.0.0.1:${port}: ${error.message}`);
      process.exit(1);
    },
  );
}
