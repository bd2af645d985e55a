import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { contentSecurityPolicyHeader } from '../../electron/main/csp.js';
import { repoRoot } from '../support/fixtures.js';
// @ts-expect-error: plain JavaScript script without a declaration file
import { startUiServer } from '../../build/scripts/serve-ui.mjs';

const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(`e2e/ui: skipped, ${chromiumPath} is missing (apt-get install -y chromium)`);
}

const shotDir = join(repoRoot, 'build/tmp/e2e');

describe.skipIf(!hasChromium)('the UI in Debian Chromium (browser mode)', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'cloudward-ui-'));
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    // A fresh build of the current sources, so the test never looks at a stale bundle.
    await build({
      configFile: join(repoRoot, 'renderer/vite.config.ts'),
      build: { outDir, emptyOutDir: true },
      logLevel: 'warn',
    });
    server = await startUiServer({ root: outDir, port: 0 });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  async function open(setUp?: (page: Page) => Promise<void>) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on('requestfailed', (request) => errors.push(`requestfailed: ${request.url()}`));
    await setUp?.(page);
    const response = await page.goto(server.url);
    return { page, errors, response };
  }

  it('renders the placeholder page with no console errors, under our CSP header', async () => {
    const { page, errors, response } = await open();
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(contentSecurityPolicyHeader);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Cloudward');
    expect(await page.getByRole('status').textContent()).toMatch(/^browser mode/);
    expect(await page.getByRole('listitem').count()).toBe(4);
    mkdirSync(shotDir, { recursive: true });
    await page.screenshot({ path: join(shotDir, 'ui-browser-mode.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is really held by the CSP: injected inline scripts and string timers do not run', async () => {
    const { page } = await open();
    await page.getByRole('heading', { level: 1 }).waitFor();
    // DevTools' own evaluate bypasses CSP, so the probes are things the page itself would do.
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
      const script = document.createElement('script');
      script.textContent = 'window.__cloudwardInline = true';
      document.body.append(script);
      const handler = document.createElement('img');
      handler.setAttribute('onerror', 'window.__cloudwardHandler = true');
      handler.src = 'data:,not-an-image';
      document.body.append(handler);
      await new Promise((done) => setTimeout(done, 200));
      const flags = window as unknown as { __cloudwardInline?: boolean; __cloudwardHandler?: boolean };
      return { inline: flags.__cloudwardInline === true, handler: flags.__cloudwardHandler === true, violations };
    });
    expect(outcome.inline).toBe(false);
    expect(outcome.handler).toBe(false);
    expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem', 'script-src-attr']));
    await page.close();
  });

  it('asks the desktop bridge for app:info when one is present', async () => {
    const { page, errors } = await open(async (page) => {
      // Stands in for the preload: the same shape as CloudwardBridge, answering like the main process.
      await page.addInitScript(() => {
        const calls: unknown[] = [];
        Object.defineProperty(window, 'cloudward', {
          value: {
            calls,
            invoke: async (command: string, request: unknown) => {
              calls.push([command, request]);
              return { ok: true, value: { version: '9.8.7', platform: 'win32' } };
            },
            on: () => () => undefined,
          },
        });
      });
    });
    await expect.poll(() => page.getByRole('status').textContent()).toBe('desktop app 9.8.7 on win32');
    const calls = await page.evaluate(() => (window as unknown as { cloudward: { calls: unknown[] } }).cloudward.calls);
    expect(calls[0]).toEqual(['app:info', {}]);
    mkdirSync(shotDir, { recursive: true });
    await page.screenshot({ path: join(shotDir, 'ui-desktop-bridge.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
