import { beforeEach, describe, expect, it, vi } from 'vitest';

import { requestEnvelopeSchema, type RequestEnvelope } from '../../../electron/contract/index.js';
import { EngineHost } from '../../../electron/main/engine-host.js';
import { fakeElectron, FakeUtilityProcess } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

const lastRequest = (child: FakeUtilityProcess) => child.postMessage.mock.calls.at(-1)?.[0] as RequestEnvelope;
const reply = (id: number, result: unknown) => ({ v: 1, kind: 'reply', id, result });
const progress = { type: 'job-state', jobId: 1, state: 'running' };

describe('the engine host (utility process)', () => {
  beforeEach(() => {
    FakeUtilityProcess.forked.length = 0;
    fakeElectron.utilityProcess.fork.mockClear();
  });

  it('forks the utility entry on first use and sends request envelopes', async () => {
    const host = new EngineHost('/app/utility-entry.js', () => undefined);
    expect(fakeElectron.utilityProcess.fork).not.toHaveBeenCalled();
    const answer = host.request('jobs:list', {});
    const child = FakeUtilityProcess.forked[0]!;
    expect(child.modulePath).toBe('/app/utility-entry.js');
    const sent = lastRequest(child);
    expect(requestEnvelopeSchema.parse(sent)).toMatchObject({ v: 1, kind: 'request', command: 'jobs:list', payload: {} });
    child.emit('message', reply(sent.id, { ok: true, value: { jobs: [] } }));
    await expect(answer).resolves.toEqual({ ok: true, value: { jobs: [] } });
  });

  it('passes an error reply on as a result, never a rejection', async () => {
    const host = new EngineHost('/app/utility-entry.js', () => undefined);
    const answer = host.request('jobs:list', {});
    const child = FakeUtilityProcess.forked[0]!;
    const error = { code: 'LEDGER_FAILED', message: 'locked', retryable: false };
    child.emit('message', reply(lastRequest(child).id, { ok: false, error }));
    await expect(answer).resolves.toEqual({ ok: false, error });
  });

  it('answers pending requests when the process dies, and starts a new one next time', async () => {
    const host = new EngineHost('/app/utility-entry.js', () => undefined);
    const answer = host.request('jobs:list', {});
    FakeUtilityProcess.forked[0]!.emit('exit', 9);
    await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('exit code 9') } });
    void host.request('jobs:list', {});
    expect(FakeUtilityProcess.forked).toHaveLength(2);
    host.stop();
    expect(FakeUtilityProcess.forked[1]!.kill).toHaveBeenCalled();
  });

  it('gives up with TIMEOUT when the engine does not answer', async () => {
    vi.useFakeTimers();
    try {
      const host = new EngineHost('/app/utility-entry.js', () => undefined, 1000);
      const answer = host.request('jobs:list', {});
      vi.advanceTimersByTime(1001);
      await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT', retryable: true } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('forwards contract events only, and ignores everything that is not an envelope', () => {
    const onEvent = vi.fn();
    const host = new EngineHost('/app/utility-entry.js', onEvent);
    void host.request('jobs:list', {});
    const child = FakeUtilityProcess.forked[0]!;
    child.emit('message', { v: 1, kind: 'event', event: progress });
    child.emit('message', { v: 1, kind: 'event', event: { type: 'progress', jobId: 'x' } });
    child.emit('message', { v: 2, kind: 'event', event: progress });
    child.emit('message', { type: 'event', event: progress });
    child.emit('message', null);
    child.emit('message', reply(12345, { ok: true, value: 1 }));
    expect(onEvent).toHaveBeenCalledTimes(1);
    expect(onEvent).toHaveBeenCalledWith(progress);
    host.stop();
  });

  it('ignores a reply that is not a valid result', async () => {
    vi.useFakeTimers();
    try {
      const host = new EngineHost('/app/utility-entry.js', () => undefined, 1000);
      const answer = host.request('jobs:list', {});
      const child = FakeUtilityProcess.forked[0]!;
      child.emit('message', reply(lastRequest(child).id, { ok: 'yes' }));
      vi.advanceTimersByTime(1001);
      await expect(answer).resolves.toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    } finally {
      vi.useRealTimers();
    }
  });
});
