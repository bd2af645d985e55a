import {
  autocompleteCommands,
  discoveryCommands,
  handoverCommands,
  preflightCommands,
  type ServiceEvent,
  type ServiceHandlers,
} from '../contract/index.js';
import { lazyHandlers } from './lazy-handlers.js';
import { defaultClientId } from './sign-in-config.js';
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
 * The composition root of the service: the engine's job service plus every room's handlers, merged
 * into the one `ServiceHandlers` that the CLI (in-process), the Electron utility process
 * (utility-entry.ts) and the browser-mode host (ui-host.ts) all serve.
 */
export function createServiceHost(options: ServiceHostOptions): ServiceHost {
  const clientId = options.defaultClientId ?? defaultClientId(options.environment);
  const jobs = createJobService({ ...options, defaultClientId: clientId });
  const handlers: ServiceHandlers = {
    ...jobs.handlers,
    // Rooms: ONE spread line each, replacing that room's `unserved(...)` line, e.g.
    //   ...createPreflightHandlers({ ledgerFile: options.ledgerFile, environment: options.environment, publish: jobs.publish, prompter: jobs.prompter }),
    // Each room's module loads on its first command, so `migrate`/`status` pay only for the job service (issue 15).
    ...lazyHandlers(preflightCommands, async () =>
      (await import('../engine/preflight/preflight-handlers.js')).createPreflightHandlers({ ledgerFile: options.ledgerFile, environment: options.environment, publish: jobs.publish, prompter: jobs.prompter, keychain: options.keychain, log: options.log, defaultClientId: clientId }),
    ),
    ...lazyHandlers(handoverCommands, async () => (await import('./commands/handover.js')).serviceHandoverHandlers(options.environment, jobs.publish)),
    ...lazyHandlers(autocompleteCommands, async () => (await import('../engine/autocomplete/handlers.js')).createAutocompleteHandlers()),
    ...lazyHandlers(discoveryCommands, async () => (await import('./outlook-discovery.js')).outlookDiscoveryHandlers()),
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
