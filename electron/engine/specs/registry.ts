import { CloudwardError } from '../../contract/index.js';
import { type SourceSpecHandler, splitSpec, type TargetSpecHandler } from './spec.js';

interface LazyHandler<H> {
  readonly schemes: readonly string[];
  load(): Promise<H>;
}

/**
 * Every source and target the command line knows, by scheme. Each is loaded only when its scheme is
 * used: the EWS stack alone (ews-javascript-api, MSAL, moment-timezone) weighs about 50 MB of memory
 * and half a second of start-up that an eml: to dir: job has no use for.
 */
export const sourceSpecs: readonly LazyHandler<SourceSpecHandler>[] = [
  { schemes: ['eml', 'maildir'], load: async () => (await import('../sources/eml/eml-spec.js')).emlSourceSpec },
  { schemes: ['pst'], load: async () => (await import('../sources/pst/pst-spec.js')).pstSourceSpec },
  { schemes: ['imap', 'imaps'], load: async () => (await import('../sources/imap/imap-spec.js')).imapSourceSpec },
  { schemes: ['nk2'], load: async () => (await import('../sources/nk2/nk2-spec.js')).nk2SourceSpec },
];
export const targetSpecs: readonly LazyHandler<TargetSpecHandler>[] = [
  { schemes: ['dir'], load: async () => (await import('../targets/dir/dir-spec.js')).dirTargetSpec },
  { schemes: ['ews'], load: async () => (await import('../targets/ews/ews-spec.js')).ewsTargetSpec },
  { schemes: ['graph'], load: async () => (await import('../targets/graph/graph-spec.js')).graphTargetSpec },
];

async function find<H extends { validate(spec: string): void }>(handlers: readonly LazyHandler<H>[], spec: string, role: 'source' | 'target'): Promise<{ handler: H; rest: string }> {
  const parts = splitSpec(spec);
  const lazy = parts ? handlers.find((candidate) => candidate.schemes.includes(parts.scheme)) : undefined;
  if (!parts || !lazy) {
    const known = handlers.flatMap((candidate) => candidate.schemes.map((scheme) => `${scheme}:`)).join(', ');
    throw new CloudwardError('BAD_ARGUMENTS', `Unknown ${role} "${spec}": use one of ${known}`);
  }
  const handler = await lazy.load();
  // Handlers get the whole spec and read their own scheme: `imaps://…` needs it, `pst:a,b` does not mind.
  handler.validate(spec);
  return { handler, rest: spec };
}

export function resolveSource(spec: string): Promise<{ handler: SourceSpecHandler; rest: string }> {
  return find(sourceSpecs, spec, 'source');
}

export function resolveTarget(spec: string): Promise<{ handler: TargetSpecHandler; rest: string }> {
  return find(targetSpecs, spec, 'target');
}
