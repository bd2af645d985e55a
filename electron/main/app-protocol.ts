import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';

import { appHost, appScheme } from './app-origin.js';
import { contentSecurityPolicyHeader } from './csp.js';
import { contentTypeOf, resolveStaticPath } from './static-files.js';

/** Must run before app 'ready': a standard, secure scheme gets a real origin for CSP 'self'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer under app://cloudward/, with the CSP on every response. */
export function serveRenderer(rendererRoot: string): void {
  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    const file = url.host === appHost ? resolveStaticPath(rendererRoot, url.pathname) : undefined;
    if (file === undefined) return new Response('Forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': contentTypeOf(file),
          'content-security-policy': contentSecurityPolicyHeader,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
