import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { StaticTokenAuth } from '../../../electron/engine/targets/ews/auth/auth.js';
import { itemErrorFor, retryAfterMs } from '../../../electron/engine/targets/ews/errors.js';
import { cleanName } from '../../../electron/engine/targets/exchange/folder-names.js';
import { EwsClient } from '../../../electron/engine/targets/ews/soap/client.js';
import { HttpTransport } from '../../../electron/engine/targets/ews/transport/http-transport.js';

/** A hostile little server: each path answers one way. */
let server: http.Server;
let base = '';
const hanging: http.ServerResponse[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const url = request.url ?? '';
      if (url === '/hang') {
        hanging.push(response);
        return;
      }
      if (url === '/busy') {
        response.writeHead(500, { 'content-type': 'text/xml' });
        response.end(
          '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode>' +
            '<faultstring>The server cannot service this request right now. Try again later.</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode>' +
            '<e:MessageXml xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors"><t:Value xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" Name="BackOffMilliseconds">2750</t:Value></e:MessageXml></detail></s:Fault></s:Body></s:Envelope>',
        );
        return;
      }
      if (url === '/blocked') return void response.writeHead(403).end();
      if (url === '/unauthorized') return void response.writeHead(401).end();
      if (url === '/slow-down') return void response.writeHead(429, { 'retry-after': '7' }).end();
      if (url === '/unavailable') return void response.writeHead(503).end();
      if (url === '/html') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Proxy login</body></html>');
      if (url === '/reset') return void request.socket.destroy();
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(path: string, requestTimeoutMs = 5_000) {
  return new EwsClient(new HttpTransport(`${base}${path}`), new StaticTokenAuth('t'), { mailbox: 'a@b.example', requestTimeoutMs, maxItemMb: 35 });
}

async function failure(path: string, requestTimeoutMs?: number, signal = new AbortController().signal): Promise<CloudwardError> {
  const c = client(path, requestTimeoutMs);
  try {
    await c.call('GetFolder', '<m:GetFolder/>', signal);
  } catch (error) {
    return error as CloudwardError;
  } finally {
    c.transport.close();
  }
  throw new Error('expected a failure');
}

describe('EWS whole-request failures become CloudwardErrors the pipeline can act on', () => {
  it('ErrorServerBusy is THROTTLED with the server’s BackOffMilliseconds', async () => {
    const error = await failure('/busy');
    expect([error.code, error.retryable, error.retryAfterMs]).toEqual(['THROTTLED', true, 2750]);
  });

  it('403 is TARGET_BLOCKED naming the admin fix and the Graph target', async () => {
    const error = await failure('/blocked');
    expect(error.code).toBe('TARGET_BLOCKED');
    expect(error.message).toMatch(/EWSEnabled/);
    expect(error.message).toMatch(/EWSAllowedAppIDs/);
    expect(error.message).toMatch(/graph:/i);
  });

  it('401 with a script token and nobody to ask is TOKEN_EXPIRED (not retried); 429 and 503 are THROTTLED with Retry-After', async () => {
    const refused = await failure('/unauthorized');
    expect([refused.code, refused.retryable]).toEqual(['TOKEN_EXPIRED', false]);
    const slow = await failure('/slow-down');
    expect([slow.code, slow.retryAfterMs]).toEqual(['THROTTLED', 7000]);
    expect((await failure('/unavailable')).code).toBe('THROTTLED');
  });

  it('a server that never answers is a TIMEOUT, a reset is CONNECTION_LOST, a refused port TARGET_UNREACHABLE', async () => {
    const started = Date.now();
    const timeout = await failure('/hang', 300);
    expect(timeout.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect((await failure('/reset')).code).toBe('CONNECTION_LOST');
    const refused = new EwsClient(new HttpTransport('http://127.0.0.1:1/EWS/Exchange.asmx'), new StaticTokenAuth('t'), { mailbox: 'a@b.example', requestTimeoutMs: 2000, maxItemMb: 35 });
    await expect(refused.call('GetFolder', '<m:GetFolder/>', new AbortController().signal)).rejects.toMatchObject({ code: 'TARGET_UNREACHABLE' });
  });

  it('cancelling aborts a request in flight', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect((await failure('/hang', 10_000, controller.signal)).code).toBe('CANCELLED');
  });

  it('an answer that is not SOAP is a retryable TARGET_FAILED, not a crash', async () => {
    const error = await failure('/html');
    expect([error.code, error.retryable]).toEqual(['TARGET_FAILED', true]);
  });
});

describe('per-item response codes', () => {
  it('maps size, throttling, transient and permanent codes', () => {
    const size = itemErrorFor('ErrorMessageSizeExceeded', 'too big', undefined, 35);
    expect(size.code).toBe('ITEM_TOO_LARGE');
    expect(size.message).toContain('Set-Mailbox');
    expect(size.message).toContain('-MaxReceiveSize');
    expect(itemErrorFor('ErrorServerBusy', '', 900, 35)).toMatchObject({ code: 'THROTTLED', retryable: true, retryAfterMs: 900 });
    expect(itemErrorFor('ErrorInternalServerTransientError', '', undefined, 35)).toMatchObject({ code: 'TARGET_FAILED', retryable: true });
    expect(itemErrorFor('ErrorCorruptData', '', undefined, 35)).toMatchObject({ code: 'TARGET_REJECTED', retryable: false });
    expect(itemErrorFor('ErrorImpersonateUserDenied', '', undefined, 35).code).toBe('TARGET_AUTH_FAILED');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('folder names', () => {
  it('replaces "/", renames reserved top-level names, keeps ordinary names', () => {
    expect(cleanName('Q1/Q2', false)).toEqual({ name: 'Q1_Q2', note: '"/" replaced by "_"' });
    expect(cleanName('calendar', true).name).toBe('calendar (migrated)');
    expect(cleanName('Calendar', false).name).toBe('Calendar');
    expect(cleanName('Projects', true)).toEqual({ name: 'Projects' });
    expect(cleanName('  ', false).name).toBe('(no name)');
  });
});
