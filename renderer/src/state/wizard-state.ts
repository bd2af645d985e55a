import { z } from 'zod';

import type { JobSpec } from '../../../electron/contract/index.js';

/**
 * The end-user wizard's answers, kept in localStorage so closing the app (or reloading the page)
 * and coming back lands on the same step. No secret is ever part of it: passwords and sign-ins go
 * through the engine's prompts straight to the keychain.
 */
export const wizardSteps = ['welcome', 'target', 'sources', 'preflight', 'preview', 'progress', 'done'] as const;
export type WizardStep = (typeof wizardSteps)[number];

const wizardStateSchema = z.object({
  version: z.literal(1),
  step: z.enum(wizardSteps),
  target: z.object({
    kind: z.enum(['m365', 'exchange', 'folder']),
    mailbox: z.string(),
    ewsUrl: z.string(),
    auth: z.enum(['basic', 'ntlm']),
    folder: z.string(),
    /** Microsoft 365 only: the technician's Entra app registration, when the build carries no default (app:info signInConfigured). Not a secret. */
    clientId: z.string().optional(),
  }),
  source: z.object({
    kind: z.enum(['files', 'imap']),
    files: z.array(z.string()),
    manualPath: z.string(),
    imap: z.object({
      provider: z.string(),
      host: z.string(),
      port: z.number().int(),
      security: z.enum(['tls', 'starttls']),
      user: z.string(),
      /** A PEM file to trust for a server with its own certificate (a technician's setting). */
      ca: z.string().default(''),
    }),
    /** Outlook autocomplete lists (.nk2 / Stream_Autocomplete_*.dat) to bring, ticked from discovery. */
    autocomplete: z.array(z.string()).default([]),
    /** One typed by hand, where discovery cannot look (browser mode, not Windows). */
    autocompleteManual: z.string().default(''),
    /** Discovery's lists were pre-ticked once; unticking one afterwards must stick. */
    autocompleteOffered: z.boolean().default(false),
  }),
  planId: z.string().optional(),
  jobId: z.number().int().optional(),
  /** The autocomplete jobs started alongside the mail job, one per list. */
  autocompleteJobIds: z.array(z.number().int()).optional(),
  /** Lists whose job could not start, with the reason, for the done screen to say. */
  autocompleteProblems: z.array(z.string()).optional(),
});
export type WizardState = z.infer<typeof wizardStateSchema>;

export const initialWizardState: WizardState = {
  version: 1,
  step: 'welcome',
  target: { kind: 'm365', mailbox: '', ewsUrl: '', auth: 'basic', folder: '', clientId: '' },
  source: {
    kind: 'files',
    files: [],
    manualPath: '',
    imap: { provider: 'gmail', host: 'imap.gmail.com', port: 993, security: 'tls', user: '', ca: '' },
    autocomplete: [],
    autocompleteManual: '',
    autocompleteOffered: false,
  },
};

export const wizardStorageKey = 'cloudward.wizard.v1';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A damaged or older saved state starts the wizard afresh instead of breaking it. */
export function loadWizardState(storage: StorageLike | undefined): WizardState {
  try {
    const saved = storage?.getItem(wizardStorageKey);
    if (saved == null) return initialWizardState;
    const parsed = wizardStateSchema.safeParse(JSON.parse(saved));
    return parsed.success ? parsed.data : initialWizardState;
  } catch {
    return initialWizardState;
  }
}

export function saveWizardState(storage: StorageLike | undefined, state: WizardState): void {
  try {
    storage?.setItem(wizardStorageKey, JSON.stringify(state));
  } catch {
    // A full or disabled storage only costs the resume-after-close convenience.
  }
}

/** Microsoft 365 as a target: Graph at its default endpoint (graph.microsoft.com). */
export const exchangeOnlineGraph = 'graph:';

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const isEmail = (value: string): boolean => emailPattern.test(value.trim());

/** https, or plain http only on this PC itself (a test server or an SSH tunnel): passwords never cross a network in clear. */
export function isEwsUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}

