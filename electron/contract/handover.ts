import { z } from 'zod';

import { errorInfoSchema } from './errors.js';

/**
 * Handover: when a PC goes to a new user, clean the old user's Office licences, cached identities and
 * Office credentials. Inventory (what is on the PC) → plan (every removal with why, and a confirm
 * token) → run (backup first, then each step with its result) → verify (inventory again, what is
 * left). Nothing outside an allow-list of locations can enter a plan. Secrets never cross this
 * contract: credentials travel by target name only.
 */

export const officeVersions = ['15.0', '16.0'] as const;

export const officeInstallSchema = z.object({
  kind: z.enum(['click-to-run', 'msi']),
  /** 15.0 = Office 2013, 16.0 = 2016 and later (2019, 2021, 2024, Microsoft 365). */
  version: z.enum(officeVersions),
  bitness: z.enum(['32', '64', 'unknown']),
  installPath: z.string().optional(),
  /** Where OSPP.VBS lives, when it exists (product keys are listed and removed through it). */
  osppPath: z.string().optional(),
  /** Click-to-Run: the products installed (O365ProPlusRetail, ...). */
  productReleaseIds: z.array(z.string()),
  displayVersion: z.string().optional(),
});
export type OfficeInstall = z.infer<typeof officeInstallSchema>;

export const licensingModes = ['vnext', 'device', 'legacy', 'unknown'] as const;
export type LicensingMode = (typeof licensingModes)[number];

export const licensingSchema = z.object({
  /** The PC's overall mode: vNext when any product is in vNext mode, device when any is device-licensed. */
  mode: z.enum(licensingModes),
  perProduct: z.array(z.object({ productReleaseId: z.string(), mode: z.enum(licensingModes), hive: z.string() })),
  sharedComputerActivation: z.boolean(),
});
export type Licensing = z.infer<typeof licensingSchema>;

export const productKeySchema = z.object({
  lastFive: z.string().regex(/^[A-Z0-9]{5}$/),
  licenseName: z.string(),
  status: z.string().optional(),
  skuId: z.string().optional(),
  /** The OSPP.VBS that listed it (and will run /unpkey). */
  osppPath: z.string(),
});
export type ProductKey = z.infer<typeof productKeySchema>;

export const identitySchema = z.object({
  /** The key of the identity, e.g. HKCU\Software\Microsoft\Office\16.0\Common\Identity\Identities\<id>_ADAL. */
  key: z.string(),
  /** HKCU, or HKEY_USERS\<SID> for another profile. */
  hive: z.string(),
  officeVersion: z.enum(officeVersions),
  id: z.string(),
  email: z.string().optional(),
  friendlyName: z.string().optional(),
  provider: z.string().optional(),
});
export type Identity = z.infer<typeof identitySchema>;

export const vnextLicenseSchema = z.object({
  file: z.string(),
  scope: z.enum(['user', 'device']),
  licenseId: z.string().optional(),
  product: z.string().optional(),
  licenseType: z.string().optional(),
  userId: z.string().optional(),
  /** From the matching identity (Identities\<UserId>*), as vNextDiag does. */
  email: z.string().optional(),
  tenantId: z.string().optional(),
  notBefore: z.string().optional(),
  notAfter: z.string().optional(),
  /** Why the file could not be decoded, when it could not. */
  unreadable: z.string().optional(),
});
export type VnextLicense = z.infer<typeof vnextLicenseSchema>;

export const credentialSchema = z.object({
  /** As Credential Manager's API names it, e.g. MicrosoftOffice16_Data:ADAL:<guid>. Never the secret. */
  target: z.string(),
  type: z.string(),
  userName: z.string().optional(),
});
export type Credential = z.infer<typeof credentialSchema>;

export const folderSchema = z.object({
  path: z.string(),
  files: z.number().int(),
  bytes: z.number(),
  purpose: z.string(),
});
export type FolderInfo = z.infer<typeof folderSchema>;

export const registryLocationSchema = z.object({
  key: z.string(),
  /** Absent: the whole key (with its subkeys). */
  valueName: z.string().optional(),
  purpose: z.string(),
});
export type RegistryLocation = z.infer<typeof registryLocationSchema>;

export const profileSchema = z.object({
  sid: z.string(),
  profilePath: z.string().optional(),
  /** Its hive is loaded under HKEY_USERS (the user is signed in, or shared computer activation). */
  loaded: z.boolean(),
});
export type Profile = z.infer<typeof profileSchema>;

export const inventorySchema = z.object({
  takenAt: z.string(),
  /** live: read from this PC; capture: from a folder saved on the PC by `handover capture`. */
  source: z.enum(['live', 'capture', 'simulated']),
  computerName: z.string().optional(),
  user: z.object({ name: z.string().optional(), sid: z.string().optional() }),
  isAdmin: z.boolean(),
  installs: z.array(officeInstallSchema),
  licensing: licensingSchema,
  productKeys: z.array(productKeySchema),
  identities: z.array(identitySchema),
  vnextLicenses: z.array(vnextLicenseSchema),
  credentials: z.array(credentialSchema),
  registry: z.array(registryLocationSchema),
  folders: z.array(folderSchema),
  /** Folders that hold every DPAPI-protected secret of the user: only removed behind an explicit switch. */
  credentialStore: z.array(folderSchema),
  otherProfiles: z.array(profileSchema),
  runningOfficeApps: z.array(z.object({ name: z.string(), pid: z.number().int() })),
  warnings: z.array(z.string()),
});
export type HandoverInventory = z.infer<typeof inventorySchema>;

