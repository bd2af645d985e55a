import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

/** Benchmarks are not CI tests: `npx tsc -b && npx vitest run --config test/bench/ews/vitest.config.ts`. */
// eslint-disable-next-line no-restricted-exports
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/bench/ews/bench-ews.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 1_800_000,
    // The peer keeps every stored message in memory: 20 mailboxes hold about 1 GB (≈1 MB of heap per request).
    execArgv: ['--max-old-space-size=8192'],
    hookTimeout: 120_000,
  },
});
