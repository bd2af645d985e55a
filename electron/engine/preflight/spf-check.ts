import { BlockList, isIP } from 'node:net';

import type { PreflightFinding } from '../../contract/index.js';
import type { DnsLookup } from './dns-lookup.js';
import { check, type PreflightProbe } from './probe.js';

/*
 * SPF as RFC 7208 defines it and Microsoft documents it for Microsoft 365
 * (learn.microsoft.com/defender-office-365/email-authentication-spf-configure):
 * - exactly one TXT record starting "v=spf1" (§4.5: more than one is a permerror, so receivers treat the domain as
 *   having a broken record);
 * - mail sent through Microsoft 365 needs `include:spf.protection.outlook.com`; during a hybrid period the old
 *   server's or ISP's senders stay in the same record (Microsoft's "on-premises email servers" example);
 * - at most 10 terms that cause DNS lookups (include, a, mx, ptr, exists, redirect), counted through every include
 *   and redirect (§4.6.4); more is a permerror;
 * - `+all` lets anyone send as the domain; `?all` says nothing (neutral); Microsoft recommends `-all` (or `~all`).
 */
export const microsoftSpfInclude = 'spf.protection.outlook.com';
export const spfLookupLimit = 10;
/** A hostile or looping chain stops here; it is far past the limit anyway. */
const maxWalkLookups = 40;

const lookupTerms = new Set(['include', 'a', 'mx', 'ptr', 'exists', 'redirect']);

export interface SpfTerm {
  qualifier: '+' | '-' | '~' | '?';
  name: string;
  value?: string;
  /** As written, for evidence and matching. */
  text: string;
}

export function parseSpf(record: string): SpfTerm[] {
  return record
    .trim()
    .split(/\s+/)
    .slice(1)
    .filter((part) => part.length > 0)
    .map((text) => {
      const qualifier = /^[+\-~?]/.test(text) ? (text[0] as SpfTerm['qualifier']) : '+';
      const body = /^[+\-~?]/.test(text) ? text.slice(1) : text;
      const match = /^([a-z0-9]+)(?:([:=])(.*))?$/i.exec(body);
      const name = (match?.[1] ?? body).toLowerCase();
      const value = match?.[3];
      return { qualifier, name, ...(value === undefined ? {} : { value }), text };
    });
}

export function spfRecords(txt: readonly string[]): string[] {
  return txt.filter((record) => /^v=spf1(\s|$)/i.test(record.trim()));
}

export interface SpfWalk {
  lookups: number;
  /** Every term of every record reached, as `domain: term`. */
  tree: string[];
  /** Every term reached, normalised (qualifier dropped, lower case), for "is X included anywhere". */
  terms: Set<string>;
  problems: string[];
}

/** Counts DNS-querying terms through includes and redirects (RFC 7208 §4.6.4). */
export async function walkSpf(dns: DnsLookup, domain: string, record: string): Promise<SpfWalk> {
  const walk: SpfWalk = { lookups: 0, tree: [], terms: new Set(), problems: [] };
  const visiting = new Set<string>([domain.toLowerCase()]);
  const visit = async (name: string, text: string, depth: number): Promise<void> => {
    const terms = parseSpf(text);
    const hasAll = terms.some((term) => term.name === 'all');
    for (const term of terms) {
      const normal = `${term.name}${term.value === undefined ? '' : (term.name === 'redirect' ? '=' : ':') + term.value.toLowerCase()}`;
      walk.terms.add(normal);
      walk.tree.push(`${'  '.repeat(depth)}${name}: ${term.text}`);
      if (!lookupTerms.has(term.name)) continue;
      // redirect= is ignored when the record has an "all" (§6.1), so it costs nothing then.
      if (term.name === 'redirect' && hasAll) continue;
      walk.lookups += 1;
      if ((term.name !== 'include' && term.name !== 'redirect') || term.value === undefined) continue;
      const target = term.value.toLowerCase().replace(/\.$/, '');
      if (target.includes('%')) continue; // a macro: expands per message, cannot be followed here
      if (visiting.has(target)) {
        walk.problems.push(`${name}: ${term.text} loops back to ${target}`);
        continue;
      }
      if (walk.lookups > maxWalkLookups) {
        walk.problems.push(`stopped following includes after ${maxWalkLookups} lookups`);
        return;
      }
      const found = spfRecords(await dns.txt(target));
      if (found.length !== 1) {
        walk.problems.push(`${name}: ${term.text} → ${target} has ${found.length === 0 ? 'no' : found.length} SPF record${found.length === 0 ? '' : 's'} (a permerror for receivers)`);
        continue;
      }
      visiting.add(target);
      await visit(target, found[0] ?? '', depth + 1);
      visiting.delete(target);
    }
  };
  await visit(domain, record, 0);
  return walk;
}

