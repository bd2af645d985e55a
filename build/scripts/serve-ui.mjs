// @ts-check
/**
 * The built renderer alone on loopback (no job service), for tests and a quick look at the bundle. The
 * serving itself (path checks, CSP, types) is the CLI's, electron/cli/static-files.ts, compiled by
 * `npm run build`; this file only wraps it in a server. `npm start` runs `cloudward ui` instead.
 *
 *   node build/scripts/serve-ui.mjs [rendererDir]      port: CLOUDWARD_UI_PORT or 5178
 */
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { serveStatic, uiContentSecurityPolicy } from '../out/electron/cli/static-files.js';

/** The header the server sends (test/unit/main/csp.test.ts ties it to electron/main/csp.ts). */
export const uiContentSecurityPolicyHeader = uiContentSecurityPolicy;

export const defaultRendererDir = fileURLToPath(new URL('../out/renderer', import.meta.url));

/**
 * @param {{ root?: string, host?: string, port?: number }} [options]
 * @returns {Promise<{ url: string, port: number, close: () => Promise<void> }>}
 */
export async function startUiServer(options = {}) {
  const root = options.root ?? defaultRendererDir;
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => void serveStatic(root, request, response));
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
    ({ url }) => console.log(`Cloudward UI (the bundle only, no job service) at ${url}`),
    (error) => {
      console.error(`Cannot serve the UI on 127.0.0.1:${port}: ${error.message}`);
      process.exit(1);
    },
  );
}
