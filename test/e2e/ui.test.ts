import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { contentSecurityPolicyHeader } from '../../electron/main/csp.js';
// @ts-expect-error: plain JavaScript script without a declaration file
import { startUiServer } from '../../build/scripts/serve-ui.mjs';
import { axeViolations, buildRenderer, chromiumPath, hasChromium, launchChromium, screenshot, watchProblems } from './browser.js';

if (!hasChromium) console.warn(`e2e/ui: skipped, ${chromiumPath} is missing (apt-get install -y chromium)`);

/**
 * The bundle on its own (static files only, no service): what a page opened without its key shows,
 * the CSP really holding, and the desktop bridge path (window.cloudward) with a stand-in preload.
 */
describe.skipIf(!hasChromium)('the UI bundle in Debian Chromium', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'cloudward-ui-'));
  let server: { url: string; close: () => Promise<void> };
  let browser: Browser;

  beforeAll(async () => {
    await buildRenderer(outDir);
    server = await startUiServer({ root: outDir, port: 0 });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  async function open(setUp?: (page: Page) => Promise<void>) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    const problems = watchProblems(page);
    await setUp?.(page);
    const response = await page.goto(server.url);
    return { page, problems, response };
  }

  it('without its key, says how to open Cloudward properly, under our CSP header, accessibly', async () => {
    const { page, problems, response } = await open();
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toBe(contentSecurityPolicyHeader);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Open Cloudward from its own address');
    expect(await page.locator('pre.command').textContent()).toBe('cloudward ui');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, '00-no-token');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('is really held by the CSP: injected inline scripts and handlers do not run', async () => {
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

  it('talks to the desktop bridge when the preload put one there, and remembers the language', async () => {
    const { page, problems } = await open(async (page) => {
      // Stands in for the preload: the DesktopBridge shape, answering as the main process would.
      await page.addInitScript(() => {
        const calls: [string, unknown][] = [];
        const answers: Record<string, unknown> = {
          'app:info': { version: '9.8.7', platform: 'win32', ledger: 'C:\\Users\\Ann\\AppData\\Local\\Cloudward\\ledger.sqlite', host: 'electron' },
          'jobs:list': { jobs: [] },
          'prompts:open': { prompts: [] },
          'preflight:history': { runs: [] },
        };
        Object.defineProperty(window, 'cloudward', {
          value: {
            calls,
            request: async (command: string, payload: unknown) => {
              calls.push([command, payload]);
              return command in answers ? { ok: true, value: answers[command] } : { ok: false, error: { code: 'JOB_NOT_FOUND', message: 'none', retryable: false } };
            },
            subscribe: () => () => undefined,
            savePdf: async () => ({ ok: true, value: { saved: true } }),
          },
        });
      });
    });
    await expect.poll(() => page.locator('footer').textContent()).toContain('Cloudward 9.8.7 · progress is kept in C:\\Users\\Ann');
    const calls = await page.evaluate(() => (window as unknown as { cloudward: { calls: [string, unknown][] } }).cloudward.calls.map(([command]) => command));
    expect(calls).toEqual(expect.arrayContaining(['app:info', 'prompts:open', 'jobs:list']));
    await page.getByLabel('Language').selectOption('nl');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verhuis uw mail naar Microsoft 365');
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verhuis uw mail naar Microsoft 365');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('nl');
    await screenshot(page, '01-desktop-bridge-nl');

    // Keyboard only: the first Tab shows the skip link, Enter on a focused button moves on, and the new
    // step's heading takes the focus so a screen reader starts reading there.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).left)).not.toBe('-9999px');
    await page.getByRole('button', { name: 'Beginnen' }).focus();
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('wizard-step-heading');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Waar moet uw mail naartoe?');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('target-kind');
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => (document.querySelector('input[name=target-kind]:checked') as HTMLInputElement).value)).toBe('exchange');
    expect(ring).not.toBe('none');
    expect(problems).toEqual([]);
    await page.close();
  });
});
