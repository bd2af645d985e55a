import {
  CloudwardError,
  envelopeVersion,
  parseResponse,
  type ServiceCommand,
  type ServiceRequest,
  type ServiceResponse,
} from '../contract/index.js';
import type { Dispatcher } from '../engine/service/index.js';

export interface ServiceClient {
  request<C extends ServiceCommand>(command: C, payload: ServiceRequest<C>): Promise<ServiceResponse<C>>;
}

/**
 * The CLI's link to the service: the same request/reply envelopes as the Electron port and the browser
 * host, in-process. The answer is validated on arrival too, and an error reply is thrown as the
 * CloudwardError it describes (its code decides the exit code).
 */
export function inProcessClient(dispatch: Dispatcher): ServiceClient {
  let next = 1;
  return {
    async request(command, payload) {
      const reply = await dispatch({ v: envelopeVersion, kind: 'request', id: next++, command, payload });
      if (!reply.result.ok) {
        const { code, message, retryable, retryAfterMs, item } = reply.result.error;
        throw new CloudwardError(code, message, { retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}), ...(item !== undefined ? { item } : {}) });
      }
      return parseResponse(command, reply.result.value);
    },
  };
}