export const planStepKinds = ['unpkey', 'delete-registry-key', 'delete-registry-value', 'delete-credential', 'delete-folder'] as const;
export type PlanStepKind = (typeof planStepKinds)[number];

export const planStepSchema = z.object({
  /** Stable within a plan: s01, s02, ... */
  id: z.string(),
  kind: z.enum(planStepKinds),
  /** What is removed: a key, a key plus value, a credential target, a folder, or the last five characters of a product key. */
  target: z.string(),
  valueName: z.string().optional(),
  /** unpkey: the OSPP.VBS that runs it. */
  osppPath: z.string().optional(),
  /** Why, in plain words, for the technician and the customer's report. */
  why: z.string(),
  needsElevation: z.boolean(),
  /** Part of the user's whole credential store: only with includeCredentialStore. */
  credentialStore: z.boolean().optional(),
  /** The exact command or API call a run makes for this step (what a dry run shows). */
  command: z.string().optional(),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const planSchema = z.object({
  createdAt: z.string(),
  /** Hash of the steps: handover:run refuses a token that no longer matches the PC. */
  confirmToken: z.string(),
  includeCredentialStore: z.boolean(),
  steps: z.array(planStepSchema),
  /** Things the technician must know first: Office running, steps needing an administrator, the credential store switch. */
  warnings: z.array(z.string()),
  inventory: inventorySchema,
});
export type HandoverPlan = z.infer<typeof planSchema>;

export const stepStatuses = ['done', 'would-do', 'already-gone', 'failed', 'skipped'] as const;

export const stepResultSchema = z.object({
  stepId: z.string(),
  kind: z.enum(planStepKinds),
  target: z.string(),
  valueName: z.string().optional(),
  status: z.enum(stepStatuses),
  /** Where the backup of this item went (a .reg file, a folder copy, the credential name list). */
  backup: z.string().optional(),
  error: errorInfoSchema.optional(),
});
export type StepResult = z.infer<typeof stepResultSchema>;

export const runResultSchema = z.object({
  runId: z.string(),
  dryRun: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  backupDir: z.string().optional(),
  plan: planSchema,
  results: z.array(stepResultSchema),
  /** The inventory taken again after the run. */
  after: inventorySchema,
  /** Allow-listed items still on the PC after the run (empty = clean). */
  remaining: z.array(z.string()),
  clean: z.boolean(),
});
export type HandoverRunResult = z.infer<typeof runResultSchema>;

const scopeFields = {
  /** Another profile (HKEY_USERS\<SID>) instead of the signed-in user. */
  user: z
    .string()
    .regex(/^S-1-[0-9-]+$/, 'a SID such as S-1-5-21-...')
    .optional(),
  /** A folder saved by `cloudward handover capture`: inventory and plan from it, on any OS. */
  fromCapture: z.string().min(1).optional(),
};

export const handoverInventoryRequestSchema = z.object(scopeFields).strict();
export const handoverPlanRequestSchema = z
  .object({ ...scopeFields, includeCredentialStore: z.boolean().default(false) })
  .strict();
export const handoverRunRequestSchema = z
  .object({
    user: scopeFields.user,
    /** From handover:plan; a run refuses a plan the PC no longer matches. */
    confirmToken: z.string().min(1),
    dryRun: z.boolean().default(false),
    /** Folder the timestamped backup goes under (default: the data folder's handover-backups). */
    backupDir: z.string().min(1).optional(),
    includeCredentialStore: z.boolean().default(false),
  })
  .strict();
export const handoverReportRequestSchema = z
  .object({ runId: z.string().min(1), format: z.enum(['html', 'text']).default('html') })
  .strict();

export const handoverCommands = {
  'handover:inventory': { request: handoverInventoryRequestSchema, response: inventorySchema },
  'handover:plan': { request: handoverPlanRequestSchema, response: planSchema },
  'handover:run': { request: handoverRunRequestSchema, response: runResultSchema },
  'handover:report': {
    request: handoverReportRequestSchema,
    response: z.object({ format: z.enum(['html', 'text']), content: z.string(), file: z.string().optional() }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** One per step while a run goes, so the screen can tick them off. */
export const handoverStepEventSchema = z.object({
  type: z.literal('handover-step'),
  runId: z.string(),
  result: stepResultSchema,
});
export type HandoverStepEvent = z.infer<typeof handoverStepEventSchema>;

export const handoverEventSchemas = [handoverStepEventSchema] as const satisfies readonly z.ZodObject<{ type: z.ZodLiteral<string> }>[];
