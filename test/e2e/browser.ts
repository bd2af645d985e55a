import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';

import { repoRoot } from '../support/fixtures.js';

/** Debian's Chromium, driven by Playwright; the e2e suites skip (loudly) without it. */
export const chromiumPath = '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
export const shotDir = join(repoRoot, 'build/tmp/e2e');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * A fresh build of the current renderer sources, so a test never looks at a stale bundle. Vitest sets
 * NODE_ENV=test, which Vite would bake in: React's development build, whose StrictMode runs every effect twice
 * (the wizard's preview asked the engine for two plans). The tests look at what ships: a production build.
 */
export async function buildRenderer(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(repoRoot, 'renderer/vite.config.ts'), mode: 'production', build: { outDir, emptyOutDir: true }, logLevel: 'warn' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/** Collects everything a user would call broken: console errors and warnings, page errors, failed requests. */
export function watchProblems(page: Page, ignore: (text: string) => boolean = () => false): string[] {
  const problems: string[] = [];
  const add = (text: string) => {
    if (!ignore(text)) problems.push(text);
  };
  page.on('pageerror', (error) => add(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') add(`${message.type()}: ${message.text()}`);
  });
  page.on('requestfailed', (request) => {
    // A request still in flight when the page reloads (the event stream, a status poll, the favicon) is aborted
    // by the browser itself: not a failure a user sees. Any other failure is; and a file the server does not
    // have is caught below by its status, so ignoring aborts hides no missing asset.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    add(`requestfailed: ${request.url()} ${request.failure()?.errorText ?? ''}`);
  });
  page.on('response', (response) => {
    // The app's own files must all be there; the API's refusals (4xx) are answers the tests assert on.
    if (response.status() >= 400 && !response.url().includes('/api/')) add(`response ${response.status()}: ${response.url()}`);
  });
  return problems;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's WCAG 2 A/AA rules on the page as it is now. Injected through DevTools (which CSP does
 * not govern), so the page's own CSP stays untouched for the test.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => JSON.stringify(node.target)).slice(0, 3).join(', ')})`);
  });
  return violations;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shotDir, { recursive: true });
  await page.screenshot({ path: join(shotDir, `${name}.png`), fullPage: true });
}
