import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { contentSecurityPolicy, contentSecurityPolicyHeader } from '../../../electron/main/csp.js';
import { repoRoot } from '../../support/fixtures.js';
// @ts-expect-error: plain JavaScript script without a declaration file
import { uiContentSecurityPolicyHeader } from '../../../build/scripts/serve-ui.mjs';

const directives = (policy: string) => new Map(policy.split(';').map((part) => {
  const [name = '', ...values] = part.trim().split(/\s+/);
  return [name, values] as const;
}));

describe('the content security policy', () => {
  it('allows scripts and connections only from our own origin, with no inline or eval', () => {
    const policy = directives(contentSecurityPolicyHeader);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(contentSecurityPolicyHeader).not.toMatch(/unsafe-|\*|http:|https:/);
  });

  it('is the same text in renderer/index.html, the desktop app and the browser-mode server', () => {
    const html = readFileSync(join(repoRoot, 'renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(meta?.[1]).toBe(contentSecurityPolicy);
    expect(uiContentSecurityPolicyHeader).toBe(contentSecurityPolicyHeader);
  });
});
