/**
 * The UI is served from a privileged custom scheme rather than file://, so 'self' in the CSP means
 * exactly our bundle and a sender check has one origin to compare against.
 */
export const appScheme = 'app';
export const appHost = 'cloudward';
export const appIndexUrl = `${appScheme}://${appHost}/index.html`;

/** True when `url` belongs to our own bundle (app://cloudward/...). */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // WHATWG URL reports origin "null" for non-special schemes, so compare the parts instead.
  return parsed.protocol === `${appScheme}:` && parsed.host === appHost && parsed.username === '' && parsed.password === '';
}
