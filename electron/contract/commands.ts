import { z } from 'zod';

import { CloudwardError } from './errors.js';
import { autocompleteCommands, autocompleteEventSchemas } from './autocomplete.js';
import { discoveryCommands, discoveryEventSchemas } from './discovery.js';
import { handoverCommands, handoverEventSchemas } from './handover.js';
import { jobCommands } from './jobs.js';
import { preflightCommands, preflightEventSchemas } from './preflight.js';
import { jobEventSchema } from './progress.js';
import { promptClosedEventSchema, promptEventSchema } from './prompts.js';

/**
 * The one routing table: every command any client (CLI, Electron utility process, browser-mode host)
 * can send to the service, with the schemas both sides validate. Rooms own their own tables.
 */
export const serviceCommands = {
  ...jobCommands,
  ...discoveryCommands,
  ...preflightCommands,
  ...handoverCommands,
  ...autocompleteCommands,
} as const;

export type ServiceCommand = keyof typeof serviceCommands;
export type ServiceRequest<C extends ServiceCommand> = z.input<(typeof serviceCommands)[C]['request']>;
export type ParsedServiceRequest<C extends ServiceCommand> = z.output<(typeof serviceCommands)[C]['request']>;
export type ServiceResponse<C extends ServiceCommand> = z.infer<(typeof serviceCommands)[C]['response']>;

export function isServiceCommand(value: unknown): value is ServiceCommand {
  return typeof value === 'string' && Object.hasOwn(serviceCommands, value);
}

/** Everything the service pushes to its clients. */
export const serviceEventSchema = z.discriminatedUnion('type', [
  ...jobEventSchema.options,
  promptEventSchema,
  promptClosedEventSchema,
  ...discoveryEventSchemas,
  ...preflightEventSchemas,
  ...handoverEventSchemas,
  ...autocompleteEventSchemas,
]);
export type ServiceEvent = z.infer<typeof serviceEventSchema>;

/** What a service implementation provides: one handler per command, already-validated input. */
export type ServiceHandlers = {
  [C in ServiceCommand]: (request: ParsedServiceRequest<C>) => Promise<ServiceResponse<C>>;
};

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Validates a request for `command`; throws IPC_INVALID_REQUEST with the first problems named. */
export function parseRequest<C extends ServiceCommand>(command: C, payload: unknown): ParsedServiceRequest<C> {
  const parsed = serviceCommands[command].request.safeParse(payload);
  if (!parsed.success) throw new CloudwardError('IPC_INVALID_REQUEST', `${command}: ${describeIssues(parsed.error)}`);
  return parsed.data as ParsedServiceRequest<C>;
}

/** Validates an answer before it leaves the service (and again where it arrives). */
export function parseResponse<C extends ServiceCommand>(command: C, value: unknown): ServiceResponse<C> {
  const parsed = serviceCommands[command].response.safeParse(value);
  if (!parsed.success) throw new CloudwardError('INTERNAL', `${command} answered outside its contract: ${describeIssues(parsed.error)}`);
  return parsed.data as ServiceResponse<C>;
}

export function parseEvent(value: unknown): ServiceEvent {
  const parsed = serviceEventSchema.safeParse(value);
  if (!parsed.success) throw new CloudwardError('INTERNAL', `An event outside the contract: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
