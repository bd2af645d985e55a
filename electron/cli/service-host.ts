import {
  CloudwardError,
  handoverCommands,
  type ServiceEvent,
  type ServiceHandlers,
} from '../contract/index.js';
import { createPreflightHandlers } from '../engine/preflight/preflight-handlers.js';
import { createAutocompleteHandlers } from '../engine/autocomplete/handlers.js';
import { outlookDiscoveryHandlers } from './outlook-discovery.js';
import { createDispatcher, createJobService, type Dispatcher, type JobService, type JobServiceOptions, type ServiceListener, type SubscribeOptions } from '../engine/service/index.js';

export type ServiceHostOptions = JobServiceOptions;

/** The service as every transport sees it: one handler per command, one dispatcher, one event stream. */
export interface ServiceHost {
  readonly handlers: ServiceHandlers;
  /** Request envelope in, reply envelope out; validates both ways and never throws. */
  readonly dispatch: Dispatcher;
  subscribe(listener: ServiceListener, options?: SubscribeOptions): () => void;
  publish(event: ServiceEvent): void;
  readonly jobs: JobService;
  close(): Promise<void>;
}

/**
 * Until a room's handlers are composed here its commands answer a clear error (they are in the routing
 * table so clients can be built against them). A room replaces its `unserved(...)` line with its factory.
 */
function unserved<T extends Record<string, unknown>>(table: T, room: string): { [C in keyof T]: () => Promise<never> } {
  const handlers = {} as { [C in keyof T]: () => Promise<never> };
  for (const command of Object.keys(table) as (keyof T)[]) {
    handlers[command] = () => Promise.reject(new CloudwardError('INTERNAL', `${String(command)}: the ${room} service is not part of this build yet`));
  }
  return handlers;
}

/**
 * The composition root of the service: the engine's job service plus every room's handlers, merged
 * into the one `ServiceHandlers` that the CLI (in-process), the Electron utility process
 * (utility-entry.ts) and the browser-mode host (ui-host.ts) all serve.
 */
export function createServiceHost(options: ServiceHostOptions): ServiceHost {
  const jobs = createJobService(options);
  const handlers: ServiceHandlers = {
    ...jobs.handlers,
    // Rooms: ONE spread line each, replacing that room's `unserved(...)` line, e.g.
    //   ...createPreflightHandlers({ ledgerFile: options.ledgerFile, environment: options.environment, publish: jobs.publish, prompter: jobs.prompter }),
    ...createPreflightHandlers({ ledgerFile: options.ledgerFile, environment: options.environment, publish: jobs.publish, prompter: jobs.prompter, keychain: options.keychain, log: options.log }),
    ...unserved(handoverCommands, 'handover'),
    ...createAutocompleteHandlers(),
    ...outlookDiscoveryHandlers(),
  };
  return {
    handlers,
    dispatch: createDispatcher(handlers),
    subscribe: (listener, subscribeOptions) => jobs.subscribe(listener, subscribeOptions),
    publish: (event) => jobs.publish(event),
    jobs,
    close: () => jobs.close(),
  };
}
