import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CliIo } from '../../../electron/cli/cli-io.js';
import { main } from '../../../electron/cli/main.js';
import { createServiceHost } from '../../../electron/cli/service-host.js';
import { parseEvent, parseResponse, type ServiceEvent } from '../../../electron/contract/index.js';
import { createPreflightHandlers } from '../../../electron/engine/preflight/preflight-handlers.js';
import { hasDnsmasq, noDnsmasqReason, startDnsmasq, type DnsServer } from '../../support/dnsmasq.js';
import { domain, goodAutodiscover, goodSpf, goodVerification, microsoftSpfZone, microsoftZone } from './preflight-helpers.js';

if (!hasDnsmasq) console.warn(`preflight command tests skipped: ${noDnsmasqReason}`);

function io(): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  (stderr as unknown as PassThrough).on('data', (chunk: Buffer) => (err += chunk.toString()));
  // No keychain in these runs: nothing here needs a secret.
  return { stdout, stderr, environment: { CLOUDWARD_HOME: '/tmp/cloudward-preflight-home' }, out: () => out, err: () => err };
}

describe.skipIf(!hasDnsmasq)('cloudward preflight (the command and the service handlers)', () => {
  let dir: string;
  let ledger: string;
  /** Before the cutover: the old ISP's MX with a day's TTL, SPF "+all" without Microsoft, DMARC p=none. */
  let before: DnsServer;
  /** After: everything as Microsoft documents it. */
  let after: DnsServer;
  /** After, but DMARC only monitors and DKIM is not set up: warnings and no failure. */
  let warnOnly: DnsServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cloudward-preflight-'));
    ledger = join(dir, 'ledger.sqlite');
    before = await startDnsmasq({
      ttl: 86400,
      mx: [{ name: domain, host: 'mx.oldisp.example', preference: 10 }],
      txt: [{ name: domain, text: 'v=spf1 mx include:spf.oldisp.example +all' }, { name: 'spf.oldisp.example', text: 'v=spf1 ip4:198.51.100.0/24 -all' }, { name: '_dmarc.contoso.test', text: 'v=DMARC1; p=none' }],
    });
    after = await startDnsmasq(microsoftZone());
    warnOnly = await startDnsmasq(microsoftZone({ txt: [goodSpf, goodVerification, ...microsoftSpfZone, { name: '_dmarc.contoso.test', text: 'v=DMARC1; p=none' }], cname: [goodAutodiscover] }));
  });
  afterAll(async () => {
    await Promise.all([before.stop(), after.stop(), warnOnly.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a to-do list, failures first then warnings, each with its fix and evidence; exit code 5', async () => {
    const cli = io();
    const code = await main(['preflight', '--domain', domain, '--dns-server', before.address, '--no-smtp', '--ledger', ledger], cli);
    expect(code).toBe(5);
    const out = cli.out();
    const items = [...out.matchAll(/^ *(\d+)\. \[(FAIL|WARN)\] .* \(([a-z0-9.]+)\)$/gm)].map((match) => ({ n: Number(match[1]), verdict: match[2], id: match[3] }));
    expect(items.map((item) => item.n)).toEqual(items.map((_, index) => index + 1));
    const firstWarn = items.findIndex((item) => item.verdict === 'WARN');
    expect(firstWarn).toBeGreaterThan(0);
    expect(items.slice(firstWarn).every((item) => item.verdict === 'WARN')).toBe(true);
    expect(items.filter((item) => item.verdict === 'FAIL').map((item) => item.id)).toEqual(['dns.spf.microsoft365', 'dns.spf.all']);
    expect(items.map((item) => item.id)).toContain('dns.mx.ttl');
    expect(out).toContain('seen: contoso.test: +all');
    expect(out).toMatch(/Fix: Replace \+all with -all/);
    expect(out).toMatch(/2 failed, \d+ warnings, \d+ passed, \d+ skipped/);
  });

  it('exit code 1 with warnings only, 0 when everything passes', async () => {
    const warned = io();
    expect(await main(['preflight', '--domain', domain, '--phase', 'after', '--dns-server', warnOnly.address, '--no-smtp', '--ledger', ledger], warned)).toBe(1);
    expect(warned.out()).not.toContain('[FAIL]');
    expect(warned.out()).toContain('[WARN] DMARC policy (dns.dmarc)');
    const clean = io();
    expect(await main(['preflight', '--domain', domain, '--phase', 'after', '--dns-server', after.address, '--no-smtp', '--ledger', ledger], clean)).toBe(0);
    expect(clean.out()).toContain('Nothing to do: every check passed.');
  });

  it('--json: one contract event per line, each check as it finishes, then the run', async () => {
    const cli = io();
    const code = await main(['preflight', '--domain', domain, '--dns-server', before.address, '--no-smtp', '--ledger', ledger, '--json'], cli);
    expect(code).toBe(5);
    const lines = cli.out().trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    const run = lines[lines.length - 1] as unknown as { type: string; findings: unknown[]; summary: { fail: number } };
    expect(run.type).toBe('preflight-run');
    const events = lines.slice(0, -1).map((line) => parseEvent(line));
    expect(events[0]?.type).toBe('preflight-started');
    expect(events.filter((event) => event.type === 'preflight-check')).toHaveLength(run.findings.length);
    expect(events[events.length - 1]).toMatchObject({ type: 'preflight-finished', summary: { fail: 2 } });
  });

  it('keeps every run per domain: preflight:history shows after and before side by side, newest first', async () => {
    const published: ServiceEvent[] = [];
    const handlers = createPreflightHandlers({ ledgerFile: ledger, environment: {}, publish: (event) => published.push(event) });
    const run = await handlers['preflight:run']({ domain: 'CONTOSO.test.', phase: 'after', dnsServer: after.address, smtp: false, sendsThroughMicrosoft365: true, targetOptions: {} });
    expect(run.summary.fail).toBe(0);
    // Started, one event per check (each already in the ledger), finished: the app fills in live.
    expect(published.map((event) => event.type)).toEqual(['preflight-started', ...run.findings.map(() => 'preflight-check'), 'preflight-finished']);
    const started = published[0];
    expect(started?.type === 'preflight-started' ? started.checks.map((entry) => entry.checkId) : []).toEqual(run.findings.map((finding) => finding.checkId));
    const history = parseResponse('preflight:history', await handlers['preflight:history']({ domain: 'contoso.test', limit: 10 }));
    expect(history.runs.length).toBe(5);
    expect(history.runs[0]?.runId).toBe(run.runId);
    expect(history.runs.map((entry) => entry.phase)).toEqual(['after', 'before', 'after', 'after', 'before']);
    const oldest = history.runs[history.runs.length - 1];
    expect(oldest?.findings.find((finding) => finding.checkId === 'dns.spf.all')).toMatchObject({ verdict: 'fail', area: 'dns', evidence: ['contoso.test: +all', 'anyone on the internet may send mail as the domain'] });
    expect(history.runs[0]?.findings).toEqual(run.findings);
    expect(oldest?.finishedAt).toBeDefined();
  });

  it('the service host serves preflight:run and preflight:history through its dispatcher, events on its one stream', async () => {
    const host = createServiceHost({ ledgerFile: ledger, environment: {}, host: 'cli', version: 'test' });
    const seen: string[] = [];
    const unsubscribe = host.subscribe((event) => seen.push(event.type));
    try {
      const reply = await host.dispatch({ v: 1, kind: 'request', id: 7, command: 'preflight:run', payload: { domain, dnsServer: after.address, smtp: false, phase: 'after' } });
      expect(reply).toMatchObject({ kind: 'reply', id: 7, result: { ok: true, value: { domain, summary: { fail: 0 } } } });
      expect(seen[0]).toBe('preflight-started');
      expect(seen[seen.length - 1]).toBe('preflight-finished');
      const history = await host.dispatch({ v: 1, kind: 'request', id: 8, command: 'preflight:history', payload: { domain } });
      expect(history).toMatchObject({ result: { ok: true } });
      const bad = await host.dispatch({ v: 1, kind: 'request', id: 9, command: 'preflight:run', payload: { domain: 'not a domain' } });
      expect(bad).toMatchObject({ result: { ok: false, error: { code: 'IPC_INVALID_REQUEST' } } });
    } finally {
      unsubscribe();
      await host.close();
    }
  });

  it('bad arguments are one line and exit code 2; a password on the command line is refused', async () => {
    const noDomain = io();
    expect(await main(['preflight', '--no-smtp'], noDomain)).toBe(2);
    expect(noDomain.err()).toBe('cloudward: --domain is required\n');
    const badPhase = io();
    expect(await main(['preflight', '--domain', domain, '--phase', 'during'], badPhase)).toBe(2);
    const badDns = io();
    expect(await main(['preflight', '--domain', domain, '--dns-server', 'dns.example:53', '--no-smtp', '--ledger', ledger], badDns)).toBe(2);
    expect(badDns.err()).toMatch(/--dns-server takes an IP address/);
    const secret = io();
    expect(await main(['preflight', '--domain', domain, '--password', 'x'], secret)).toBe(2);
  });
});
