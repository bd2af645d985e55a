import { z } from 'zod';

/** One entry of an autocomplete list as a person reads it. */
export const autocompleteEntryInfoSchema = z.object({
  address: z.string(),
  displayName: z.string().optional(),
  weight: z.number().int().optional(),
  /** The Exchange X.500 DN the entry held, when it held one. */
  x500: z.string().optional(),
  /** ok; x500-rewritten (SMTP address found in the same file); x500-unresolved (a new tenant cannot use it). */
  status: z.enum(['ok', 'x500-rewritten', 'x500-unresolved']),
});
export type AutocompleteEntryInfo = z.infer<typeof autocompleteEntryInfoSchema>;

export const autocompleteListSchema = z.object({
  path: z.string(),
  /** 10: NK2 (Outlook 2003/2007); 12: Outlook 2010+ stream. */
  version: z.number().int(),
  entries: z.array(autocompleteEntryInfoSchema),
});
export type AutocompleteList = z.infer<typeof autocompleteListSchema>;

/**
 * Autocomplete commands and models. Each entry: { request, response } zod schemas; commands.ts merges
 * this table into the one routing table every client uses.
 */
export const autocompleteCommands = {
  /** Reads an NK2 or Stream_Autocomplete_*.dat (e.g. one `outlook:discover` found) for the wizard to show. */
  'autocomplete:read': { request: z.object({ path: z.string().min(1) }).strict(), response: autocompleteListSchema },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Events this room emits besides the job events (e.g. a check finished); keyed by `type`. */
export const autocompleteEventSchemas = [] as const satisfies readonly z.ZodObject<{ type: z.ZodLiteral<string> }>[];
