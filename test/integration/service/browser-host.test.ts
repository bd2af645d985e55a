import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error: plain JavaScript script without a declaration file
import { uiContentSecurityPolicyHeader } from '../../../build/scripts/serve-ui.mjs';
import { uiContentSecurityPolicy } from '../../../electron/cli/static-files.js';
import { startUiHost, type UiHost } from '../../../electron/cli/ui-host.js';
import { BrowserClient } from '../../support/browser-client.js';
import { writeEmlCorpus } from '../../support/generate-mail.js';
import { cliEntry, ensureBuilt } from '../../support/run-cli.js';

/** Raw HTTP, so a test can send what a browser would refuse to (another Host, another Origin). */
function raw(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

const work = mkdtempSync(join(tmpdir(), 'cw-ui-'));
let host: UiHost;

describe('the browser-mode host', () => {
  beforeAll(async () => {
    mkdirSync(join(work, 'renderer'));
    writeFileSync(join(work, 'renderer', 'index.html'), '<!doctype html><title>Cloudward</title>');
    writeEmlCorpus(join(work, 'in'), 40, 3, ['Inbox']);
    host = await startUiHost({ ledgerFile: join(work, 'ledger.sqlite'), environment: {}, host: 'browser', version: '0.0.0-test', rendererDir: join(work, 'renderer'), summaryMs: 20 });
  });
  afterAll(async () => host.close());

  it('prints a loopback URL carrying its token in the fragment, and serves the UI with the app CSP', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/);
    const page = await raw(host.port, '/', { headers: { host: `127.0.0.1:${host.port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Cloudward</title>');
    // The same policy as the desktop app (csp.test.ts ties serve-ui's to electron/main/csp.ts).
    expect(page.headers['content-security-policy']).toBe(uiContentSecurityPolicyHeader);
    expect(uiContentSecurityPolicy).toBe(uiContentSecurityPolicyHeader);
    expect((await raw(host.port, '/..%2f..%2fledger.sqlite', { headers: { host: `127.0.0.1:${host.port}` } })).status).toBe(403);
  });

  it('refuses API calls without the token, with a wrong token, from another origin or under another host name', async () => {
    const body = JSON.stringify({ v: 1, kind: 'request', id: 1, command: 'jobs:list', payload: {} });
    const json = { 'content-type': 'application/json', host: `127.0.0.1:${host.port}` };
    expect((await raw(host.port, '/api/request', { method: 'POST', headers: json, body })).status).toBe(403);
    expect((await raw(host.port, '/api/request', { method: 'POST', headers: { ...json, 'x-cloudward-token': 'x'.repeat(43) }, body })).status).toBe(403);
    const good = { ...json, 'x-cloudward-token': host.token };
    expect((await raw(host.port, '/api/request', { method: 'POST', headers: { ...good, origin: 'http://evil.example' }, body })).status).toBe(403);
    // DNS rebinding: the page's own name resolves to 127.0.0.1, so the browser sends that name as Host.
    expect((await raw(host.port, '/api/request', { method: 'POST', headers: { ...good, host: `evil.example:${host.port}` }, body })).status).toBe(421);
    expect((await raw(host.port, `/api/events?token=wrong`, { headers: { host: `127.0.0.1:${host.port}` } })).status).toBe(403);
    const allowed = await raw(host.port, '/api/request', { method: 'POST', headers: good, body });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ v: 1, kind: 'reply', id: 1, result: { ok: true, value: { jobs: [] } } });
  });

  it('runs a job for a client that speaks the envelope over HTTP and SSE, with item summaries and prompts as events', async () => {
    const client = BrowserClient.fromUrl(host.url);
    const stream = await client.events();
    try {
      expect((await client.request('app:info', {})).host).toBe('browser');
      const plan = await client.request('job:plan', { source: `eml:${join(work, 'in')}`, target: `dir:${join(work, 'out')}` });
      expect(plan.totals.items).toBe(40);
      const { jobId } = await client.request('job:start', { planId: plan.planId });
      const summary = await stream.until((event) => event.type === 'summary' && event.jobId === jobId);
      expect(summary).toMatchObject({ itemsDone: 40, outcome: 'complete' });
      expect(stream.received.some((event) => event.type === 'item')).toBe(false);
      const folded = stream.received.filter((event) => event.type === 'item-summary');
      expect(folded.reduce((sum, event) => sum + (event.type === 'item-summary' ? event.done : 0), 0)).toBe(40);
      expect((await client.request('jobs:list', {})).jobs[0]).toMatchObject({ id: jobId, done: 40 });

      const answer = host.service.jobs.prompter.ask({ kind: 'secret', role: 'source-password', account: 'imap://a@b', label: 'Password', canRemember: false });
      const prompt = await stream.until((event) => event.type === 'prompt');
      if (prompt.type !== 'prompt') throw new Error('not a prompt');
      await client.request('prompt:answer', { promptId: prompt.promptId, value: 's3cret' });
      expect(await answer).toEqual({ promptId: prompt.promptId, value: 's3cret' });
      await stream.until((event) => event.type === 'prompt-closed' && event.promptId === prompt.promptId);
    } finally {
      stream.close();
    }
  });
});

describe('cloudward ui', () => {
  beforeAll(() => ensureBuilt());

  it('prints its URL with the token, answers through it, and stops on Ctrl+C', async () => {
    const child = spawn(process.execPath, [cliEntry, 'ui', '--no-open', '--port', '0', '--ledger', join(work, 'cli-ledger.sqlite')], {
      env: { ...process.env, CLOUDWARD_HOME: join(work, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 30_000);
      child.stdout.on('data', (chunk: string) => {
        stdout += chunk;
        const match = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const client = BrowserClient.fromUrl(url);
    expect(await client.request('app:info', {})).toMatchObject({ host: 'browser', ledger: join(work, 'cli-ledger.sqlite') });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
