import {
  envelopeVersion,
  isServiceCommand,
  parseRequest,
  parseResponse,
  type ReplyEnvelope,
  requestEnvelopeSchema,
  type ServiceHandlers,
  toCloudwardError,
} from '../../contract/index.js';

export type Dispatcher = (request: unknown) => Promise<ReplyEnvelope>;

/**
 * One request envelope in, one reply envelope out, whatever the wire (Electron's port, the browser
 * host's HTTP, the CLI in-process). The request is checked against the routing table before a handler
 * sees it and the answer before it leaves; every failure becomes an ErrorInfo in the reply: this never
 * throws, so no wire ever carries a stack trace or hangs on a rejected promise.
 */
export function createDispatcher(handlers: ServiceHandlers): Dispatcher {
  return async (raw) => {
    const envelope = requestEnvelopeSchema.safeParse(raw);
    const id = envelope.success ? envelope.data.id : typeof (raw as { id?: unknown } | null)?.id === 'number' ? Math.max(0, Math.trunc((raw as { id: number }).id)) : 0;
    try {
      if (!envelope.success) {
        return fail(id, { code: 'IPC_INVALID_REQUEST', message: 'Not a request envelope (v, kind: "request", id, command, payload)', retryable: false });
      }
      const { command, payload } = envelope.data;
      if (!isServiceCommand(command)) return fail(id, { code: 'IPC_INVALID_REQUEST', message: `Unknown command "${command}"`, retryable: false });
      const request = parseRequest(command, payload);
      const handler = handlers[command] as (request: unknown) => Promise<unknown>;
      const value = parseResponse(command, await handler(request));
      return { v: envelopeVersion, kind: 'reply', id, result: { ok: true, value } };
    } catch (error) {
      return fail(id, toCloudwardError(error).toInfo());
    }
  };
}

function fail(id: number, error: ReplyEnvelope['result'] extends infer R ? (R extends { ok: false; error: infer E } ? E : never) : never): ReplyEnvelope {
  return { v: envelopeVersion, kind: 'reply', id, result: { ok: false, error } };
}
