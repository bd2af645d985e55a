import type { PreflightFinding } from '../../contract/index.js';
import { check, type PreflightProbe } from './probe.js';

/*
 * The records Microsoft 365 expects, as Microsoft documents them:
 * - "Add DNS records to connect your domain" (learn.microsoft.com/microsoft-365/admin/get-help-with-domains/
 *   create-dns-records-at-any-dns-hosting-provider): MX `<domain-key>.mail.protection.outlook.com` with TTL 3600,
 *   CNAME `autodiscover` → `autodiscover.outlook.com`, TXT `MS=ms########` to verify the domain, SPF TXT
 *   `v=spf1 include:spf.protection.outlook.com -all`.
 * - Domains added since 2024 may get a DNSSEC-capable MX under `mx.microsoft` ("Inbound SMTP DANE with DNSSEC",
 *   learn.microsoft.com/purview/how-smtp-dane-works): both are Microsoft 365.
 * - Cutover migration (learn.microsoft.com/exchange/mailbox-migration/cutover-migration-to-office-365): after the
 *   MX changes, "it can take up to 72 hours" for mail to follow, because resolvers keep the old record for its TTL.
 */
export const microsoftMxPattern = /\.(mail\.protection\.outlook\.com|mx\.microsoft)$/i;
export const mxTtlLimitSeconds = 3600;

const mxRoute = check('dns', 'dns.mx.route', 'Where mail for the domain goes (MX)');
const mxTtl = check('dns', 'dns.mx.ttl', 'MX record TTL short enough for the cutover');

export const mxProbe: PreflightProbe = {
  area: 'dns',
  checks: [mxRoute, mxTtl],
  async run({ request, dns }) {
    const domain = request.domain;
    const records = (await dns.mx(domain)).sort((a, b) => a.priority - b.priority);
    if (records.length === 0) {
      return [
        mxRoute.fail([`no MX record for ${domain} (asked ${dns.describe()})`], `Add an MX record for ${domain}: the value the Microsoft 365 admin center shows (…mail.protection.outlook.com), or the old server until the cutover.`),
        mxTtl.skip(['no MX record'], undefined),
      ];
    }
    const evidence = records.map((record) => `MX ${record.priority} ${record.exchange}`);
    const microsoft = records.filter((record) => microsoftMxPattern.test(record.exchange));
    const findings: PreflightFinding[] = [];
    if (request.phase === 'after') {
      if (microsoft.length === records.length) findings.push(mxRoute.pass([...evidence, 'mail goes to Microsoft 365']));
      else if (microsoft.length > 0) {
        findings.push(mxRoute.warn([...evidence, 'some MX hosts are not Microsoft 365: part of the mail can still reach the old server'], `Remove the MX records that do not end in mail.protection.outlook.com once the old server no longer takes mail.`));
      } else {
        findings.push(mxRoute.fail([...evidence, 'mail still goes to the old server'], `Change the MX record of ${domain} to the value the Microsoft 365 admin center shows (…mail.protection.outlook.com).`));
      }
    } else {
      const where = microsoft.length === records.length ? 'mail already goes to Microsoft 365' : microsoft.length > 0 ? 'mail goes partly to Microsoft 365' : `mail goes to ${records[0]?.exchange ?? '?'} (the old server until the cutover)`;
      findings.push(mxRoute.pass([...evidence, where]));
    }
    const ttl = await dns.ttl(domain, 'MX');
    const ttlEvidence = [`MX TTL ${ttl ?? 'unknown'} s (asked ${dns.describe()}; a caching resolver shows what is left, the authoritative server the full value)`];
    if (ttl === undefined) findings.push(mxTtl.skip(ttlEvidence));
    else if (request.phase === 'after' || ttl <= mxTtlLimitSeconds) findings.push(mxTtl.pass(ttlEvidence));
    else {
      findings.push(mxTtl.warn(ttlEvidence, `Lower the TTL of the MX record of ${domain} to 3600 s (1 hour) or less at least ${formatDuration(ttl)} before the cutover, so the change takes effect within the hour.`));
    }
    return findings;
  },
};

function formatDuration(seconds: number): string {
  if (seconds >= 86400) return `${Math.ceil(seconds / 86400)} day(s)`;
  return `${Math.ceil(seconds / 3600)} hour(s)`;
}

const autodiscover = check('dns', 'dns.autodiscover', 'Autodiscover points Outlook to Microsoft 365');
export const autodiscoverTarget = 'autodiscover.outlook.com';

export const autodiscoverProbe: PreflightProbe = {
  area: 'dns',
  checks: [autodiscover],
  async run({ request, dns }) {
    const name = `autodiscover.${request.domain}`;
    const target = await dns.cname(name);
    const fix = `Create a CNAME record ${name} pointing to ${autodiscoverTarget}${request.phase === 'before' ? ' at the cutover' : ''}, so Outlook finds the new mailbox by itself.`;
    if (target === autodiscoverTarget) return [autodiscover.pass([`CNAME ${name} → ${target}`])];
    const addresses = target === undefined ? await dns.addresses(name) : [];
    const evidence = target !== undefined ? [`CNAME ${name} → ${target}`] : addresses.length > 0 ? [`${name} has A/AAAA ${addresses.join(', ')} (no CNAME)`] : [`no record for ${name}`];
    // Before the cutover Outlook should still find the old server; the change belongs to the cutover itself.
    if (request.phase === 'before') return [autodiscover.warn([...evidence, 'Outlook will not find Microsoft 365 until this changes'], fix)];
    return [autodiscover.fail([...evidence, 'Outlook profiles cannot find the Microsoft 365 mailbox'], fix)];
  },
};

