import { request as httpRequest, type IncomingMessage } from 'node:http';

import {
  envelopeVersion,
  eventEnvelopeSchema,
  parseEvent,
  parseResponse,
  replyEnvelopeSchema,
  type ServiceCommand,
  type ServiceEvent,
  type ServiceRequest,
  type ServiceResponse,
  type ServiceResult,
} from '../../electron/contract/index.js';

/**
 * A test-only browser-mode client: speaks the contract's envelopes over the browser host's HTTP (POST
 * /api/request) and Server-Sent Events (GET /api/events), as a page would, token and all. It validates
 * what it receives against the contract, as every client must.
 */
export class BrowserClient {
  private next = 1;

  constructor(
    readonly origin: string,
    private readonly token: string,
  ) {}

  /** From the URL the host prints: http://127.0.0.1:PORT/#token=... */
  static fromUrl(url: string): BrowserClient {
    const parsed = new URL(url);
    const token = new URLSearchParams(parsed.hash.slice(1)).get('token') ?? '';
    return new BrowserClient(parsed.origin, token);
  }

  async result(command: string, payload: unknown): Promise<ServiceResult> {
    const response = await fetch(`${this.origin}/api/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cloudward-token': this.token, origin: this.origin },
      body: JSON.stringify({ v: envelopeVersion, kind: 'request', id: this.next++, command, payload }),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
    return replyEnvelopeSchema.parse(await response.json()).result;
  }

  async request<C extends ServiceCommand>(command: C, payload: ServiceRequest<C>): Promise<ServiceResponse<C>> {
    const result = await this.result(command, payload);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return parseResponse(command, result.value);
  }

  /** Opens the event stream; resolves once the host accepted it. */
  events(): Promise<EventStream> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(`${this.origin}/api/events?token=${encodeURIComponent(this.token)}`, { headers: { accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`HTTP ${response.statusCode ?? 0}`));
          response.resume();
          return;
        }
        resolve(new EventStream(response, () => request.destroy()));
      });
      request.on('error', reject);
      request.end();
    });
  }
}

export class EventStream {
  readonly received: ServiceEvent[] = [];
  private buffer = '';
  private waiters: { test: (event: ServiceEvent) => boolean; resolve: (event: ServiceEvent) => void }[] = [];

  constructor(
    response: IncomingMessage,
    private readonly stop: () => void,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data === '') continue;
        const event = parseEvent(eventEnvelopeSchema.parse(JSON.parse(data)).event);
        this.received.push(event);
        for (const waiter of [...this.waiters]) {
          if (waiter.test(event)) {
            this.waiters.splice(this.waiters.indexOf(waiter), 1);
            waiter.resolve(event);
          }
        }
      }
    });
  }

  /** The first event (already received or still to come) that passes `test`. */
  until(test: (event: ServiceEvent) => boolean, timeoutMs = 20_000): Promise<ServiceEvent> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('No such event in time')), timeoutMs);
      this.waiters.push({
        test,
        resolve: (event) => {
          clearTimeout(timer);
          resolve(event);
        },
      });
    });
  }

  close(): void {
    this.stop();
  }
}
