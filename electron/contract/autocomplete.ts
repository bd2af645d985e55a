import { z } from 'zod';

/**
 * Autocomplete commands and models (their own issue fills this in). Each entry: { request, response }
 * zod schemas; commands.ts merges this table into the one routing table every client uses.
 */
export const autocompleteCommands = {} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType }>;

/** Events this room emits besides the job events (e.g. a check finished); keyed by `type`. */
export const autocompleteEventSchemas = [] as const satisfies readonly z.ZodObject<{ type: z.ZodLiteral<string> }>[];
