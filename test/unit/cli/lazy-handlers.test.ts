import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { autocompleteCommands } from '../../../electron/contract/index.js';
import { lazyHandlers } from '../../../electron/cli/lazy-handlers.js';
import { repoRoot } from '../../support/fixtures.js';
import { ensureBuilt } from '../../support/run-cli.js';

describe('lazy room handlers', () => {
  it('load the room once, on the first call, and retry a failed load', async () => {
    let loads = 0;
    let fail = true;
    const handlers = lazyHandlers(autocompleteCommands, async () => {
      loads += 1;
      if (fail) throw new Error('module missing');
      return { 'autocomplete:read': async () => ({ entries: [] }) } as never;
    });
    expect(loads).toBe(0);
    await expect(handlers['autocomplete:read']({ path: '/x.nk2' } as never)).rejects.toThrow('module missing');
    fail = false;
    await handlers['autocomplete:read']({ path: '/x.nk2' } as never);
    await handlers['autocomplete:read']({ path: '/y.nk2' } as never);
    expect(loads).toBe(2);
  });

  it('a service host built for jobs does not import the preflight, handover or discovery rooms', () => {
    ensureBuilt();
    const script = `
      const { createServiceHost } = await import(${JSON.stringify(join(repoRoot, 'build/out/electron/cli/service-host.js'))});
      createServiceHost({ ledgerFile: ':memory:', environment: {} });
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NODE_DEBUG: 'esm' } });
    expect(result.status, result.stderr.slice(-2000)).toBe(0);
    const loaded = result.stderr;
    expect(loaded).toMatch(/engine\/service\//);
    for (const room of ['engine/preflight/', 'engine/handover/', 'engine/discovery/', 'engine/autocomplete/']) expect(loaded, room).not.toContain(room);
  });
});
