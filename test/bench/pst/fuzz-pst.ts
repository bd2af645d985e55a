/**
 * Fuzzes the PST reader with mutated fixtures (not in CI).
 *
 *   npx jiti test/bench/pst/fuzz-pst.ts [cases=10000] [seed=1]
 *
 * Each case is a fixture with bytes flipped, a block overwritten, the file truncated, or header fields
 * changed (with the header CRCs recomputed, so the damage reaches the b-trees). A worker process reads
 * the whole file (every folder, every mail as MIME, every typed item rendered); the parent kills it
 * when one case takes over 20 s (a hang) and watches its memory. A case passes when the reader either
 * finishes (with per-item failures reported) or refuses the file with a one-line CloudwardError.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import { CloudwardError } from '../../../electron/contract/index.js';
import { renderTypedItem } from '../../../electron/engine/formats/render-item.js';
import type { UnreadableItem } from '../../../electron/engine/sources/source.js';
import { pstCrc } from '../../../electron/engine/sources/pst/header.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/pst');

/** xorshift32: the same seed gives the same cases, so a finding can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function fixHeaderCrcs(data: Buffer): void {
  if (data.length < 564) return;
  data.writeUInt32LE(pstCrc(data.subarray(8, 8 + 471)), 4);
  const version = data.readUInt16LE(10);
  if (version >= 23) data.writeUInt32LE(pstCrc(data.subarray(8, 8 + 516)), 524);
}

export function mutate(original: Buffer, random: () => number): { data: Buffer; how: string } {
  const data = Buffer.from(original);
  const pick = random();
  const at = (): number => 564 + Math.floor(random() * (data.length - 564));
  if (pick < 0.5) {
    const flips = 1 + Math.floor(random() * 16);
    for (let i = 0; i < flips; i++) data[at()] = Math.floor(random() * 256);
    return { data, how: `flip ${flips} bytes` };
  }
  if (pick < 0.7) {
    const start = at();
    const length = 1 + Math.floor(random() * 512);
    for (let i = start; i < Math.min(data.length, start + length); i++) data[i] = Math.floor(random() * 256);
    return { data, how: `overwrite ${length} bytes at ${start}` };
  }
  if (pick < 0.8) {
    const cut = Math.floor(random() * data.length);
    return { data: data.subarray(0, cut), how: `truncate at ${cut}` };
  }
  if (pick < 0.9) {
    // Header fields (b-tree roots, file size, encryption, counts), then valid CRCs.
    const fields = 1 + Math.floor(random() * 4);
    for (let i = 0; i < fields; i++) data[8 + Math.floor(random() * 516)] = Math.floor(random() * 256);
    fixHeaderCrcs(data);
    return { data, how: `header ${fields} bytes, CRC fixed` };
  }
  // A whole 512-byte page copied over another: b-tree pages that point at the wrong places.
  const from = at() & ~511;
  const to = at() & ~511;
  data.copy(data, to, from, Math.min(data.length, from + 512));
  return { data, how: `page ${from} over ${to}` };
}

interface CaseResult {
  index: number;
  outcome: 'read' | 'refused' | 'escaped';
  items: number;
  unreadable: number;
  message?: string;
  rss: number;
}

async function readCase(file: string): Promise<Omit<CaseResult, 'index' | 'rss'>> {
  const source = new PstSource([file]);
  let items = 0;
  const unreadable: UnreadableItem[] = [];
  try {
    await source.open();
    const context = {
      signal: new AbortController().signal,
      checkpoint: () => undefined,
      saveCheckpoint: () => undefined,
      isSettled: () => false,
      unsettledKeys: () => [],
      reportUnreadable: (failure: UnreadableItem) => unreadable.push(failure),
    };
    for await (const entry of source.entries(context)) {
      if (entry.type !== 'item') continue;
      items++;
      const item = entry.item;
      if (item.kind === 'mail') {
        try {
          await item.load();
        } catch (error) {
          if (!(error instanceof CloudwardError)) throw error;
          unreadable.push({ key: item.key, folderPath: item.folder.path, kind: 'mail', reason: error.message });
        }
      } else {
        renderTypedItem(item);
      }
    }
    return { outcome: 'read', items, unreadable: unreadable.length };
  } catch (error) {
    if (error instanceof CloudwardError && !error.message.includes('\n')) {
      return { outcome: 'refused', items, unreadable: unreadable.length, message: error.message.replace(file, '<file>') };
    }
    const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    return { outcome: 'escaped', items, unreadable: unreadable.length, message };
  } finally {
    await source.close();
  }
}

/** Worker: reads the case files named on stdin, one JSON result per line on stdout. */
async function worker(): Promise<void> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const { index, file } = JSON.parse(line) as { index: number; file: string };
    const result = await readCase(file);
    process.stdout.write(`${JSON.stringify({ index, ...result, rss: process.memoryUsage().rss })}\n`);
  }
}