/** An Entra Application (client) ID: a GUID, as the Azure portal shows it. */
export const isClientId = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim());

export type TargetProblem = 'mailbox' | 'ewsUrl' | 'folder' | 'clientId' | undefined;
/** `needsClientId`: the service has no default app registration (app:info signInConfigured false), so one must be typed. */
export function targetProblem(target: WizardState['target'], needsClientId = false): TargetProblem {
  if (target.kind === 'folder') return target.folder.trim() === '' ? 'folder' : undefined;
  if (!isEmail(target.mailbox)) return 'mailbox';
  if (target.kind === 'exchange' && !isEwsUrl(target.ewsUrl)) return 'ewsUrl';
  if (target.kind === 'm365' && (needsClientId || (target.clientId ?? '').trim() !== '') && !isClientId(target.clientId ?? '')) return 'clientId';
  return undefined;
}

export type SourceProblem = 'files' | 'host' | 'user' | undefined;
export function sourceProblem(source: WizardState['source']): SourceProblem {
  if (source.kind === 'files') return sourceFiles(source).length === 0 ? 'files' : undefined;
  if (!/^[a-z0-9.-]+$/i.test(source.imap.host.trim())) return 'host';
  return source.imap.user.trim() === '' ? 'user' : undefined;
}

/** The PST/OST files picked from the list plus the one typed by hand, in that order, no repeats. */
export function sourceFiles(source: WizardState['source']): string[] {
  const typed = source.manualPath.trim();
  return [...new Set([...source.files, ...(typed === '' ? [] : [typed])])];
}

/** The wizard's answers as the same spec the CLI takes (`--source`, `--target`, options). */
export function buildJobSpec(state: WizardState): JobSpec {
  const options: Record<string, string> = {};
  let target: string;
  switch (state.target.kind) {
    case 'm365': {
      // Exchange Online blocks EWS by default since 2026-10-01 (retired 2027-04-01): Graph is the way in.
      target = exchangeOnlineGraph;
      options.targetMailbox = state.target.mailbox.trim();
      options.targetAuth = 'device-code';
      // Only when typed: otherwise the service fills in the app's own registration.
      const clientId = (state.target.clientId ?? '').trim();
      if (clientId !== '') options.clientId = clientId;
      break;
    }
    case 'exchange':
      target = `ews:${state.target.ewsUrl.trim()}`;
      options.targetMailbox = state.target.mailbox.trim();
      options.targetAuth = state.target.auth;
      break;
    case 'folder':
      target = `dir:${state.target.folder.trim()}`;
      break;
  }
  let source: string;
  if (state.source.kind === 'files') {
    source = `pst:${sourceFiles(state.source).join(',')}`;
  } else {
    const { host, port, security, user, ca } = state.source.imap;
    if (ca.trim() !== '') options.sourceCa = ca.trim();
    const scheme = security === 'tls' ? 'imaps' : 'imap';
    const defaultPort = security === 'tls' ? 993 : 143;
    source = `${scheme}://${encodeURIComponent(user.trim())}@${host.trim()}${port === defaultPort ? '' : `:${port}`}`;
  }
  return { source, target, options };
}

/** The autocomplete lists ticked plus the one typed by hand, in that order, no repeats. */
export function autocompleteFiles(source: WizardState['source']): string[] {
  const typed = source.autocompleteManual.trim();
  return [...new Set([...source.autocomplete, ...(typed === '' ? [] : [typed])])];
}

/**
 * One job per chosen autocomplete list, into the same mailbox with the same target and options as the
 * mail job: the target merges each into the mailbox's one autocomplete list after its items.
 */
export function buildAutocompleteJobSpecs(state: WizardState): JobSpec[] {
  const mail = buildJobSpec(state);
  // The mail source's own settings (an IMAP server's certificate) mean nothing to a file on this PC.
  const options = { ...mail.options };
  delete options.sourceCa;
  return autocompleteFiles(state.source).map((file) => ({ ...mail, source: `nk2:${file}`, options: { ...options } }));
}
