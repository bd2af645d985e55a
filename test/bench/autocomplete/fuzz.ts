/**
 * Fuzzes the autocomplete reader and writer with mutated fixtures (not in CI).
 *
 *   npx tsx test/bench/autocomplete/fuzz.ts [cases=100000] [seed=1]
 *
 * Cases (see mutate.ts): bit flips, truncations, lying length and count fields, splices of the two
 * fixtures, random bytes. A child process with a 256 MB heap limit reads each case (and writes back what
 * it read); a case passes when it reads or is refused with FORMAT_INVALID. The parent counts a hang when
 * the worker is silent for 10 s, a crash when the worker dies, an escape for any other error, and records
 * the slowest case and the peak RSS.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';

import { CloudwardError } from '../../../electron/contract/index.js';
import { readAutocomplete, writeAutocompleteFile } from '../../../electron/engine/autocomplete/index.js';
import { mutate, rng } from './mutate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../../shared/fixtures/nk2');
const CASE_LIMIT_MS = 1_000;
const SILENCE_LIMIT_MS = 10_000;

interface Progress {
  done: number;
  read: number;
  refused: number;
  escaped: { index: number; how: string; error: string }[];
  slow: { index: number; how: string; ms: number }[];
  slowestMs: number;
  slowestHow: string;
}

function work(cases: number, seed: number): void {
  const originals = ['hughbe_Outlook.NK2', 'Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat'].map((name) => new Uint8Array(readFileSync(path.join(fixtures, name))));
  const random = rng(seed);
  const progress: Progress = { done: 0, read: 0, refused: 0, escaped: [], slow: [], slowestMs: 0, slowestHow: '' };
  for (let index = 0; index < cases; index += 1) {
    const { data, how } = mutate(originals, random);
    const started = performance.now();
    try {
      writeAutocompleteFile(readAutocomplete(data).file);
      progress.read += 1;
    } catch (error) {
      if (error instanceof CloudwardError && error.code === 'FORMAT_INVALID' && !error.message.includes('\n')) progress.refused += 1;
      else if (progress.escaped.length < 20) progress.escaped.push({ index, how, error: String(error) });
    }
    const ms = performance.now() - started;
    if (ms > progress.slowestMs) {
      progress.slowestMs = ms;
      progress.slowestHow = `case ${index}: ${how}`;
    }
    if (ms > CASE_LIMIT_MS && progress.slow.length < 20) progress.slow.push({ index, how, ms });
    progress.done = index + 1;
    if (progress.done % 1000 === 0 || progress.done === cases) process.send!(progress);
  }
}

async function main(): Promise<void> {
  const cases = Number(process.argv[2] ?? 100_000);
  const seed = Number(process.argv[3] ?? 1);
  const started = performance.now();
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let last: Progress | undefined;
  let lastAt = Date.now();
  const worker = fork(fileURLToPath(import.meta.url), ['--worker', String(cases), String(seed)], {
    execArgv: ['--import', 'tsx', '--max-old-space-size=256'],
  });
  let workerPeakRss = 0;
  const childSampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${worker.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      workerPeakRss = Math.max(workerPeakRss, kb * 1024);
    } catch {
      // Gone already, or not Linux.
    }
  }, 200);
  const outcome = await new Promise<string>((resolveOutcome) => {
    const watchdog = setInterval(() => {
      if (Date.now() - lastAt > SILENCE_LIMIT_MS) {
        worker.kill('SIGKILL');
        resolveOutcome(`HANG: worker silent for ${SILENCE_LIMIT_MS} ms after case ${last?.done ?? 0}`);
      }
    }, 500);
    worker.on('message', (message: Progress) => {
      last = message;
      lastAt = Date.now();
    });
    worker.on('error', (error) => resolveOutcome(`CRASH: ${String(error)} after case ${last?.done ?? 0}`));
    worker.on('exit', (code) => {
      clearInterval(watchdog);
      clearInterval(childSampler);
      resolveOutcome(code === 0 ? 'ok' : `CRASH: worker exit ${code}`);
    });
  });
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const result = {
    cases,
    seed,
    outcome,
    done: last?.done ?? 0,
    read: last?.read ?? 0,
    refused: last?.refused ?? 0,
    escaped: last?.escaped ?? [],
    overCaseLimit: last?.slow ?? [],
    slowestMs: Number((last?.slowestMs ?? 0).toFixed(2)),
    slowestCase: last?.slowestHow,
    seconds: Number(seconds.toFixed(1)),
    parentPeakRssMb: Math.round(peakRss / 1024 / 1024),
    workerPeakRssMb: Math.round(workerPeakRss / 1024 / 1024),
    node: process.version,
  };
  console.log(JSON.stringify(result, null, 2));
  if (outcome !== 'ok' || result.escaped.length > 0 || result.overCaseLimit.length > 0) process.exitCode = 1;
}

if (process.argv[2] === '--worker') work(Number(process.argv[3]), Number(process.argv[4]));
else void main();
