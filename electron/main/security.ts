import type { Session, WebContents } from 'electron';

import { contentSecurityPolicyHeader } from './csp.js';

/**
 * Session-wide locks: our CSP on every response (whatever the page's own headers say) and no
 * permission (camera, notifications, geolocation, ...) ever granted: the UI needs none.
 */
export function lockDownSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    headers['Content-Security-Policy'] = [contentSecurityPolicyHeader];
    callback({ responseHeaders: headers });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/**
 * Per-window locks: the UI never opens windows, never navigates and never embeds <webview>.
 * Links to the outside are not followed; a later issue may hand them to the OS.
 */
export function lockDownContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  // A single-page UI never navigates; a reload is not a navigation, so nothing legitimate is lost.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
