/** The engine as a service: the one job API the CLI, the Electron utility process and the browser host drive. */
export { createJobService, type JobHandlers, type JobService, type JobServiceOptions } from './job-service.js';
export { createDispatcher, type Dispatcher } from './dispatcher.js';
export type { ServiceListener, SubscribeOptions } from './event-hub.js';
export { mailboxIdentity, sourceIdentity, targetIdentity } from './mailbox-identity.js';
