import { describe, expect, it, vi } from 'vitest';

import { createHttpClient, tokenFromHash, type EventSourceLike } from '../../../renderer/src/service/http-client.js';

const token = 'A'.repeat(43);
const info = { version: '1.0.0', platform: 'linux', ledger: '/tmp/l.sqlite', host: 'browser' };

function reply(id: number, result: unknown, status = 200) {
  return new Response(JSON.stringify({ v: 1, kind: 'reply', id, result }), { status, headers: { 'content-type': 'application/json' } });
}

describe('the browser-mode client', () => {
  it('takes the token from the URL fragment only when it looks like one', () => {
    expect(tokenFromHash(`#token=${token}`)).toBe(token);
    expect(tokenFromHash('#token=short')).toBeUndefined();
    expect(tokenFromHash('#token=<script>aaaaaaaaaaaaaaaaaa')).toBeUndefined();
    expect(tokenFromHash('')).toBeUndefined();
  });

  it('POSTs a request envelope with the token header and validates the answer against the contract', async () => {
    const fetch = vi.fn(async (_url: string, init: RequestInit) => reply(JSON.parse(String(init.body)).id, { ok: true, value: info }));
    const client = createHttpClient({ token, fetch: fetch as unknown as typeof globalThis.fetch });
    expect(await client.request('app:info', {})).toEqual(info);
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/request');
    expect((init.headers as Record<string, string>)['x-cloudward-token']).toBe(token);
    expect(JSON.parse(String(init.body))).toEqual({ v: 1, kind: 'request', id: 1, command: 'app:info', payload: {} });
  });

  it('turns errors, refusals, dead hosts and off-contract answers into catalogue errors', async () => {
    const answers = [
      (id: number) => reply(id, { ok: false, error: { code: 'JOB_NOT_FOUND', message: 'no job 9', retryable: false } }),
      () => new Response('Missing or wrong token', { status: 403 }),
      () => Promise.reject(new TypeError('Failed to fetch')),
      (id: number) => reply(id, { ok: true, value: { version: 1 } }),
      () => reply(999, { ok: true, value: info }),
    ];
    const codes: string[] = [];
    for (const answer of answers) {
      const client = createHttpClient({ token, fetch: (async (_url: string, init: RequestInit) => answer(JSON.parse(String(init.body)).id)) as unknown as typeof globalThis.fetch });
      await client.request('app:info', {}).catch((error: { code: string }) => codes.push(error.code));
    }
    expect(codes).toEqual(['JOB_NOT_FOUND', 'IPC_SENDER_REJECTED', 'CONNECTION_LOST', 'INTERNAL', 'CONNECTION_LOST']);
  });

  it('opens one event stream with the token, passes on contract events only, and closes it with the last listener', () => {
    const sources: (EventSourceLike & { url: string; closed: boolean })[] = [];
    const client = createHttpClient({
      token,
      fetch: vi.fn() as unknown as typeof globalThis.fetch,
      openEvents: (url) => {
        const source = { url, closed: false, onmessage: null, onerror: null, close: () => void (source.closed = true) } as EventSourceLike & { url: string; closed: boolean };
        sources.push(source);
        return source;
      },
    });
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = client.subscribe(first);
    const stopSecond = client.subscribe(second);
    expect(sources).toHaveLength(1);
    expect(sources[0]!.url).toBe(`/api/events?token=${token}`);
    const send = (data: unknown) => sources[0]!.onmessage?.({ data: typeof data === 'string' ? data : JSON.stringify(data) });
    send({ v: 1, kind: 'event', event: { type: 'job-state', jobId: 1, state: 'running' } });
    send({ v: 1, kind: 'event', event: { type: 'job-state', jobId: 'one', state: 'running' } });
    send({ v: 1, kind: 'reply', id: 1, result: { ok: true, value: 1 } });
    send('not json');
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledWith({ type: 'job-state', jobId: 1, state: 'running' });
    stopFirst();
    expect(sources[0]!.closed).toBe(false);
    stopSecond();
    expect(sources[0]!.closed).toBe(true);
  });
});
