/**
 * PST source benchmark (not in CI).
 *
 *   node --expose-gc node_modules/.bin/tsx test/bench/pst/bench-pst.ts [rounds=200]
 *
 * 1. Every readable fixture PST/OST exported to a temp dir by us (each mail as .eml, each typed item as
 *    renderTypedItem's .vcf/.ics: what the dir: target writes) and by `readpst -j 0 -D -e` in the same run
 *    (-j 0: readpst's default forks a child per folder and batch of messages, which on this VM costs it
 *    8× the CPU of running in one process; the peer is measured at its best);
 *    the ratio of wall times and of CPU-seconds (user+sys: ours from process.cpuUsage, readpst's from GNU
 *    time), items/s, and peak RSS of both. Twice: cold (code compiled as the corpus
 *    meets it) and warm (after one untimed pass over the corpus).
 * 2. The largest fixture read completely `rounds` times in one process: RSS after each round, to show
 *    memory stays flat (bounded page cache, no per-file growth).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { renderTypedItem } from '../../../electron/engine/formats/render-item.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/pst');
const packaged = path.join(repoRoot, 'node_modules/pst-extractor/example/testdata');

const files = [
  ...readdirSync(fixtures)
    .filter((name) => name.endsWith('.pst') && !name.startsWith('NOT_A_PST') && !name.includes('BADHEADERCRC'))
    .map((name) => path.join(fixtures, name)),
  ...(existsSync(packaged) ? readdirSync(packaged).filter((n) => /\.(pst|ost)$/.test(n)).map((n) => path.join(packaged, n)) : []),
];

const context = () => ({
  signal: new AbortController().signal,
  checkpoint: () => undefined,
  saveCheckpoint: () => undefined,
  isSettled: () => false,
  unsettledKeys: () => [],
  reportUnreadable: () => undefined,
});

async function exportOurs(file: string, out: string): Promise<number> {
  const source = new PstSource([file]);
  await source.open();
  let items = 0;
  const made = new Set<string>();
  try {
    for await (const entry of source.entries(context())) {
      if (entry.type === 'folder') continue;
      const item = entry.item;
      const dir = path.join(out, ...item.folder.path.map((name) => name.replace(/[/\\]/g, '_')));
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      items++;
      if (item.kind === 'mail') writeFileSync(path.join(dir, `${items}.eml`), await item.load());
      else {
        const { extension, content } = renderTypedItem(item);
        writeFileSync(path.join(dir, `${items}${extension}`), content);
      }
    }
  } finally {
    await source.close();
  }
  return items;
}

function readpstPeak(file: string, out: string): { ms: number; peakKb: number | undefined; cpuMs: number | undefined } {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const started = process.hrtime.bigint();
  if (timeBin) {
    const result = spawnSync(timeBin, ['-f', '%M %U %S', 'readpst', '-j', '0', '-D', '-e', '-q', '-o', out, file], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const [peak, user, system] = (/(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(result.stderr) ?? []).slice(1).map(Number);
    const cpuMs = user !== undefined && system !== undefined ? (user + system) * 1000 : undefined;
    return { ms, peakKb: peak !== undefined && Number.isFinite(peak) ? peak : undefined, cpuMs };
  }
  execFileSync('readpst', ['-j', '0', '-D', '-e', '-q', '-o', out, file], { stdio: 'ignore' });
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, peakKb: undefined, cpuMs: undefined };
}

function countFiles(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    n += statSync(full).isDirectory() ? countFiles(full) : 1;
  }
  return n;
}

let readpstPeakKb = 0;

async function compare(work: string, pass: string): Promise<void> {
  let oursMs = 0;
  let theirsMs = 0;
  let oursItems = 0;
  let theirsFiles = 0;
  let oursCpuMs = 0;
  let theirsCpuMs = 0;
  for (const file of files) {
    const name = path.basename(file);
    const ours = path.join(work, pass, 'ours', name);
    const theirs = path.join(work, pass, 'readpst', name);
    mkdirSync(theirs, { recursive: true });
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const items = await exportOurs(file, ours);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rp = readpstPeak(file, theirs);
    const written = countFiles(theirs);
    oursMs += ms;
    theirsMs += rp.ms;
    oursItems += items;
    theirsFiles += written;
    oursCpuMs += cpuMs;
    theirsCpuMs += rp.cpuMs ?? 0;
    readpstPeakKb = Math.max(readpstPeakKb, rp.peakKb ?? 0);
    console.log(`${pass} ${name.padEnd(60)} ours ${items} items ${ms.toFixed(0)} ms, ${cpuMs.toFixed(0)} CPU-ms | readpst ${written} files ${rp.ms.toFixed(0)} ms, ${rp.cpuMs?.toFixed(0) ?? '?'} CPU-ms`);
  }
  console.log('');
  console.log(`${pass}: ${files.length} files; ours ${oursItems} items in ${oursMs.toFixed(0)} ms (${((oursItems / oursMs) * 1000).toFixed(0)} items/s); readpst ${theirsFiles} files in ${theirsMs.toFixed(0)} ms (${((theirsFiles / theirsMs) * 1000).toFixed(0)} files/s)`);
  console.log(`${pass} wall-time ratio ours/readpst: ${(oursMs / theirsMs).toFixed(2)}`);
  // CPU (user+sys) moves less than wall time when the machine is shared; readpst's includes its process start.
  if (theirsCpuMs > 0) console.log(`${pass} CPU ratio ours/readpst: ${(oursCpuMs / theirsCpuMs).toFixed(2)} (ours ${(oursCpuMs / 1000).toFixed(2)} CPU-s, readpst ${(theirsCpuMs / 1000).toFixed(2)} CPU-s)`);
  console.log('');
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 200);
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(`machine: nproc ${cpus().length}, memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB (free ${(freemem() / 2 ** 30).toFixed(1)}), node ${process.version}`);
  const work = mkdtempSync(path.join(tmpdir(), 'cloudward-bench-pst-'));
  // Warm-up: the first read compiles the code paths; readpst has no such cost.
  await exportOurs(files[0] ?? '', path.join(work, 'warmup'));
  // 1. "Cold": as the corpus comes, each code path compiled when first met (the corpus is 672 items, so
  //    this is mostly JIT warm-up). 2. "Warm": the same again after one untimed pass over the corpus,
  //    which is what a mailbox of thousands of items runs at after its first few dozen.
  await compare(work, 'cold');
  await compare(work, 'warm');
  const peakRss = process.resourceUsage().maxRSS;
  console.log(`peak RSS: ours (whole bench process) ${(peakRss / 1024).toFixed(0)} MB; readpst ${(readpstPeakKb / 1024).toFixed(1)} MB (largest file)`);
  rmSync(work, { recursive: true, force: true });

  // Flat memory: the largest fixture read completely, over and over, in this one process.
  const largest = readdirSync(fixtures)
    .filter((name) => name.endsWith('.pst') && !name.startsWith('NOT_A_PST') && !name.includes('BADHEADERCRC'))
    .map((name) => path.join(fixtures, name))
    .sort((a, b) => statSync(b).size - statSync(a).size)[0];
  if (!largest) return;
  const samples: number[] = [];
  const started = Date.now();
  for (let round = 1; round <= rounds; round++) {
    const source = new PstSource([largest]);
    await source.open();
    for await (const entry of source.entries(context())) {
      if (entry.type !== 'item') continue;
      if (entry.item.kind === 'mail') await entry.item.load();
      else renderTypedItem(entry.item);
    }
    await source.close();
    gc?.();
    samples.push(process.memoryUsage().rss);
  }
  const mb = (bytes: number | undefined): string => ((bytes ?? 0) / 1048576).toFixed(1);
  const at = (round: number): number | undefined => samples[round - 1];
  console.log('');
  console.log(`${path.basename(largest)} (${(statSync(largest).size / 1048576).toFixed(1)} MB) read ${rounds} times in ${((Date.now() - started) / 1000).toFixed(1)} s${gc ? ' (gc after each round)' : ''}`);
  console.log(`RSS after round 1: ${mb(at(1))} MB, 10: ${mb(at(10))} MB, 50: ${mb(at(50))} MB, 100: ${mb(at(100))} MB, ${rounds}: ${mb(at(rounds))} MB; max ${mb(Math.max(...samples))} MB`);
  const tail = samples.slice(Math.floor(samples.length / 2));
  console.log(`RSS growth over the second half: ${mb((tail[tail.length - 1] ?? 0) - (tail[0] ?? 0))} MB`);
}

await main();
