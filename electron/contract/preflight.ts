import { z } from 'zod';

/**
 * Preflight: DNS, mail routing and connectivity checks for one domain, before and after the cutover.
 * Each check is a finding (never an error): a verdict, the evidence seen and a one-sentence fix. Runs
 * and their findings are kept in the ledger per domain, so the app and the report can set the run
 * before the cutover beside the run after it.
 */

export const preflightVerdicts = ['pass', 'warn', 'fail', 'skip'] as const;
export type PreflightVerdict = (typeof preflightVerdicts)[number];

export const preflightPhases = ['before', 'after'] as const;
export type PreflightPhase = (typeof preflightPhases)[number];

/** Groups the app shows as sections, in this order. */
export const preflightAreas = ['dns', 'smtp', 'source', 'target'] as const;
export type PreflightArea = (typeof preflightAreas)[number];

export const preflightFindingSchema = z.object({
  /** Stable id, e.g. `dns.mx`, `dns.spf.all`, `smtp.auth`, `imap.size`, `ews.access`. */
  checkId: z.string().min(1),
  area: z.enum(preflightAreas),
  verdict: z.enum(preflightVerdicts),
  /** What was checked, in plain words ("SPF allows Microsoft 365 to send"). */
  title: z.string(),
  /** The records or answers seen, one per line, as the server gave them. */
  evidence: z.array(z.string()),
  /** One sentence: what to do. Absent on a pass. */
  fix: z.string().optional(),
});
export type PreflightFinding = z.infer<typeof preflightFindingSchema>;

export const preflightSummarySchema = z.object({
  pass: z.number().int(),
  warn: z.number().int(),
  fail: z.number().int(),
  skip: z.number().int(),
});
export type PreflightSummary = z.infer<typeof preflightSummarySchema>;

const hostPort = z.string().min(1).max(300);

/** What to check. Holds no secrets: passwords and tokens come from the keychain or the environment. */
export const preflightRequestSchema = z
  .object({
    domain: z
      .string()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+\.?$/, 'a domain name such as example.com'),
    phase: z.enum(preflightPhases).default('before'),
    /** `host:port` of the DNS server to ask; the system's resolvers when absent. */
    dnsServer: hostPort.optional(),
    /** Mail for the domain is (or will be) sent through Microsoft 365: SPF must include it. Default true. */
    sendsThroughMicrosoft365: z.boolean().default(true),
    /** The old server's or ISP's sender still in use during a hybrid period (an SPF include, ip4:/ip6:, a: or mx term). */
    legacySender: z.string().max(300).optional(),
    /** Mail submission host[:port] (default smtp.office365.com:587); `false` skips the check. */
    smtp: z.union([hostPort, z.literal(false)]).optional(),
    /** Account for SMTP AUTH; its password comes from the keychain or CLOUDWARD_SMTP_PASSWORD. */
    smtpUser: z.string().max(320).optional(),
    /** Send one test message to this address after AUTH succeeds. */
    sendTestTo: z.email().max(320).optional(),
    /** A device that can only send on port 25 without TLS: test the chosen route. */
    legacyDevice: z.enum(['direct-send', 'relay']).optional(),
    /** host[:port] the relay connector is reached at (default: the domain's MX host). */
    relayHost: hostPort.optional(),
    /** IMAP source: an imap:// or imaps:// spec (user@host[:port]); its password from the keychain or CLOUDWARD_SOURCE_PASSWORD. */
    imap: z.string().max(500).optional(),
    /** Target spec (ews:…, graph:…), checked with the target's own sign-in. */
    target: z.string().max(500).optional(),
    /** The job's non-secret spec options, as the migration will use them: targetMailbox, targetAuth, tenant, clientId for the target; adminUser, loginFormat, sourceCa for the IMAP source. */
    targetOptions: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Trust this PEM file (a server's self-signed certificate) for the SMTP and IMAP checks. */
    caFile: z.string().optional(),
  })
  .strict();
export type PreflightRequest = z.input<typeof preflightRequestSchema>;
export type ParsedPreflightRequest = z.output<typeof preflightRequestSchema>;

export const preflightRunSchema = z.object({
  runId: z.number().int(),
  domain: z.string(),
  phase: z.enum(preflightPhases).optional(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  findings: z.array(preflightFindingSchema),
  summary: preflightSummarySchema,
});
export type PreflightRun = z.infer<typeof preflightRunSchema>;

export const preflightCommands = {
  /** Runs every check that applies; a `preflight-check` event follows each one as it finishes. */
  'preflight:run': { request: preflightRequestSchema, response: preflightRunSchema },
  /** Earlier runs for a domain, newest first, with their findings: before and after the cutover side by side. */
  'preflight:history': {
    request: z.object({ domain: z.string().min(1).max(253), limit: z.number().int().min(1).max(100).default(20) }).strict(),
    response: z.object({ runs: z.array(preflightRunSchema) }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** A run began: the checks it will make, so the app can list them before their answers arrive. */
export const preflightStartedEventSchema = z.object({
  type: z.literal('preflight-started'),
  runId: z.number().int(),
  domain: z.string(),
  phase: z.enum(preflightPhases),
  checks: z.array(z.object({ checkId: z.string(), area: z.enum(preflightAreas), title: z.string() })),
});
/** One check finished (it is already in the ledger). */
export const preflightCheckEventSchema = z.object({
  type: z.literal('preflight-check'),
  runId: z.number().int(),
  finding: preflightFindingSchema,
});
export const preflightFinishedEventSchema = z.object({
  type: z.literal('preflight-finished'),
  runId: z.number().int(),
  summary: preflightSummarySchema,
});
export type PreflightEvent =
  | z.infer<typeof preflightStartedEventSchema>
  | z.infer<typeof preflightCheckEventSchema>
  | z.infer<typeof preflightFinishedEventSchema>;

/** Events this room emits besides the job events; keyed by `type`. */
export const preflightEventSchemas = [
  preflightStartedEventSchema,
  preflightCheckEventSchema,
  preflightFinishedEventSchema,
] as const satisfies readonly z.ZodObject<{ type: z.ZodLiteral<string> }>[];
