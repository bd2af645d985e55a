import { describe, expect, it } from 'vitest';

import { hasDnsmasq, noDnsmasqReason } from '../../support/dnsmasq.js';
import {
  domain,
  goodAutodiscover,
  goodDkim,
  goodDmarc,
  goodSpf,
  goodVerification,
  microsoftMx,
  microsoftSpfZone,
  microsoftZone,
  preflightAgainst,
} from './preflight-helpers.js';

if (!hasDnsmasq) console.warn(`DNS preflight tests skipped: ${noDnsmasqReason}`);

const spf = (text: string) => ({ name: domain, text });
const txtWithSpf = (...records: { name: string; text: string }[]) => [goodVerification, goodDmarc, ...microsoftSpfZone, ...records];

describe.skipIf(!hasDnsmasq)('preflight DNS checks against a real dnsmasq', () => {
  it('passes every DNS check for a domain set up as Microsoft documents, after the cutover', async () => {
    const { run } = await preflightAgainst(microsoftZone(), { phase: 'after' });
    const dns = run.findings.filter((finding) => finding.area === 'dns');
    expect(dns.filter((finding) => finding.verdict !== 'pass' && finding.verdict !== 'skip')).toEqual([]);
    expect(dns.map((finding) => finding.checkId)).toEqual([
      'dns.mx.route',
      'dns.mx.ttl',
      'dns.spf.record',
      'dns.spf.microsoft365',
      'dns.spf.legacy',
      'dns.spf.lookups',
      'dns.spf.all',
      'dns.autodiscover',
      'dns.verification',
      'dns.dkim',
      'dns.dmarc',
    ]);
  });

  describe('MX', () => {
    it('after the cutover: fails while mail still goes to the old server, warns while it goes partly there', async () => {
      const old = await preflightAgainst(microsoftZone({ mx: [{ name: domain, host: 'mx.oldisp.example', preference: 10 }] }), { phase: 'after' });
      expect(old.byId('dns.mx.route').verdict).toBe('fail');
      expect(old.byId('dns.mx.route').evidence).toContain('MX 10 mx.oldisp.example');
      const mixed = await preflightAgainst(microsoftZone({ mx: [microsoftMx, { name: domain, host: 'mx.oldisp.example', preference: 20 }] }), { phase: 'after' });
      expect(mixed.byId('dns.mx.route').verdict).toBe('warn');
    });

    it('before the cutover says where mail goes now; no MX at all fails', async () => {
      const before = await preflightAgainst(microsoftZone({ mx: [{ name: domain, host: 'mx.oldisp.example', preference: 10 }] }), { phase: 'before' });
      expect(before.byId('dns.mx.route').verdict).toBe('pass');
      expect(before.byId('dns.mx.route').evidence.join('\n')).toMatch(/mail goes to mx\.oldisp\.example/);
      const none = await preflightAgainst(microsoftZone({ mx: [] }), { phase: 'before' });
      expect(none.byId('dns.mx.route').verdict).toBe('fail');
    });

    it('MX TTL: 3600 s passes, a day warns before the cutover (with the TTL the server gave), and is fine after it', async () => {
      const short = await preflightAgainst(microsoftZone({ ttl: 3600 }), { phase: 'before' });
      expect(short.byId('dns.mx.ttl').verdict).toBe('pass');
      expect(short.byId('dns.mx.ttl').evidence[0]).toMatch(/^MX TTL 3600 s/);
      const long = await preflightAgainst(microsoftZone({ ttl: 86400 }), { phase: 'before' });
      expect(long.byId('dns.mx.ttl').verdict).toBe('warn');
      expect(long.byId('dns.mx.ttl').evidence[0]).toMatch(/^MX TTL 86400 s/);
      expect(long.byId('dns.mx.ttl').fix).toMatch(/3600/);
      const after = await preflightAgainst(microsoftZone({ ttl: 86400 }), { phase: 'after' });
      expect(after.byId('dns.mx.ttl').verdict).toBe('pass');
    });
  });

  describe('SPF', () => {
    it('fails with no SPF record, and with two', async () => {
      const none = await preflightAgainst(microsoftZone({ txt: txtWithSpf() }));
      expect(none.byId('dns.spf.record').verdict).toBe('fail');
      expect(none.byId('dns.spf.all').verdict).toBe('skip');
      const two = await preflightAgainst(microsoftZone({ txt: txtWithSpf(goodSpf, spf('v=spf1 mx -all')) }));
      expect(two.byId('dns.spf.record').verdict).toBe('fail');
      expect(two.byId('dns.spf.record').evidence.join('\n')).toMatch(/2 v=spf1 records/);
    });

    it('fails when mail goes through Microsoft 365 but spf.protection.outlook.com is not included; skips when it does not', async () => {
      const missing = await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf('v=spf1 mx -all')) }));
      expect(missing.byId('dns.spf.microsoft365').verdict).toBe('fail');
      expect(missing.byId('dns.spf.microsoft365').fix).toMatch(/include:spf\.protection\.outlook\.com/);
      const notUsed = await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf('v=spf1 mx -all')) }), { sendsThroughMicrosoft365: false });
      expect(notUsed.byId('dns.spf.microsoft365').verdict).toBe('skip');
      const nested = await preflightAgainst(
        microsoftZone({ txt: txtWithSpf(spf('v=spf1 include:_spf.contoso.test -all'), { name: '_spf.contoso.test', text: 'v=spf1 include:spf.protection.outlook.com ~all' }) }),
      );
      expect(nested.byId('dns.spf.microsoft365').verdict).toBe('pass');
    });

    it("the old ISP's sender: required during the move, a warning once the cutover is done", async () => {
      const withIsp = microsoftZone({
        txt: txtWithSpf(spf('v=spf1 include:spf.protection.outlook.com include:spf.oldisp.example -all'), { name: 'spf.oldisp.example', text: 'v=spf1 ip4:198.51.100.0/24 -all' }),
      });
      const before = await preflightAgainst(withIsp, { phase: 'before', legacySender: 'include:spf.oldisp.example' });
      expect(before.byId('dns.spf.legacy').verdict).toBe('pass');
      const after = await preflightAgainst(withIsp, { phase: 'after', legacySender: 'include:spf.oldisp.example' });
      expect(after.byId('dns.spf.legacy').verdict).toBe('warn');
      const dropped = await preflightAgainst(microsoftZone(), { phase: 'before', legacySender: 'ip4:198.51.100.7' });
      expect(dropped.byId('dns.spf.legacy').verdict).toBe('fail');
      const none = await preflightAgainst(microsoftZone(), { phase: 'before' });
      expect(none.byId('dns.spf.legacy').verdict).toBe('skip');
    });

    it('counts DNS lookups through nested includes: 10 pass, 11 fail, a loop or a dangling include fails', async () => {
      // a.contoso.test includes b…, each costing one lookup, plus the a/mx terms: exactly what RFC 7208 §4.6.4 counts.
      const chain = (length: number) => {
        const records = [];
        for (let i = 1; i <= length; i += 1) records.push({ name: `l${i}.contoso.test`, text: i < length ? `v=spf1 include:l${i + 1}.contoso.test -all` : 'v=spf1 ip4:192.0.2.1 -all' });
        return records;
      };
      // include:spf.protection.outlook.com (1) + include:l1 (1) + 8 nested includes (8) = 10.
      const ten = await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf('v=spf1 include:spf.protection.outlook.com include:l1.contoso.test -all'), ...chain(9)) }));
      expect(ten.byId('dns.spf.lookups').verdict).toBe('pass');
      expect(ten.byId('dns.spf.lookups').evidence.at(-1)).toMatch(/^10 DNS lookup/);
      const eleven = await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf('v=spf1 include:spf.protection.outlook.com a mx include:l1.contoso.test -all'), ...chain(8)) }));
      expect(eleven.byId('dns.spf.lookups').verdict).toBe('fail');
      expect(eleven.byId('dns.spf.lookups').evidence.at(-1)).toMatch(/^11 DNS lookup/);
      const loop = await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf('v=spf1 include:spf.protection.outlook.com include:l1.contoso.test -all'), { name: 'l1.contoso.test', text: 'v=spf1 include:contoso.test -all' }) }));
      expect(loop.byId('dns.spf.lookups').verdict).toBe('fail');
      expect(loop.byId('dns.spf.lookups').evidence.join('\n')).toMatch(/loops back/);
      const dangling = await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf('v=spf1 include:spf.protection.outlook.com include:gone.example -all')) }));
      expect(dangling.byId('dns.spf.lookups').verdict).toBe('fail');
      expect(dangling.byId('dns.spf.lookups').evidence.join('\n')).toMatch(/gone\.example has no SPF record/);
    });

    it('+all fails, ?all and a missing all warn, -all and ~all pass, and redirect= hands over the verdict', async () => {
      const verdict = async (record: string, extra: { name: string; text: string }[] = []) =>
        (await preflightAgainst(microsoftZone({ txt: txtWithSpf(spf(record), ...extra) }))).byId('dns.spf.all');
      const plusAll = await verdict('v=spf1 include:spf.protection.outlook.com +all');
      expect(plusAll.verdict).toBe('fail');
      expect(plusAll.evidence.join('\n')).toMatch(/anyone on the internet/);
      expect((await verdict('v=spf1 include:spf.protection.outlook.com all')).verdict).toBe('fail');
      expect((await verdict('v=spf1 include:spf.protection.outlook.com ?all')).verdict).toBe('warn');
      expect((await verdict('v=spf1 include:spf.protection.outlook.com')).verdict).toBe('warn');
      expect((await verdict('v=spf1 include:spf.protection.outlook.com ~all')).verdict).toBe('pass');
      expect((await verdict('v=spf1 include:spf.protection.outlook.com -all')).verdict).toBe('pass');
      const redirected = await verdict('v=spf1 redirect=_spf.contoso.test', [{ name: '_spf.contoso.test', text: 'v=spf1 include:spf.protection.outlook.com +all' }]);
      expect(redirected.verdict).toBe('fail');
      expect(redirected.evidence[0]).toMatch(/^_spf\.contoso\.test: \+all/);
    });
  });

  it('autodiscover: the Microsoft CNAME passes; before the cutover another target warns, after it fails', async () => {
    const good = await preflightAgainst(microsoftZone(), { phase: 'after' });
    expect(good.byId('dns.autodiscover').verdict).toBe('pass');
    const oldCname = [{ alias: 'autodiscover.contoso.test', target: 'mail.oldisp.example' }, ...goodDkim];
    const before = await preflightAgainst(microsoftZone({ cname: oldCname }), { phase: 'before' });
    expect(before.byId('dns.autodiscover').verdict).toBe('warn');
    const after = await preflightAgainst(microsoftZone({ cname: oldCname }), { phase: 'after' });
    expect(after.byId('dns.autodiscover').verdict).toBe('fail');
    expect(after.byId('dns.autodiscover').evidence[0]).toBe('CNAME autodiscover.contoso.test → mail.oldisp.example');
    const host = await preflightAgainst(microsoftZone({ cname: goodDkim, hosts: [{ name: 'autodiscover.contoso.test', address: '192.0.2.10' }] }), { phase: 'after' });
    expect(host.byId('dns.autodiscover').verdict).toBe('fail');
    expect(host.byId('dns.autodiscover').evidence[0]).toMatch(/A\/AAAA 192\.0\.2\.10/);
  });

  it('verification TXT: MS=ms + 8 digits passes, missing warns before the cutover, malformed fails', async () => {
    expect((await preflightAgainst(microsoftZone())).byId('dns.verification').verdict).toBe('pass');
    const missing = await preflightAgainst(microsoftZone({ txt: [goodSpf, goodDmarc, ...microsoftSpfZone] }), { phase: 'before' });
    expect(missing.byId('dns.verification').verdict).toBe('warn');
    const malformed = await preflightAgainst(microsoftZone({ txt: [goodSpf, goodDmarc, ...microsoftSpfZone, { name: domain, text: 'MS=1234' }] }));
    expect(malformed.byId('dns.verification').verdict).toBe('fail');
  });

  it('DKIM: both selectors into the tenant pass, none warns, one alone or pointing elsewhere fails', async () => {
    expect((await preflightAgainst(microsoftZone())).byId('dns.dkim').verdict).toBe('pass');
    const newFormat = [
      goodAutodiscover,
      { alias: 'selector1._domainkey.contoso.test', target: 'selector1-contoso-test._domainkey.contoso.n-v1.dkim.mail.microsoft' },
      { alias: 'selector2._domainkey.contoso.test', target: 'selector2-contoso-test._domainkey.contoso.n-v1.dkim.mail.microsoft' },
    ];
    expect((await preflightAgainst(microsoftZone({ cname: newFormat }))).byId('dns.dkim').verdict).toBe('pass');
    expect((await preflightAgainst(microsoftZone({ cname: [goodAutodiscover] }))).byId('dns.dkim').verdict).toBe('warn');
    const one = await preflightAgainst(microsoftZone({ cname: [goodAutodiscover, goodDkim[0]!] }));
    expect(one.byId('dns.dkim').verdict).toBe('fail');
    expect(one.byId('dns.dkim').evidence).toContain('CNAME selector2._domainkey.contoso.test → (none)');
    const elsewhere = await preflightAgainst(microsoftZone({ cname: [goodAutodiscover, ...goodDkim.map((record) => ({ ...record, target: 'dkim.oldisp.example' }))] }));
    expect(elsewhere.byId('dns.dkim').verdict).toBe('fail');
  });

  it('DMARC: p=reject passes, p=none and no record warn, two records or no policy fail', async () => {
    const dmarc = async (...records: string[]) =>
      (await preflightAgainst(microsoftZone({ txt: [goodSpf, goodVerification, ...microsoftSpfZone, ...records.map((text) => ({ name: '_dmarc.contoso.test', text }))] }))).byId('dns.dmarc');
    expect((await dmarc('v=DMARC1; p=reject')).verdict).toBe('pass');
    expect((await dmarc('v=DMARC1; p=quarantine; pct=100')).verdict).toBe('pass');
    const none = await dmarc('v=DMARC1; p=none; rua=mailto:d@contoso.test');
    expect(none.verdict).toBe('warn');
    expect(none.evidence[0]).toBe('TXT _dmarc.contoso.test "v=DMARC1; p=none; rua=mailto:d@contoso.test"');
    expect((await dmarc()).verdict).toBe('warn');
    expect((await dmarc('v=DMARC1; p=reject', 'v=DMARC1; p=none')).verdict).toBe('fail');
    expect((await dmarc('v=DMARC1; rua=mailto:d@contoso.test')).verdict).toBe('fail');
  });

  it('a DNS server that swallows every query: every DNS check fails within one timeout, not one per query', async () => {
    const { createSocket } = await import('node:dgram');
    const { runPreflight } = await import('../../../electron/engine/preflight/run-preflight.js');
    const { MemorySecrets } = await import('./preflight-helpers.js');
    const blackHole = createSocket('udp4');
    await new Promise<void>((resolve) => blackHole.bind(0, '127.0.0.1', () => resolve()));
    try {
      const started = Date.now();
      const run = await runPreflight({ domain, smtp: false, dnsServer: `127.0.0.1:${blackHole.address().port}` }, { secrets: new MemorySecrets() });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(run.findings.map((finding) => finding.verdict)).toEqual(run.findings.map(() => 'fail'));
      expect(run.findings[0]?.evidence[0]).toMatch(/did not answer the MX query for contoso\.test \(ETIMEOUT\)/);
    } finally {
      blackHole.close();
    }
  }, 60_000);

  it('a DNS server that does not answer makes every DNS check fail with what happened, not a crash', async () => {
    const { runPreflight } = await import('../../../electron/engine/preflight/run-preflight.js');
    const { MemorySecrets } = await import('./preflight-helpers.js');
    // Port 9 (discard) on loopback: nothing listens, so every query is refused.
    const run = await runPreflight({ domain, smtp: false, dnsServer: '127.0.0.1:9' }, { secrets: new MemorySecrets() });
    expect(run.findings.length).toBe(11);
    for (const finding of run.findings) {
      expect(finding.verdict).toBe('fail');
      expect(finding.evidence[0]).toMatch(/DNS server 127\.0\.0\.1:9 did not answer|TIMEOUT|ECONNREFUSED/);
    }
  }, 60_000);
});
