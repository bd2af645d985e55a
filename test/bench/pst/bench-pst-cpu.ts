/**
 * CPU per GB of PST, whole process and at the margin, from PST files to the dir: target, the EWS peer and the
 * Graph peer (issue 15 goal 4: at most 20 CPU-s per GB), with readpst's CPU on the same files beside it.
 *
 *   npx tsc -b tsconfig.json && npx tsx test/bench/pst/bench-pst-cpu.ts [rounds=2] [files=4] [mailboxes=4]
 *   (PST_BENCH_CPU_PROF=<dir>: each child writes a V8 CPU profile there, under <target>-<mailboxes>/)
 *
 * The engine runs compiled in a child process (run-pst-job.mjs); the peers run here, so their CPU is not
 * counted. Each child migrates the `files` largest readable fixture PSTs as one mailbox, `mailboxes` times
 * (one target mailbox each, one after the other): "at the margin" is (CPU of N mailboxes − CPU of 1) / the
 * extra GB, which leaves out start-up, imports and the target's sign-in; "whole process" is everything the
 * process spent, for one mailbox. readpst runs `readpst -j 0 -D -e` on the same files (its CPU from GNU time).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { startEwsPeer } from '../../peers/ews/ews-peer.js';
import { startGraphPeer } from '../../peers/graph/graph-peer.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../../shared/fixtures/pst');
const child = path.join(here, 'run-pst-job.mjs');
const rounds = Number(process.argv[2] ?? 2);
const fileCount = Number(process.argv[3] ?? 4);
const many = Number(process.argv[4] ?? 4);
const GB = 1024 ** 3;

interface ChildResult {
  elapsedMs: number;
  cpuWholeMs: number;
  cpuImportsMs: number;
  cpuJobMs: number;
  peakRssMb: number;
  summary: { itemsDone: number; itemsFailed: number; itemsSkipped: number };
  mailboxErrors: unknown[];
}

const files = readdirSync(fixtures)
  .filter((name) => name.endsWith('.pst') && !name.startsWith('NOT_A_PST') && !name.includes('BADHEADERCRC'))
  .map((name) => path.join(fixtures, name))
  .sort((a, b) => statSync(b).size - statSync(a).size)
  .slice(0, fileCount);
const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);

async function job(target: 'dir' | 'ews' | 'graph', url: string, mailboxes: number, work: string): Promise<ChildResult> {
  const dir = mkdtempSync(path.join(work, `${target}-`));
  const args = { target, url, files, mailboxes, ledger: path.join(dir, 'ledger.sqlite'), out: path.join(dir, 'out') };
  const profile = process.env.PST_BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', path.join(process.env.PST_BENCH_CPU_PROF, `${target}-${mailboxes}`)] : [];
  const { stdout } = await run(process.execPath, [...profile, child, JSON.stringify(args)], { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, CLOUDWARD_TARGET_TOKEN: 'bench-token' } });
  rmSync(dir, { recursive: true, force: true });
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
  if (result.mailboxErrors.length > 0 || result.summary.itemsFailed > 0) throw new Error(`${target}: ${JSON.stringify(result.mailboxErrors).slice(0, 500)} failed ${result.summary.itemsFailed}`);
  return result;
}

function readpstCpu(work: string): number {
  let cpu = 0;
  for (const file of files) {
    const out = mkdtempSync(path.join(work, 'readpst-'));
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S', 'readpst', '-j', '0', '-D', '-e', '-q', '-o', out, file], { encoding: 'utf8' });
    const [user, system] = (result.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
    cpu += (user ?? 0) + (system ?? 0);
    rmSync(out, { recursive: true, force: true });
  }
  return cpu;
}

const perGb = (cpuMs: number, over: number): string => ((cpuMs / 1000) / (over / GB)).toFixed(0);

async function main(): Promise<void> {
  if (!existsSync(path.resolve(here, '../../../build/out/electron/engine/pipeline/run-job.js'))) throw new Error('run `npx tsc -b tsconfig.json` first');
  const work = mkdtempSync(path.join(tmpdir(), 'cloudward-bench-pst-cpu-'));
  const ews = await startEwsPeer({ validation: 'off' });
  const graph = await startGraphPeer({ simulate: { discardContent: true, skipValidation: true } });
  console.log(`machine: nproc ${cpus().length}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`corpus: ${files.map((f) => path.basename(f)).join(', ')}: ${(bytes / 1048576).toFixed(1)} MB of PST per mailbox`);
  try {
    for (let round = 1; round <= rounds; round++) {
      const rp = existsSync('/usr/bin/time') ? readpstCpu(work) : undefined;
      if (rp !== undefined) console.log(`round ${round} readpst -j 0 -D -e: ${rp.toFixed(2)} CPU-s for the ${files.length} files = ${perGb(rp * 1000, bytes)} CPU-s/GB (whole processes)`);
      for (const [target, url] of [['dir', ''], ['ews', ews.url], ['graph', graph.url]] as const) {
        const one = await job(target, url, 1, work);
        const n = await job(target, url, many, work);
        const items = n.summary.itemsDone / many;
        if (n.summary.itemsDone !== many * one.summary.itemsDone) throw new Error(`${target}: ${many} mailboxes did ${n.summary.itemsDone} items, not ${many} × ${one.summary.itemsDone}`);
        const marginMs = n.cpuJobMs - one.cpuJobMs;
        console.log(
          `round ${round} ${target.padEnd(5)}: 1 mailbox ${one.summary.itemsDone} items, whole process ${(one.cpuWholeMs / 1000).toFixed(2)} CPU-s ` +
            `(imports ${(one.cpuImportsMs / 1000).toFixed(2)}, job ${(one.cpuJobMs / 1000).toFixed(2)}) = ${perGb(one.cpuWholeMs, bytes)} CPU-s/GB whole, ${perGb(one.cpuJobMs, bytes)} job; ` +
            `${many} mailboxes job ${(n.cpuJobMs / 1000).toFixed(2)} CPU-s → margin ${perGb(marginMs, bytes * (many - 1))} CPU-s/GB, ` +
            `${(marginMs / ((many - 1) * items)).toFixed(1)} ms/item; peak RSS ${n.peakRssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await ews.close();
    await graph.close();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
