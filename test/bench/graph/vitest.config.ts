import { fileURLToPath } from 'node:url';

import { defineConfig } from 'vitest/config';

/** Benchmarks are not CI tests: `npx tsc -b && npx vitest run --config test/bench/graph/vitest.config.ts`. */
// eslint-disable-next-line no-restricted-exports
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['test/bench/graph/bench-graph.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
  },
});
