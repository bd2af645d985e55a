import { envelopeVersion, type ServiceCommand, type ServiceRequest, type ServiceResponse } from '../../electron/contract/index.js';
import type { ServiceHost } from '../../electron/cli/service-host.js';

let nextId = 1;

/** One request through the host's dispatcher, as a window sends it; a refused one throws "CODE: message". */
export async function callService<C extends ServiceCommand>(host: Pick<ServiceHost, 'dispatch'>, command: C, payload: ServiceRequest<C>): Promise<ServiceResponse<C>> {
  const reply = await host.dispatch({ v: envelopeVersion, kind: 'request', id: nextId++, command, payload });
  if (!reply.result.ok) throw new Error(`${reply.result.error.code}: ${reply.result.error.message}`);
  return reply.result.value as ServiceResponse<C>;
}
