import { envelopeVersion, type EventEnvelope } from '../contract/index.js';
import type { ServiceHost } from './service-host.js';

/** Electron's `process.parentPort`, described here so this room never imports Electron. */
export interface ParentPortLike {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/**
 * Serves the service over a message port: request envelopes in, reply envelopes out (each with its
 * request's id), and every service event pushed as an event envelope. Messages that are not request
 * envelopes are answered by the dispatcher with IPC_INVALID_REQUEST when they carry kind 'request',
 * and ignored otherwise (a reply or event echoed back is not a question).
 */
export function serveOnPort(port: ParentPortLike, host: ServiceHost): () => void {
  const unsubscribe = host.subscribe((event) => {
    const envelope: EventEnvelope = { v: envelopeVersion, kind: 'event', event };
    port.postMessage(envelope);
  });
  port.on('message', ({ data }) => {
    if ((data as { kind?: unknown } | null)?.kind !== 'request') return;
    void host.dispatch(data).then((reply) => port.postMessage(reply));
  });
  return unsubscribe;
}