async function main(): Promise<void> {
  const total = Number(process.argv[2] ?? 10_000);
  const seed = Number(process.argv[3] ?? 1);
  const random = rng(seed);
  const sources = readdirSync(fixtures)
    .filter((name) => name.endsWith('.pst') && !name.startsWith('NOT_A_PST') && !name.includes('BADHEADERCRC'))
    .filter((name) => readFileSync(path.join(fixtures, name)).length <= 1_000_000)
    .map((name) => ({ name, data: readFileSync(path.join(fixtures, name)) }));
  const workDir = path.join(tmpdir(), `cloudward-fuzz-${process.pid}`);
  mkdirSync(workDir, { recursive: true });
  const findings: string[] = [];
  const tally = { read: 0, refused: 0, escaped: 0, hang: 0, crash: 0, items: 0, unreadable: 0 };
  const refusals = new Map<string, number>();
  let maxRss = 0;
  const started = Date.now();
  const jiti = path.join(repoRoot, 'node_modules/jiti/lib/jiti-cli.mjs');
  let next = 0;
  const cases = new Map<number, { name: string; how: string; file: string }>();
  const makeCase = (index: number): { index: number; file: string } => {
    const source = sources[Math.floor(random() * sources.length)] ?? sources[0];
    if (!source) throw new Error('no fixtures');
    const { data, how } = mutate(source.data, random);
    const file = path.join(workDir, `case-${index % 64}.pst`);
    writeFileSync(file, data);
    cases.set(index, { name: source.name, how, file });
    return { index, file };
  };
  while (next < total) {
    // One worker at a time (the machine is shared); a hung or crashed worker is replaced.
    const child = spawn(process.execPath, ['--max-old-space-size=768', jiti, fileURLToPath(import.meta.url), '--worker'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    const send = (): void => {
      if (next >= total) {
        child.stdin.end();
        return;
      }
      const c = makeCase(next++);
      current = c.index;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const info = cases.get(current);
        tally.hang++;
        findings.push(`HANG case ${current} (${info?.name}, ${info?.how})`);
        if (info) writeFileSync(path.join(workDir, `hang-${current}.pst`), readFileSync(info.file));
        child.kill('SIGKILL');
      }, 20_000);
      child.stdin.write(`${JSON.stringify(c)}\n`);
    };
    const done = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal !== 'SIGKILL' && code !== 0 && current >= 0) {
          const info = cases.get(current);
          tally.crash++;
          findings.push(`CRASH case ${current} (${info?.name}, ${info?.how}): exit ${code ?? signal}`);
          if (info) writeFileSync(path.join(workDir, `crash-${current}.pst`), readFileSync(info.file));
        }
        resolve();
      });
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const result = JSON.parse(line) as CaseResult;
      cases.delete(result.index);
      tally[result.outcome]++;
      tally.items += result.items;
      tally.unreadable += result.unreadable;
      maxRss = Math.max(maxRss, result.rss);
      if (result.outcome === 'refused' && result.message) {
        const kind = result.message.replace(/<file>: /, '').replace(/\d+/g, 'N').slice(0, 80);
        refusals.set(kind, (refusals.get(kind) ?? 0) + 1);
      }
      if (result.outcome === 'escaped') findings.push(`ESCAPED case ${result.index}: ${result.message}`);
      if ((result.index + 1) % 1000 === 0) {
        console.log(`${result.index + 1} cases, ${Math.round((Date.now() - started) / 1000)} s: ${JSON.stringify(tally)}, findings ${findings.length}`);
      }
      send();
    });
    send();
    await done;
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(JSON.stringify({ cases: total, seed, seconds, ...tally, maxWorkerRssMb: Math.round(maxRss / 1048576) }, null, 2));
  console.log('refusals by kind:');
  for (const [kind, count] of [...refusals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${count}  ${kind}`);
  console.log(findings.length === 0 ? 'no findings' : findings.slice(0, 50).join('\n'));
}

if (process.argv.includes('--worker')) await worker();
else await main();