/**
 * Whether the SPF terms reached allow `sender`: the same term, or for an address (ip4:/ip6:, with or without a
 * prefix) an ip4:/ip6: range that contains it, so "ip4:198.51.100.7" is covered by "ip4:198.51.100.0/24".
 */
export function spfCovers(terms: ReadonlySet<string>, sender: string): boolean {
  if (terms.has(sender)) return true;
  const address = /^(ip4|ip6):([^/]+)(?:\/(\d+))?$/.exec(sender);
  if (!address) return false;
  const [, kind, ip = '', ownPrefix] = address;
  const family = kind === 'ip4' ? 'ipv4' : 'ipv6';
  if (isIP(ip) !== (kind === 'ip4' ? 4 : 6)) return false;
  for (const term of terms) {
    const range = /^(ip4|ip6):([^/]+)(?:\/(\d+))?$/.exec(term);
    if (!range || range[1] !== kind) continue;
    const full = kind === 'ip4' ? 32 : 128;
    const prefix = Number(range[3] ?? full);
    // A sender range is covered only by a range at least as wide.
    if (ownPrefix !== undefined && Number(ownPrefix) < prefix) continue;
    try {
      const list = new BlockList();
      list.addSubnet(range[2] ?? '', prefix, family);
      if (list.check(ip, family)) return true;
    } catch {
      // A malformed range in someone's SPF record covers nothing.
    }
  }
  return false;
}

const spfRecord = check('dns', 'dns.spf.record', 'One SPF record for the domain');
const spfMicrosoft = check('dns', 'dns.spf.microsoft365', 'SPF allows Microsoft 365 to send');
const spfLegacy = check('dns', 'dns.spf.legacy', "SPF and the old server's or ISP's sender");
const spfLookups = check('dns', 'dns.spf.lookups', 'SPF stays within 10 DNS lookups');
const spfAll = check('dns', 'dns.spf.all', 'SPF ends with -all or ~all');

