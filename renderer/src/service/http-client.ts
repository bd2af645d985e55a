import {
  envelopeVersion,
  eventEnvelopeSchema,
  replyEnvelopeSchema,
  type ServiceResult,
} from '../../../electron/contract/index.js';
import { Listeners, requestThrough, type ServiceClient } from './service-client.js';

/** The browser-mode host's key, handed over in the URL's fragment (never sent to the server by the browser). */
export function tokenFromHash(hash: string): string | undefined {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token !== null && /^[A-Za-z0-9_-]{16,200}$/.test(token) ? token : undefined;
}

function broken(message: string): ServiceResult {
  return { ok: false, error: { code: 'CONNECTION_LOST', message, retryable: true } };
}

export interface EventSourceLike {
  onmessage: ((event: { data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(): void;
}

export interface HttpClientOptions {
  token: string;
  /** Injected for tests; the real ones by default. */
  fetch?: typeof fetch;
  openEvents?: (url: string) => EventSourceLike;
}

/**
 * Browser mode: `cloudward ui` serves this page and the service on the same loopback origin.
 * Requests are envelopes POSTed to /api/request with the token in a header; events arrive as
 * event envelopes over Server-Sent Events (EventSource cannot set headers, so the token rides in
 * the query; EventSource reconnects by itself after a drop).
 */
export function createHttpClient(options: HttpClientOptions): ServiceClient {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const openEvents = options.openEvents ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const listeners = new Listeners();
  let source: EventSourceLike | undefined;
  let nextId = 1;

  const transport = async (command: string, payload: unknown): Promise<ServiceResult> => {
    const id = nextId++;
    let response: Response;
    try {
      response = await doFetch('/api/request', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cloudward-token': options.token },
        body: JSON.stringify({ v: envelopeVersion, kind: 'request', id, command, payload }),
      });
    } catch {
      return broken('Cloudward is not answering. Is `cloudward ui` still running?');
    }
    if (response.status === 403 || response.status === 401 || response.status === 421) {
      return { ok: false, error: { code: 'IPC_SENDER_REJECTED', message: 'This page\'s key was refused: open the address `cloudward ui` printed.', retryable: false } };
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return broken(`Cloudward answered HTTP ${response.status} without a reply.`);
    }
    const reply = replyEnvelopeSchema.safeParse(body);
    if (!reply.success || reply.data.id !== id) return broken(`Cloudward answered HTTP ${response.status} outside the contract.`);
    return reply.data.result;
  };

  return {
    host: 'browser',
    request: (command, payload) => requestThrough(transport, command, payload),
    subscribe(listener) {
      if (source === undefined) {
        source = openEvents(`/api/events?token=${encodeURIComponent(options.token)}`);
        source.onmessage = (message) => {
          let data: unknown;
          try {
            data = JSON.parse(message.data);
          } catch {
            return;
          }
          const envelope = eventEnvelopeSchema.safeParse(data);
          if (envelope.success) listeners.emit(envelope.data.event);
        };
      }
      const remove = listeners.add(listener);
      return () => {
        remove();
        if (listeners.size === 0) {
          source?.close();
          source = undefined;
        }
      };
    },
  };
}
