import { z } from 'zod';

/** Outlook's files on this PC, as the wizard offers them: data files and autocomplete lists. */
export const discoveredFileKinds = ['pst', 'ost', 'nk2', 'autocomplete'] as const;

export const discoveredFileSchema = z.object({
  /** Full Windows path. */
  path: z.string(),
  /** pst / ost: data files; nk2: Outlook 2003/2007 autocomplete; autocomplete: Outlook 2010+ RoamCache stream. */
  kind: z.enum(discoveredFileKinds),
  bytes: z.number().int().nonnegative(),
  /** Last write, ISO 8601. */
  modified: z.string(),
  /** The Outlook profile that uses the file, when the profile (registry or file name) says so. */
  profile: z.string().optional(),
  /** Autocomplete entries in an nk2/autocomplete file. */
  entries: z.number().int().nonnegative().optional(),
  /** Why the file could not be read (a damaged list, a path in a profile that no longer exists). */
  problem: z.string().optional(),
  /** Where it was found: a known folder, or a profile's registry entry. */
  foundBy: z.enum(['folder', 'profile']),
});
export type DiscoveredFile = z.infer<typeof discoveredFileSchema>;

export const discoveryResultSchema = z.object({
  /** False where Outlook's files cannot be looked for (not Windows): then `files` is empty. */
  platformSupported: z.boolean(),
  /** Outlook profile names found in the registry (Office 16.0 and 15.0, and Windows Messaging Subsystem). */
  profiles: z.array(z.string()),
  files: z.array(discoveredFileSchema),
});
export type DiscoveryResult = z.infer<typeof discoveryResultSchema>;

/**
 * Discovery commands and models. Each entry: { request, response } zod schemas; commands.ts merges this
 * table into the one routing table every client uses.
 */
export const discoveryCommands = {
  'outlook:discover': { request: z.object({}).strict(), response: discoveryResultSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Events this room emits besides the job events (e.g. a check finished); keyed by `type`. */
export const discoveryEventSchemas = [] as const satisfies readonly z.ZodObject<{ type: z.ZodLiteral<string> }>[];
