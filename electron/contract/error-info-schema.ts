import { z } from 'zod';

import { errorCatalogue, type ErrorCode, type ErrorInfo } from './error-catalogue.js';

const errorCodes = Object.keys(errorCatalogue) as [ErrorCode, ...ErrorCode[]];

/** An error as it crosses a process or a wire: what reports, the CLI's --json and the UI all show. */
export const errorInfoSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryable: z.boolean(),
  /** Server's own back-off hint, when it gave one. */
  retryAfterMs: z.number().optional(),
  /** The item (source key) the error concerns, when it concerns one. */
  item: z.string().optional(),
});

// Compile-time check that the zod-free ErrorInfo and this schema describe the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<z.infer<typeof errorInfoSchema>, ErrorInfo> = true;
void sameShape;

