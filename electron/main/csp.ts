/**
 * The one content security policy of the UI. The renderer's index.html carries the same text in a
 * meta tag (a test keeps them equal), so a page loaded without our headers is still locked down.
 * frame-ancestors only works as a header, so it is added there and not in the meta tag.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const contentSecurityPolicyHeader = `${contentSecurityPolicy}; frame-ancestors 'none'`;
