import http from 'node:http';
import https from 'node:https';

import { CloudwardError } from '../../../../contract/index.js';
import { networkError } from '../errors.js';
import type { XmlChunks } from '../soap/xml.js';
import type { EwsTransport, HttpAnswer, PostOptions } from './transport.js';

/** A hostile or broken server must not make us buffer without end; EWS answers we read are far smaller. */
const maxAnswerBytes = 256 * 1024 * 1024;

/**
 * Plain node:http(s) with keep-alive and our own deadline: ews-javascript-api ignores its Timeout
 * setting and has none of its own (ews-graph.md §4), so every request here carries one.
 */
export class HttpTransport implements EwsTransport {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(url: string, options: { maxSockets?: number; ca?: string | Buffer; rejectUnauthorized?: boolean } = {}) {
    this.url = new URL(url);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 8 };
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ ...agentOptions, ...(options.ca ? { ca: options.ca } : {}), rejectUnauthorized: options.rejectUnauthorized ?? true })
        : new http.Agent(agentOptions);
  }

  post(body: XmlChunks, options: PostOptions): Promise<HttpAnswer> {
    const url = this.url;
    const module = url.protocol === 'https:' ? https : http;
    return new Promise<HttpAnswer>((resolve, reject) => {
      if (options.signal.aborted) {
        reject(new CloudwardError('CANCELLED', 'The job was cancelled'));
        return;
      }
      let settled = false;
      const finish = (error: CloudwardError | undefined, answer?: HttpAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(answer as HttpAnswer);
      };
      const request = module.request(url, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'Content-Type': 'text/xml; charset=utf-8',
          'Content-Length': String(body.bytes),
          Accept: 'text/xml',
          ...options.headers,
        },
      });
      const timer = setTimeout(() => {
        finish(new CloudwardError('TIMEOUT', `Exchange did not answer within ${Math.round(options.timeoutMs / 1000)} s (${url.host})`));
        request.destroy();
      }, options.timeoutMs);
      const onAbort = () => {
        finish(new CloudwardError('CANCELLED', 'The job was cancelled'));
        request.destroy();
      };
      options.signal.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error) => finish(networkError(error, url.origin)));
      request.on('response', (response) => {
        const parts: Buffer[] = [];
        let total = 0;
        response.on('data', (part: Buffer) => {
          total += part.length;
          if (total > maxAnswerBytes) {
            finish(new CloudwardError('TARGET_FAILED', `Exchange's answer exceeds ${maxAnswerBytes >> 20} MB; refusing to read it`));
            request.destroy();
            return;
          }
          parts.push(part);
        });
        response.on('error', (error) => finish(networkError(error, url.origin)));
        response.on('aborted', () => finish(new CloudwardError('CONNECTION_LOST', `The connection to ${url.origin} dropped mid-answer`)));
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          finish(undefined, { status: response.statusCode ?? 0, headers, body: Buffer.concat(parts).toString('utf8') });
        });
      });
      // Chunks go out one by one with back-pressure, never joined into one string.
      const write = async () => {
        for (const part of body.chunks) {
          if (settled) return;
          if (!request.write(part)) await new Promise<void>((done) => {
            request.once('drain', done);
            request.once('close', done);
          });
        }
        request.end();
      };
      write().catch((error: unknown) => finish(networkError(error, url.origin)));
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
