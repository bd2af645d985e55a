#!/usr/bin/env node
// The `cloudward` command: runs the compiled CLI (npm run build, or any npm test/start, compiles it).
import { existsSync } from 'node:fs';

const entry = new URL('./out/electron/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('cloudward: not built yet; run `npm run build` in the Cloudward folder first\n');
  process.exit(5);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
