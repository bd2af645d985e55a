import type { HttpAnswer } from '../../exchange/http-transport.js';
import type { XmlChunks } from '../soap/xml.js';

export type { HttpAnswer };

export interface PostOptions {
  signal: AbortSignal;
  /** Whole-request deadline, ms. */
  timeoutMs: number;
  headers: Record<string, string>;
}

/** One HTTP POST of a SOAP body; answers every status (classification is the caller's), throws only CloudwardErrors for socket-level failures. */
export interface EwsTransport {
  post(body: XmlChunks, options: PostOptions): Promise<HttpAnswer>;
  close(): void;
}
