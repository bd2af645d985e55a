import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { registerAppScheme, serveRenderer } from '../../../electron/main/app-protocol.js';
import { contentSecurityPolicyHeader } from '../../../electron/main/csp.js';
import { fakeElectron } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

const top = mkdtempSync(join(tmpdir(), 'cloudward-protocol-'));
const root = join(top, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Cloudward</title>');
writeFileSync(join(root, 'assets/app.js'), 'console.log(1)');
writeFileSync(join(top, 'secret.txt'), 'outside the bundle');
afterAll(() => rmSync(top, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  registerAppScheme();
  serveRenderer(root);
  const handler = fakeElectron.protocol.handle.mock.calls[0]?.[1] as (request: Request) => Promise<Response>;
  const get = (url: string) => handler(new Request(url));

  it('is a standard, secure scheme so the page gets a real origin', () => {
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) },
    ]);
    expect(fakeElectron.protocol.handle.mock.calls[0]?.[0]).toBe('app');
  });

  it('serves the bundle with its content type and our CSP', async () => {
    const page = await get('app://cloudward/index.html');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(contentSecurityPolicyHeader);
    expect(await page.text()).toContain('<title>Cloudward</title>');
    const script = await get('app://cloudward/assets/app.js');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('serves nothing outside the bundle or for another host', async () => {
    for (const url of ['app://cloudward/../secret.txt', 'app://cloudward/%2e%2e/secret.txt', 'app://cloudward/..%2fsecret.txt',
      'app://cloudward/assets/..%5c..%5csecret.txt', 'app://other/index.html']) {
      const response = await get(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('outside the bundle');
    }
    expect((await get('app://cloudward/missing.js')).status).toBe(404);
  });
});