export const spfProbe: PreflightProbe = {
  area: 'dns',
  checks: [spfRecord, spfMicrosoft, spfLegacy, spfLookups, spfAll],
  async run({ request, dns }) {
    const domain = request.domain;
    const found = spfRecords(await dns.txt(domain));
    const evidence = found.map((record) => `TXT ${domain} "${record}"`);
    if (found.length !== 1) {
      const why = found.length === 0 ? `no v=spf1 TXT record at ${domain} (asked ${dns.describe()})` : `${found.length} v=spf1 records: receivers treat that as a permanent error (RFC 7208 §4.5)`;
      const rest = [spfMicrosoft, spfLegacy, spfLookups, spfAll].map((builder) => builder.skip([why]));
      return [
        spfRecord.fail([...evidence, why], `Publish exactly one TXT record at ${domain}, for example "v=spf1 include:${microsoftSpfInclude} -all"${found.length > 1 ? ', merging the others into it' : ''}.`),
        ...rest,
      ];
    }
    const record = found[0] ?? '';
    const walk = await walkSpf(dns, domain, record);
    const findings: PreflightFinding[] = [spfRecord.pass(evidence)];

    const hasMicrosoft = walk.terms.has(`include:${microsoftSpfInclude}`);
    if (!request.sendsThroughMicrosoft365) findings.push(spfMicrosoft.skip(['mail is not sent through Microsoft 365 (as asked)']));
    else if (hasMicrosoft) findings.push(spfMicrosoft.pass([`include:${microsoftSpfInclude} found`]));
    else {
      findings.push(spfMicrosoft.fail([...evidence, `no include:${microsoftSpfInclude}`], `Add include:${microsoftSpfInclude} to the SPF record of ${domain}, before the -all/~all at its end.`));
    }

    const legacy = request.legacySender?.trim().toLowerCase().replace(/^\+/, '');
    if (legacy === undefined || legacy === '') findings.push(spfLegacy.skip(['no old server or ISP sender named (--legacy-sender)']));
    else {
      const present = spfCovers(walk.terms, legacy);
      if (request.phase === 'before') {
        findings.push(
          present
            ? spfLegacy.pass([`${legacy} is in the SPF record: the old server may keep sending during the move`])
            : spfLegacy.fail([...evidence, `${legacy} is not in the SPF record`], `Add ${legacy} to the SPF record of ${domain} while the old server or ISP still sends mail, or that mail will be rejected as spoofed.`),
        );
      } else {
        findings.push(
          present
            ? spfLegacy.warn([`${legacy} is still in the SPF record after the cutover: it may send as ${domain}`], `Remove ${legacy} from the SPF record of ${domain} once the old server or ISP no longer sends mail for it.`)
            : spfLegacy.pass([`${legacy} is no longer in the SPF record`]),
        );
      }
    }

    // The count comes last: it is the conclusion the short listings show.
    const lookupEvidence = [...walk.tree.slice(0, 60), ...walk.problems, `${walk.lookups} DNS lookup(s) counted through every include and redirect`];
    if (walk.problems.length > 0) {
      findings.push(spfLookups.fail(lookupEvidence, 'Fix or remove the include that has no single SPF record (or loops): receivers treat the whole SPF record as broken.'));
    } else if (walk.lookups > spfLookupLimit) {
      findings.push(spfLookups.fail(lookupEvidence, `Cut the SPF record of ${domain} down to ${spfLookupLimit} lookups: drop includes of services no longer used, or replace a/mx terms by ip4:/ip6: addresses.`));
    } else findings.push(spfLookups.pass(lookupEvidence));

    findings.push(await allVerdict(dns, domain, record));
    return findings;
  },
};

async function allVerdict(dns: DnsLookup, domain: string, record: string): Promise<PreflightFinding> {
  let terms = parseSpf(record);
  let where = domain;
  // Without an "all", a redirect= hands the verdict to the other domain's record (RFC 7208 §6.1).
  for (let hops = 0; hops < 5 && !terms.some((term) => term.name === 'all'); hops += 1) {
    const redirect = terms.find((term) => term.name === 'redirect')?.value;
    if (redirect === undefined) break;
    const next = spfRecords(await dns.txt(redirect))[0];
    if (next === undefined) break;
    terms = parseSpf(next);
    where = redirect;
  }
  const all = terms.find((term) => term.name === 'all');
  const fixTail = `end the SPF record of ${domain} with -all (or ~all while you check that all your real senders are listed).`;
  if (all === undefined) return spfAll.warn([`${where}: no "all" at the end, so mail from anyone else gets "neutral"`], `Add -all: ${fixTail}`);
  const evidence = [`${where}: ${all.text}`];
  if (all.qualifier === '+') return spfAll.fail([...evidence, 'anyone on the internet may send mail as the domain'], `Replace ${all.text} with -all: ${fixTail}`);
  if (all.qualifier === '?') return spfAll.warn([...evidence, '"neutral": receivers get no protection against spoofing'], `Replace ?all with -all: ${fixTail}`);
  return spfAll.pass(evidence);
}
