import { beforeEach, describe, expect, it, vi } from 'vitest';

import { EngineHost } from '../../../electron/main/engine-host.js';
import { fakeElectron, FakeUtilityProcess } from './fake-electron.js';

vi.mock('electron', async () => (await import('./fake-electron.js')).fakeElectron);

const lastRequest = (child: FakeUtilityProcess) => child.postMessage.mock.calls.at(-1)?.[0] as { id: number; command: string };

describe('the engine host', () => {
  beforeEach(() => {
    FakeUtilityProcess.forked.length = 0;
    fakeElectron.utilityProcess.fork.mockClear();
  });

  it('forks the utility entry on first use and resolves with its reply', async () => {
    const host = new EngineHost('/app/utility-entry.js', () => undefined);
    expect(fakeElectron.utilityProcess.fork).not.toHaveBeenCalled();
    const answer = host.request('job:status', {});
    const child = FakeUtilityProcess.forked[0]!;
    expect(child.modulePath).toBe('/app/utility-entry.js');
    const sent = lastRequest(child);
    expect(sent).toMatchObject({ type: 'request', command: 'job:status', request: {} });
    child.emit('message', { type: 'reply', id: sent.id, result: { ok: true, value: { jobs: [] } } });
    await expect(answer).resolves.toEqual({ jobs: [] });
  });

  it('turns an error reply into a CloudwardError with the same code', async () => {
    const host = new EngineHost('/app/utility-entry.js', () => undefined);
    const answer = host.request('job:status', {});
    const child = FakeUtilityProcess.forked[0]!;
    child.emit('message', { type: 'reply', id: lastRequest(child).id, result: { ok: false, error: { code: 'LEDGER_FAILED', message: 'locked' } } });
    await expect(answer).rejects.toMatchObject({ code: 'LEDGER_FAILED', message: 'locked' });
  });

  it('fails pending requests when the process dies, and starts a new one next time', async () => {
    const host = new EngineHost('/app/utility-entry.js', () => undefined);
    const answer = host.request('job:status', {});
    FakeUtilityProcess.forked[0]!.emit('exit', 9);
    await expect(answer).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('exit code 9') });
    void host.request('job:status', {}).catch(() => undefined);
    expect(FakeUtilityProcess.forked).toHaveLength(2);
    host.stop();
    expect(FakeUtilityProcess.forked[1]!.kill).toHaveBeenCalled();
  });

  it('gives up with TIMEOUT when the engine does not answer', async () => {
    vi.useFakeTimers();
    try {
      const host = new EngineHost('/app/utility-entry.js', () => undefined, 1000);
      const answer = host.request('job:status', {});
      vi.advanceTimersByTime(1001);
      await expect(answer).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('forwards engine events and ignores malformed messages', () => {
    const onEvent = vi.fn();
    const host = new EngineHost('/app/utility-entry.js', onEvent);
    void host.request('job:status', {}).catch(() => undefined);
    const child = FakeUtilityProcess.forked[0]!;
    child.emit('message', { type: 'event', event: { type: 'progress', jobId: 1 } });
    child.emit('message', null);
    child.emit('message', { type: 'reply', id: 12345, result: { ok: true, value: 1 } });
    expect(onEvent).toHaveBeenCalledTimes(1);
    expect(onEvent).toHaveBeenCalledWith({ type: 'progress', jobId: 1 });
    host.stop();
  });
});
