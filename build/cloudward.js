#!/usr/bin/env -S node --max-semi-space-size=1
// The `cloudward` command: runs the compiled CLI (npm run build, or any npm test/start, compiles it).
// --max-semi-space-size=1 (MiB): V8's young generation otherwise grows to 16 MiB semi-spaces that hold
// garbage between scavenges; capped, `migrate` peaks 30–35 MiB lower (IMAP and PST alike) at no CPU cost
// measured (issue 15, BENCHMARKS.md "Goal 1"). A flag cannot be set once V8 runs (v8.setFlagsFromString
// does not resize the heap), so it sits here, where `cloudward` (npm's bin link) starts node.
import { existsSync } from 'node:fs';

const entry = new URL('./out/electron/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('cloudward: not built yet; run `npm run build` in the Cloudward folder first\n');
  process.exit(5);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
