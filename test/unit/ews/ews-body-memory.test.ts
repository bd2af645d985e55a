import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { HttpTransport } from '../../../electron/engine/targets/exchange/http-transport.js';
import { XmlChunks, pushBase64 } from '../../../electron/engine/targets/ews/soap/xml.js';

/**
 * Issue 15: the memory a request costs beyond its MIME stays bounded while it goes out. Its base64 (4/3 of the
 * MIME) is rendered piece by piece as the socket takes it; pieces rendered as Buffers were ArrayBuffers that
 * lived until a GC noticed them, so a 30 MB message left up to 40 MB of them behind.
 */
describe('a 30 MB message on the wire', () => {
  let server: http.Server;
  let url = '';
  let received = 0;
  beforeAll(async () => {
    server = http.createServer((request, response) => {
      received = 0;
      request.on('data', (part: Buffer) => (received += part.length));
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  it('costs less than 16 MB of ArrayBuffers beyond the MIME while it is written', async () => {
    const mime = randomBytes(30 * 1024 * 1024);
    const body = new XmlChunks().push('<t:MimeContent CharacterSet="UTF-8">');
    pushBase64(body, mime);
    body.push('</t:MimeContent>');
    const transport = new HttpTransport();
    const base = process.memoryUsage().arrayBuffers;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 2);
    try {
      const answer = await transport.request({ method: 'POST', url, headers: {}, body, signal: new AbortController().signal, timeoutMs: 60_000 });
      expect(answer.status).toBe(200);
    } finally {
      clearInterval(sampler);
      transport.close();
    }
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    expect(received).toBe(body.bytes);

    expect((peak - base) / 1024 / 1024).toBeLessThan(16);
  }, 60_000);
});
