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
 * Links the UI may hand to the person's own browser: Microsoft's device sign-in pages (the device-code
 * prompt shows one). Only https, only these hosts, no credentials in the URL.
 */
const externalHosts = ['microsoft.com', 'www.microsoft.com', 'login.microsoftonline.com', 'login.microsoft.com', 'aka.ms'];

export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && externalHosts.includes(parsed.hostname);
}

/**
 * Per-window locks: the UI never opens windows of its own, never navigates and never embeds
 * <webview>. An allow-listed sign-in link goes to the system browser instead of a new window.
 */
export function lockDownContents(contents: WebContents, openExternal: (url: string) => void = () => undefined): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  // A single-page UI never navigates; a reload is not a navigation, so nothing legitimate is lost.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
