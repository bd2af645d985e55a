import { resolve } from 'node:path';

import { CloudwardError, type ParsedJobSpec } from '../../contract/index.js';
import type { Identity } from '../ledger/ledger.js';
import type { MailboxPlan } from '../pipeline/job-types.js';
import { resolveSource, resolveTarget } from '../specs/registry.js';
import { normalizeSpec, type SpecContext, type SpecOptions } from '../specs/spec.js';
import { mailboxIdentity } from './mailbox-identity.js';

/** A spec turned into what runJob takes: the job's ledger identity and one plan per mailbox. */
export interface BuiltJob {
  readonly source: string;
  readonly target: string;
  readonly identity: Identity;
  readonly plans: MailboxPlan[];
  readonly badRows: { line: number; reason: string }[];
  /** Runs after the job (a batch's --remove-passwords). */
  readonly cleanup: () => Promise<void>;
  /** Runs when the job starts, not at planning (a batch's passwords go to the keychain only then). */
  readonly beforeStart?: () => Promise<void>;
  /** Runs when a plan is dropped unstarted (expired): forgets what it held in memory. */
  readonly discard?: () => void;
}

/**
 * The spec's options as spec handlers read them (--target-mailbox → targetMailbox, ...). A device-code
 * sign-in without its own clientId gets the app's configured one, so the wizard (which has no
 * --client-id) is not a dead end; client-credentials never does: its secret belongs to the tenant's own app.
 */
export function specOptions(spec: ParsedJobSpec, defaultClientId?: string): SpecOptions {
  const options: SpecOptions = {};
  for (const [key, value] of Object.entries(spec.options)) options[key] = value;
  const deviceCode = typeof options.targetAuth === 'string' && options.targetAuth.toLowerCase() === 'device-code';
  const ownClientId = typeof options.clientId === 'string' && options.clientId.trim() !== '';
  if (deviceCode && !ownClientId && defaultClientId !== undefined && defaultClientId !== '') options.clientId = defaultClientId;
  return options;
}

export async function buildJob(spec: ParsedJobSpec, context: SpecContext): Promise<BuiltJob> {
  const source = await resolveSource(spec.source);
  const target = await resolveTarget(spec.target);
  const targetSpec = normalizeSpec(spec.target);
  const targetMailbox = typeof context.options.targetMailbox === 'string' ? context.options.targetMailbox : undefined;
  if (spec.batchCsv !== undefined) {
    // Loaded only for batches: it brings the IMAP stack, which other jobs need not pay for.
    const { planBatch } = await import('./batch-plans.js');
    const batch = await planBatch(spec.batchCsv, spec.source, target, context);
    if (batch.plans.length === 0) throw new CloudwardError('BAD_ARGUMENTS', `${spec.batchCsv} has no usable rows`);
    const jobSource = `batch:${resolve(spec.batchCsv)}|${spec.source}`;
    const hostIdentity = (await mailboxIdentity(spec.source, spec.target, undefined)).source;
    return {
      source: jobSource,
      target: targetSpec,
      identity: { source: `batch:${resolve(spec.batchCsv)}|${hostIdentity}`, target: batchTargetIdentity(targetSpec) },
      plans: batch.plans,
      badRows: batch.errors,
      cleanup: spec.removePasswords ? batch.removePasswords : async () => undefined,
      beforeStart: batch.persistPasswords,
      discard: batch.forgetPasswords,
    };
  }
  const sourceSpec = normalizeSpec(spec.source);
  const identity = await mailboxIdentity(sourceSpec, targetSpec, targetMailbox);
  return {
    source: sourceSpec,
    target: targetSpec,
    identity,
    plans: [
      {
        label: targetMailbox ?? source.rest,
        source: sourceSpec,
        target: targetSpec,
        identity,
        createSource: () => source.handler.create(source.rest, context),
        createTarget: () => target.handler.create(target.rest, context),
      },
    ],
    badRows: [],
    cleanup: async () => undefined,
  };
}

/** A batch writes into many mailboxes of one Exchange: ews: and graph: are the same store. */
function batchTargetIdentity(targetSpec: string): string {
  return /^(ews|graph):/i.test(targetSpec) ? 'exchange:batch' : targetSpec;
}
