import { HttpTransport as SharedTransport, type HttpTransportOptions } from '../../exchange/http-transport.js';
import type { XmlChunks } from '../soap/xml.js';
import type { EwsTransport, HttpAnswer, PostOptions } from './transport.js';

/**
 * EWS posts to one URL over the shared transport (exchange/http-transport.ts: keep-alive, deadline,
 * abort, chunked body). ews-javascript-api ignores its own Timeout (ews-graph.md §4), so every
 * request, including the library's, goes through here.
 */
export class HttpTransport implements EwsTransport {
  private readonly shared: SharedTransport;
  private readonly url: URL;

  constructor(url: string, options: HttpTransportOptions = {}) {
    this.url = new URL(url);
    this.shared = new SharedTransport(options);
  }

  post(body: XmlChunks, options: PostOptions): Promise<HttpAnswer> {
    return this.shared.request({
      method: 'POST',
      url: this.url,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml', ...options.headers },
      body,
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  close(): void {
    this.shared.close();
  }
}
