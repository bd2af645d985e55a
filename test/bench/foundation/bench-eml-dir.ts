/**
 * Foundation benchmark (issue 2), not a test:  npx tsx test/bench/foundation/bench-eml-dir.ts [messages=10000] [rounds=3]
 *
 * eml: → dir: for generated messages with a realistic size mix (most a few KB, one in fifty ~300 KB,
 * one in a thousand 1–3 MB), through the compiled CLI exactly as a user runs it. Each round runs three
 * variants in fresh processes: the ledger in a file (the product), the ledger in memory (to show the
 * ledger's cost), and `cp -r` of the same tree (the floor any copy pays for reading and writing files).
 * Medians go into BENCHMARKS.md between the foundation markers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { writeEmlCorpus } from '../../support/generate-mail.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const messages = Number(process.argv[2] ?? 10_000);
const rounds = Number(process.argv[3] ?? 3);
const work = mkdtempSync(join(tmpdir(), 'cw-bench-'));
const corpus = join(work, 'corpus');
const bytes = writeEmlCorpus(corpus, messages, 42);
const mb = bytes / 1_048_576;

interface Run {
  seconds: number;
  maxRssMb: number;
}

function runCli(ledger: string, out: string): Run {
  const result = spawnSync(process.execPath, [join(repoRoot, 'test/bench/foundation/measure-cli.mjs'), 'migrate', '--source', `eml:${corpus}`, '--target', `dir:${out}`, '--ledger', ledger], { encoding: 'utf8', env: { ...process.env, CLOUDWARD_HOME: join(work, 'home') } });
  const last = result.stderr.trim().split('\n').pop() ?? '{}';
  const figures = JSON.parse(last) as { code: number; seconds: number; maxRssMb: number };
  if (figures.code !== 0) throw new Error(`migrate failed: ${result.stdout}${result.stderr}`);
  return figures;
}

function runCopy(out: string): Run {
  const started = performance.now();
  execFileSync('cp', ['-r', corpus, out]);
  return { seconds: (performance.now() - started) / 1000, maxRssMb: 0 };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const variants = { file: [] as Run[], memory: [] as Run[], copy: [] as Run[] };
for (let round = 0; round < rounds; round++) {
  const out = (name: string): string => join(work, `${name}-${round}`);
  variants.file.push(runCli(join(work, `ledger-${round}.sqlite`), out('file')));
  variants.memory.push(runCli(':memory:', out('memory')));
  variants.copy.push(runCopy(out('copy')));
  for (const name of ['file', 'memory', 'copy']) rmSync(out(name), { recursive: true, force: true });
  process.stderr.write(`round ${round + 1}/${rounds} done\n`);
}

const summary = (runs: Run[]) => {
  const seconds = median(runs.map((run) => run.seconds));
  return { seconds, itemsPerSecond: messages / seconds, mbPerSecond: mb / seconds, maxRssMb: Math.max(...runs.map((run) => run.maxRssMb)) };
};
const file = summary(variants.file);
const memory = summary(variants.memory);
const copy = summary(variants.copy);
const overhead = (file.seconds - memory.seconds) / memory.seconds;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const row = (name: string, s: ReturnType<typeof summary>) => `| ${name} | ${s.seconds.toFixed(2)} s | ${s.itemsPerSecond.toFixed(0)} | ${s.mbPerSecond.toFixed(1)} | ${s.maxRssMb ? s.maxRssMb.toFixed(0) + ' MB' : 'n/a'} |`;
const section = `<!-- bench:foundation:start -->
## Foundation: eml: → dir: (issue 2)

Command: \`npx tsx test/bench/foundation/bench-eml-dir.ts ${messages} ${rounds}\` (also run by \`npm run bench\`).
Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 1_073_741_824).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Corpus: ${messages.toLocaleString('en')} generated messages, ${mb.toFixed(0)} MB (most a few KB, 2% ~300 KB, 0.1% 1–3 MB). Median of ${rounds} rounds, each variant in a fresh process.

| variant | wall time | messages/s | MB/s | peak RSS |
|---|---|---|---|---|
${row('cloudward, ledger in a file (WAL)', file)}
${row('cloudward, ledger in memory', memory)}
${row('cp -r of the same tree (floor)', copy)}

Ledger overhead: ${(overhead * 100).toFixed(1)}% (target under 20%). Targets on 2 cores: at least 2,000 messages/s (${file.itemsPerSecond >= 2000 ? 'met' : 'NOT met'}), RSS under 200 MB (${file.maxRssMb < 200 ? 'met' : 'NOT met'}).
Cloudward against a plain copy: ${(file.seconds / copy.seconds).toFixed(1)}× the time of \`cp -r\`, for hashing, duplicate checks, the ledger and the manifest.
<!-- bench:foundation:end -->`;
process.stdout.write(section + '\n');

const benchFile = join(repoRoot, 'BENCHMARKS.md');
const fresh = '# Benchmarks\n\nFigures from `npm run bench` on the project machine; each section says its command and machine.\n';
let text = existsSync(benchFile) ? readFileSync(benchFile, 'utf8') : fresh;
const start = text.indexOf('<!-- bench:foundation:start -->');
const end = text.indexOf('<!-- bench:foundation:end -->');
text = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + '<!-- bench:foundation:end -->'.length) : `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(benchFile, text);
rmSync(work, { recursive: true, force: true });
