/**
 * Foundation benchmark (issue 2), not a test:  npx tsx test/bench/foundation/bench-eml-dir.ts [messages=10000] [rounds=3] [work folder]
 *
 * With a work folder on tmpfs (/dev/shm) the corpus, the target and the ledger file live in RAM: the figures
 * are then Cloudward's own cost, free of the host disk's moods.
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
const workRoot = process.argv[4] ?? tmpdir();
const inRam = workRoot.startsWith('/dev/shm');
const work = mkdtempSync(join(workRoot, 'cw-bench-'));
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
  const best = Math.min(...runs.map((run) => run.seconds));
  return { seconds, best, itemsPerSecond: messages / seconds, bestItemsPerSecond: messages / best, mbPerSecond: mb / seconds, maxRssMb: Math.max(...runs.map((run) => run.maxRssMb)) };
};
const file = summary(variants.file);
const memory = summary(variants.memory);
const copy = summary(variants.copy);
// Ratios within a round: the variants ran back to back, so the machine's mood is shared.
const ledgerRatios = variants.file.map((run, index) => run.seconds / (variants.memory[index]?.seconds ?? run.seconds));
const copyRatios = variants.file.map((run, index) => run.seconds / (variants.copy[index]?.seconds ?? run.seconds));
const overhead = median(ledgerRatios) - 1;
const cpu = cpus()[0]?.model ?? 'unknown CPU';
const row = (name: string, s: ReturnType<typeof summary>) =>
  `| ${name} | ${s.seconds.toFixed(2)} s (best ${s.best.toFixed(2)} s) | ${s.itemsPerSecond.toFixed(0)} (best ${s.bestItemsPerSecond.toFixed(0)}) | ${s.mbPerSecond.toFixed(1)} | ${s.maxRssMb ? s.maxRssMb.toFixed(0) + ' MB' : 'n/a'} |`;
const range = (values: number[]) => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
const tag = inRam ? 'foundation-ram' : 'foundation';
const section = `<!-- bench:${tag}:start -->
## Foundation: eml: → dir: (issue 2)${inRam ? ', everything in RAM (tmpfs)' : ', on disk'}

Command: \`npx tsx test/bench/foundation/bench-eml-dir.ts ${messages} ${rounds}${inRam ? ' ' + workRoot : ''}\` (also run by \`npm run bench\`).
Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 1_073_741_824).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. A shared VM whose disk speed swings
several-fold within minutes (the same \`cp -r\` takes 0.4 s or 3.5 s): the ratios within a round are the steady figures.
Corpus: ${messages.toLocaleString('en')} generated messages, ${mb.toFixed(0)} MB (most a few KB, 2% ~300 KB, 0.1% 1–3 MB). ${rounds} rounds; in each, the three variants run back to back, each in a fresh process.

| variant | wall time, median | messages/s, median | MB/s | peak RSS |
|---|---|---|---|---|
${row('cloudward, ledger in a file (WAL)', file)}
${row('cloudward, ledger in memory', memory)}
${row('cp -r of the same tree (floor)', copy)}

Ledger overhead (file ÷ memory ledger, same round): median ${(overhead * 100).toFixed(1)}%, range ${range(ledgerRatios.map((r) => (r - 1) * 100))}% (target under 20%).
Cloudward ÷ \`cp -r\` (same round): median ${median(copyRatios).toFixed(2)}×, range ${range(copyRatios)}×: the price of hashing, duplicate checks, the ledger, the manifest and atomic writes.
Targets on 2 cores: at least 2,000 messages/s (median ${file.itemsPerSecond >= 2000 ? 'met' : 'not met'}, best round ${file.bestItemsPerSecond >= 2000 ? 'met' : 'not met'}), RSS under 200 MB (${file.maxRssMb < 200 ? 'met' : 'NOT met'}).
<!-- bench:${tag}:end -->`;
process.stdout.write(section + '\n');

const benchFile = join(repoRoot, 'BENCHMARKS.md');
const fresh = '# Benchmarks\n\nFigures from `npm run bench` on the project machine; each section says its command and machine.\n';
let text = existsSync(benchFile) ? readFileSync(benchFile, 'utf8') : fresh;
const start = text.indexOf(`<!-- bench:${tag}:start -->`);
const end = text.indexOf(`<!-- bench:${tag}:end -->`);
text = start >= 0 && end > start ? text.slice(0, start) + section + text.slice(end + `<!-- bench:${tag}:end -->`.length) : `${text.trimEnd()}\n\n${section}\n`;
writeFileSync(benchFile, text);
rmSync(work, { recursive: true, force: true });
