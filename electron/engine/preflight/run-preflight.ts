import {
  type PreflightEvent,
  type PreflightFinding,
  type PreflightRequest,
  type PreflightRun,
  preflightRequestSchema,
  toCloudwardError,
} from '../../contract/index.js';
import { createLogger, type Logger } from '../log/logger.js';
import type { Prompter } from '../prompts/prompter.js';
import type { SecretProvider } from '../secrets/secret-provider.js';
import { autodiscoverProbe, dkimProbe, dmarcProbe, mxProbe, verificationProbe } from './dns-checks.js';
import { DnsLookup } from './dns-lookup.js';
import { imapProbe } from './imap-probe.js';
import { type PreflightStore, summarize } from './preflight-store.js';
import type { PreflightProbe, ProbeContext } from './probe.js';
import { legacyDeviceProbe, submissionProbe } from './smtp-probe.js';
import { spfProbe } from './spf-check.js';
import { targetProbe } from './target-probe.js';

export interface PreflightDeps {
  readonly secrets: SecretProvider;
  /** Where runs and findings are kept; without one the run is only answered (runId 0). */
  readonly store?: PreflightStore | undefined;
  readonly emit?: ((event: PreflightEvent) => void) | undefined;
  readonly log?: Logger | undefined;
  readonly prompter?: Prompter | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** The probes a request asks for, in the order their findings are listed. */
export function planProbes(request: ReturnType<typeof preflightRequestSchema.parse>): PreflightProbe[] {
  const probes: PreflightProbe[] = [mxProbe, spfProbe, autodiscoverProbe, verificationProbe, dkimProbe, dmarcProbe];
  if (request.smtp !== false) probes.push(submissionProbe);
  if (request.legacyDevice !== undefined) probes.push(legacyDeviceProbe);
  if (request.imap !== undefined) probes.push(imapProbe);
  if (request.target !== undefined) probes.push(targetProbe);
  return probes;
}

/**
 * Runs every check a request asks for. Nothing here throws for what it finds: a refused login, a
 * blocked tenant or a DNS server that does not answer are findings with their evidence and a fix.
 * Each finding is in the ledger before its event is sent.
 */
export async function runPreflight(input: PreflightRequest, deps: PreflightDeps): Promise<PreflightRun> {
  const request = preflightRequestSchema.parse(input);
  const probes = planProbes(request);
  const { runId, startedAt } = deps.store?.startRun(request.domain, request.phase, { ...request }) ?? { runId: 0, startedAt: Date.now() };
  deps.emit?.({
    type: 'preflight-started',
    runId,
    domain: request.domain,
    phase: request.phase,
    checks: probes.flatMap((probe) => probe.checks.map((entry) => ({ checkId: entry.checkId, area: probe.area, title: entry.title }))),
  });
  const context: ProbeContext = {
    request,
    dns: new DnsLookup(request.dnsServer),
    secrets: deps.secrets,
    log: deps.log ?? createLogger(),
    prompter: deps.prompter,
    signal: deps.signal ?? new AbortController().signal,
  };
  const findings: PreflightFinding[] = [];
  for (const probe of probes) {
    context.signal.throwIfAborted();
    let answered: PreflightFinding[];
    try {
      answered = await probe.run(context);
    } catch (error) {
      const cause = toCloudwardError(error);
      answered = probe.checks.map((entry) => ({
        checkId: entry.checkId,
        area: probe.area,
        verdict: 'fail' as const,
        title: entry.title,
        evidence: [`${cause.code}: ${cause.message}`],
        fix: probe.area === 'dns' ? 'Check the DNS server this PC uses (or the one given with --dns-server) and the network, then run the preflight again.' : 'Check the host name, the port and that this PC can reach it, then run the preflight again.',
      }));
    }
    for (const finding of answered) {
      deps.store?.addFinding(runId, finding);
      findings.push(finding);
      deps.emit?.({ type: 'preflight-check', runId, finding });
    }
  }
  deps.store?.finishRun(runId);
  const summary = summarize(findings);
  deps.emit?.({ type: 'preflight-finished', runId, summary });
  return {
    runId,
    domain: request.domain.toLowerCase().replace(/\.$/, ''),
    phase: request.phase,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
    findings,
    summary,
  };
}

/** Fails first, then warnings, in check order: the to-do list. Passes and skips are not to-dos. */
export function todoList(findings: readonly PreflightFinding[]): PreflightFinding[] {
  return [...findings.filter((finding) => finding.verdict === 'fail'), ...findings.filter((finding) => finding.verdict === 'warn')];
}
