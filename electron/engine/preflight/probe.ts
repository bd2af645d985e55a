import type { ParsedPreflightRequest, PreflightArea, PreflightFinding } from '../../contract/index.js';
import type { Logger } from '../log/logger.js';
import type { Prompter } from '../prompts/prompter.js';
import type { SecretProvider } from '../secrets/secret-provider.js';
import type { DnsLookup } from './dns-lookup.js';

export interface ProbeContext {
  readonly request: ParsedPreflightRequest;
  readonly dns: DnsLookup;
  readonly secrets: SecretProvider;
  readonly log: Logger;
  readonly prompter?: Prompter | undefined;
  readonly signal: AbortSignal;
}

/** One probe asks one thing of one server and answers a fixed set of checks (declared up front for the app). */
export interface PreflightProbe {
  readonly area: PreflightArea;
  readonly checks: readonly { readonly checkId: string; readonly title: string }[];
  run(context: ProbeContext): Promise<PreflightFinding[]>;
}

/** Builds the findings of one check: `verdict(evidence, fix)`. */
export function check(area: PreflightArea, checkId: string, title: string) {
  const make = (verdict: PreflightFinding['verdict']) => (evidence: readonly string[], fix?: string): PreflightFinding => ({
    checkId,
    area,
    verdict,
    title,
    evidence: [...evidence],
    ...(fix === undefined ? {} : { fix }),
  });
  return { checkId, title, pass: make('pass'), warn: make('warn'), fail: make('fail'), skip: make('skip') };
}
export type CheckBuilder = ReturnType<typeof check>;
