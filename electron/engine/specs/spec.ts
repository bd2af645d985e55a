import { resolve } from 'node:path';

import type { Source } from '../sources/source.js';
import type { Target } from '../targets/target.js';
import type { SecretProvider } from '../secrets/secret-provider.js';
import type { Logger } from '../log/logger.js';
import type { Prompter } from '../prompts/prompter.js';

/** Options from the command line (or the UI) that a spec handler may read; never secrets. */
export interface SpecOptions {
  /** --source-ca FILE: trust this certificate for the source server. */
  sourceCa?: string;
  /** --target-mailbox user@domain. */
  targetMailbox?: string;
  /** --target-auth basic|ntlm|device-code|client-credentials|token. */
  targetAuth?: string;
  /** --tenant, --client-id for OAuth. */
  tenant?: string;
  clientId?: string;
  /** --admin-user: an admin/master login used for every mailbox. */
  adminUser?: string;
  /** --login-format dovecot|sasl|exchange|mirapoint: how an admin login is combined with the user. */
  loginFormat?: string;
  /** --max-item-mb: the target's per-item size limit. */
  maxItemMb?: number;
  [key: string]: string | number | boolean | undefined;
}

export interface SpecContext {
  readonly secrets: SecretProvider;
  readonly log: Logger;
  readonly options: SpecOptions;
  /** Questions for a person (device code, a password the keychain lacks, a new token). */
  readonly prompter?: Prompter;
}

/** `scheme:rest` on the command line becomes a Source through one of these. */
export interface SourceSpecHandler {
  /** e.g. 'eml', 'pst', 'imap', 'imaps'. */
  readonly schemes: readonly string[];
  readonly usage: string;
  /** Checks the spec's form without touching the network or disk; throws BAD_ARGUMENTS. */
  validate(spec: string): void;
  create(spec: string, context: SpecContext): Source;
}

export interface TargetSpecHandler {
  readonly schemes: readonly string[];
  readonly usage: string;
  validate(spec: string): void;
  /** `mailbox` names the mailbox the target writes into, for multi-mailbox jobs (batch CSV). */
  create(spec: string, context: SpecContext, mailbox?: string): Target;
}

/** The part after `scheme:` for file-like specs (`eml:C:\Mail` → `C:\Mail`). */
export function specPath(spec: string): string {
  return splitSpec(spec)?.rest ?? spec;
}

/** Splits 'scheme:rest'; a Windows drive letter (C:\...) is not a scheme. */
export function splitSpec(spec: string): { scheme: string; rest: string } | undefined {
  const match = /^([a-z][a-z0-9+.-]*):(.*)$/is.exec(spec);
  if (!match || (match[1] ?? '').length < 2) return undefined;
  return { scheme: (match[1] ?? '').toLowerCase(), rest: match[2] ?? '' };
}

/** File-like specs are made absolute, so the same job is found again from another working directory. */
export function normalizeSpec(spec: string): string {
  const parts = splitSpec(spec);
  if (!parts || parts.rest.startsWith('//') || !['eml', 'maildir', 'dir', 'pst', 'ost', 'nk2'].includes(parts.scheme)) return spec;
  return `${parts.scheme}:${parts.rest.split(',').map((path) => resolve(path.trim())).join(',')}`;
}