const verification = check('dns', 'dns.verification', 'Microsoft 365 domain verification TXT (MS=ms…)');
const verificationPattern = /^MS=ms\d{8}$/;

export const verificationProbe: PreflightProbe = {
  area: 'dns',
  checks: [verification],
  async run({ request, dns }) {
    const records = await dns.txt(request.domain);
    const candidates = records.filter((record) => /^MS=/i.test(record.trim()));
    if (candidates.length === 0) {
      if (request.phase === 'after') return [verification.pass(['no MS= TXT record; Microsoft allows removing it once the domain shows "Verified"'])];
      return [verification.warn([`no MS=ms… TXT record at ${request.domain}`], 'Add the TXT record MS=ms######## that the Microsoft 365 admin center shows under Settings > Domains, unless the domain already shows "Verified".')];
    }
    const bad = candidates.filter((record) => !verificationPattern.test(record.trim()));
    const evidence = candidates.map((record) => `TXT "${record}"`);
    if (bad.length > 0) {
      return [verification.fail([...evidence, 'expected MS=ms followed by 8 digits'], 'Copy the TXT value exactly as the Microsoft 365 admin center shows it (MS=ms followed by 8 digits), with no quotes or spaces added.')];
    }
    return [verification.pass(evidence)];
  },
};

/*
 * DKIM for a custom domain: two CNAMEs, selector1._domainkey and selector2._domainkey, pointing into the tenant
 * (selector1-contoso-com._domainkey.contoso.onmicrosoft.com, or for domains set up since May 2025
 * selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft). Microsoft rotates between the two keys, so
 * both must exist. learn.microsoft.com/defender-office-365/email-authentication-dkim-configure
 */
const dkim = check('dns', 'dns.dkim', 'DKIM selector CNAMEs for Microsoft 365');
const dkimTargetPattern = /\._domainkey\.[a-z0-9-]+\.(onmicrosoft\.com|[a-z0-9-]+\.dkim\.mail\.microsoft)$/i;

export const dkimProbe: PreflightProbe = {
  area: 'dns',
  checks: [dkim],
  async run({ request, dns }) {
    const selectors = ['selector1', 'selector2'];
    const targets = await Promise.all(selectors.map((selector) => dns.cname(`${selector}._domainkey.${request.domain}`)));
    const evidence = selectors.map((selector, index) => `CNAME ${selector}._domainkey.${request.domain} → ${targets[index] ?? '(none)'}`);
    const fix = 'In the Microsoft Defender portal (Email authentication settings > DKIM) copy the two CNAME values for the domain into DNS, then enable signing.';
    if (targets.every((target) => target === undefined)) {
      return [dkim.warn([...evidence, 'mail is signed only with the onmicrosoft.com domain'], fix)];
    }
    const wrong = targets.filter((target) => target === undefined || !dkimTargetPattern.test(target));
    if (wrong.length > 0) return [dkim.fail([...evidence, 'both selectors must point into the Microsoft 365 tenant'], fix)];
    return [dkim.pass(evidence)];
  },
};

/*
 * DMARC: one TXT at _dmarc.<domain> starting "v=DMARC1" with a p= tag (RFC 7489 §6.3; more than one record means no
 * policy at all, §6.6.3). p=none only monitors. learn.microsoft.com/defender-office-365/email-authentication-dmarc-configure
 */
const dmarc = check('dns', 'dns.dmarc', 'DMARC policy');

export const dmarcProbe: PreflightProbe = {
  area: 'dns',
  checks: [dmarc],
  async run({ request, dns }) {
    const name = `_dmarc.${request.domain}`;
    const records = (await dns.txt(name)).filter((record) => /^v\s*=\s*DMARC1\b/i.test(record.trim()));
    const evidence = records.map((record) => `TXT ${name} "${record}"`);
    if (records.length === 0) {
      return [dmarc.warn([`no v=DMARC1 TXT record at ${name}`], `Add a TXT record at ${name} such as "v=DMARC1; p=none; rua=mailto:dmarc@${request.domain}" to start, then move to p=quarantine.`)];
    }
    if (records.length > 1) return [dmarc.fail([...evidence, 'more than one DMARC record: receivers ignore them all (RFC 7489 §6.6.3)'], `Keep exactly one TXT record at ${name}.`)];
    const tags = new Map(
      (records[0] ?? '')
        .split(';')
        .map((part) => part.trim().split('=').map((side) => side.trim()))
        .filter((pair): pair is [string, string] => pair.length === 2)
        .map(([key, value]) => [key.toLowerCase(), value.toLowerCase()]),
    );
    const policy = tags.get('p');
    if (policy === undefined || !['none', 'quarantine', 'reject'].includes(policy)) {
      return [dmarc.fail([...evidence, 'no valid p= tag (none, quarantine or reject)'], `Fix the DMARC record at ${name}: it needs p=none, p=quarantine or p=reject right after v=DMARC1.`)];
    }
    if (policy === 'none') return [dmarc.warn([...evidence, 'p=none only monitors: spoofed mail is still delivered'], 'Once SPF and DKIM pass for all your real mail, change the DMARC policy to p=quarantine (then p=reject).')];
    return [dmarc.pass(evidence)];
  },
};
