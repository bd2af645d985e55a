import { z } from 'zod';

/**
 * Questions the engine needs a person to answer. The engine never reads a TTY or writes to stderr:
 * it emits a `prompt` event and waits for `prompt:answer` (the CLI answers on the terminal, the app
 * in a dialog). A prompt nobody can answer (--json with no terminal) is answered `cancelled`.
 */
export const promptBodySchema = z.discriminatedUnion('kind', [
  z.object({
    /** Show the code and the link; the answer only acknowledges (or cancels) the sign-in. */
    kind: z.literal('device-code'),
    message: z.string(),
    userCode: z.string(),
    verificationUri: z.string(),
    expiresAt: z.string().optional(),
  }),
  z.object({
    /** A password or token the keychain did not have. The answer carries it; it is never logged or stored in SQLite. */
    kind: z.literal('secret'),
    role: z.string(),
    account: z.string(),
    label: z.string(),
    /** Offer "remember in the keychain". */
    canRemember: z.boolean(),
  }),
  z.object({
    kind: z.literal('confirm'),
    title: z.string(),
    message: z.string(),
    confirmLabel: z.string().optional(),
    danger: z.boolean().optional(),
  }),
]);
export type PromptBody = z.infer<typeof promptBodySchema>;

export const promptEventSchema = z.object({
  type: z.literal('prompt'),
  promptId: z.string(),
  /** The job and mailbox that asked, when one did. */
  jobId: z.number().int().optional(),
  mailbox: z.string().optional(),
  prompt: promptBodySchema,
});
export type PromptEvent = z.infer<typeof promptEventSchema>;

/** The prompt was answered (by any client) or withdrawn: every other client closes its dialog. */
export const promptClosedEventSchema = z.object({
  type: z.literal('prompt-closed'),
  promptId: z.string(),
  outcome: z.enum(['answered', 'cancelled', 'expired', 'withdrawn']),
});
export type PromptClosedEvent = z.infer<typeof promptClosedEventSchema>;

export const promptAnswerSchema = z.object({
  promptId: z.string(),
  /** Secret prompts: the secret. Device code and confirm: absent. */
  value: z.string().optional(),
  /** Secret prompts: keep it in the keychain for next time. */
  remember: z.boolean().optional(),
  /** The person said no (or closed the dialog). */
  cancelled: z.boolean().optional(),
});
export type PromptAnswer = z.infer<typeof promptAnswerSchema>;
