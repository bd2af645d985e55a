import { z } from 'zod';

import { errorInfoSchema } from './errors.js';

/**
 * One message envelope for every wire between a client and the service: the Electron utility
 * process's port, the browser-mode host's HTTP + event stream, and the CLI's in-process link. The
 * payloads inside are validated against the routing table (commands.ts) on both sides.
 */
export const envelopeVersion = 1;

export const resultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: errorInfoSchema }),
]);
export type ServiceResult<T = unknown> = { ok: true; value: T } | { ok: false; error: z.infer<typeof errorInfoSchema> };

export const requestEnvelopeSchema = z.object({
  v: z.literal(envelopeVersion),
  kind: z.literal('request'),
  id: z.number().int().nonnegative(),
  command: z.string().min(1).max(100),
  payload: z.unknown(),
});
export const replyEnvelopeSchema = z.object({
  v: z.literal(envelopeVersion),
  kind: z.literal('reply'),
  id: z.number().int().nonnegative(),
  result: resultSchema,
});
export const eventEnvelopeSchema = z.object({
  v: z.literal(envelopeVersion),
  kind: z.literal('event'),
  event: z.unknown(),
});
export const envelopeSchema = z.discriminatedUnion('kind', [requestEnvelopeSchema, replyEnvelopeSchema, eventEnvelopeSchema]);

export type RequestEnvelope = z.infer<typeof requestEnvelopeSchema>;
export type ReplyEnvelope = z.infer<typeof replyEnvelopeSchema>;
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;
export type Envelope = z.infer<typeof envelopeSchema>;
