import { describe, expect, it, vi } from 'vitest';

import { isSmokeTest, runSmokeTest } from '../../../electron/main/smoke.js';

describe('the packaged app\'s smoke start (CI on Windows)', () => {
  it('runs only when asked', () => {
    expect(isSmokeTest({ CLOUDWARD_SMOKE_TEST: '1' })).toBe(true);
    expect(isSmokeTest({})).toBe(false);
  });

  it('passes only when the engine answers through the utility process, and says why not otherwise', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const quit = vi.fn();
      await runSmokeTest(async (command) => ({ ok: true, value: command === 'app:info' ? { version: '1.2.3' } : { jobs: [] } }), quit);
      expect(quit).toHaveBeenCalledWith(0);
      expect(write).toHaveBeenCalledWith('cloudward-smoke: ok 1.2.3\n');
      const failed = vi.fn();
      await runSmokeTest(async (command) => (command === 'jobs:list' ? { ok: false, error: { code: 'LEDGER_FAILED', message: 'locked', retryable: false } } : { ok: true, value: { version: '1' } }), failed);
      expect(failed).toHaveBeenCalledWith(1);
      expect(write).toHaveBeenCalledWith('cloudward-smoke: failed LEDGER_FAILED: locked\n');
    } finally {
      write.mockRestore();
    }
  });
});
