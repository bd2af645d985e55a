import { CloudwardError } from '../../contract/index.js';
import { emlSourceSpec } from '../sources/eml/eml-spec.js';
import { imapSourceSpec } from '../sources/imap/imap-spec.js';
import { pstSourceSpec } from '../sources/pst/pst-spec.js';
import { dirTargetSpec } from '../targets/dir/dir-spec.js';
import { ewsTargetSpec } from '../targets/ews/ews-spec.js';
import { type SourceSpecHandler, splitSpec, type TargetSpecHandler } from './spec.js';

/** Every source and target the command line knows, by scheme. */
export const sourceSpecs: SourceSpecHandler[] = [emlSourceSpec, pstSourceSpec, imapSourceSpec];
export const targetSpecs: TargetSpecHandler[] = [dirTargetSpec, ewsTargetSpec];

function find<H extends { schemes: readonly string[]; validate(spec: string): void }>(handlers: readonly H[], spec: string, role: 'source' | 'target'): { handler: H; rest: string } {
  const parts = splitSpec(spec);
  const handler = parts ? handlers.find((candidate) => candidate.schemes.includes(parts.scheme)) : undefined;
  if (!parts || !handler) {
    const known = handlers.flatMap((candidate) => candidate.schemes.map((scheme) => `${scheme}:`)).join(', ');
    throw new CloudwardError('BAD_ARGUMENTS', `Unknown ${role} "${spec}": use one of ${known}`);
  }
  // Handlers get the whole spec and read their own scheme: `imaps://…` needs it, `pst:a,b` does not mind.
  handler.validate(spec);
  return { handler, rest: spec };
}

export function resolveSource(spec: string): { handler: SourceSpecHandler; rest: string } {
  return find(sourceSpecs, spec, 'source');
}

export function resolveTarget(spec: string): { handler: TargetSpecHandler; rest: string } {
  return find(targetSpecs, spec, 'target');
}
