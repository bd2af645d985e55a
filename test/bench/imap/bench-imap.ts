import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';
import { repoRoot } from '../../support/fixtures.js';
import { plainMessage } from '../../support/generate-mail.js';

/**
 * IMAP source benchmark: Dovecot on loopback, 10,000 messages (1% of 200 KB, the rest 4 KB, as in
 * shared/test-peers/dovecot/README.md), drained (1) by plain imapflow FETCH 1:* (the reference peer),
 * (2) through the IMAP source, (3) through the pipeline into dir:. Each in a child process so CPU and
 * RSS are its own. Then one 100 MB message through the source, for memory.
 * Run: `npx tsc -b && npx vitest run --config test/bench/imap/vitest.config.ts`
 * Knobs (env): IMAP_BENCH_MESSAGES (10000), IMAP_BENCH_BIG_MB (100), IMAP_BENCH_ROUNDS (2),
 * IMAP_BENCH_SOURCE_ONLY=1 (skip the pipeline → dir: run).
 */
const run = promisify(execFile);
const MB = 1024 * 1024;
const count = Number(process.env.IMAP_BENCH_MESSAGES ?? 10_000);
const bigMb = Number(process.env.IMAP_BENCH_BIG_MB ?? 100);
const rounds = Number(process.env.IMAP_BENCH_ROUNDS ?? 2);
const sourceOnly = process.env.IMAP_BENCH_SOURCE_ONLY === '1';
const child = fileURLToPath(new URL('./drain-imap.mjs', import.meta.url));
const compiled = existsSync(path.join(repoRoot, 'build/out/electron/engine/sources/imap/imap-spec.js'));

interface Figures {
  mode: string;
  messages: number;
  bytes: number;
  seconds: number;
  peakRss: number;
}

function message(i: number): Buffer {
  const size = i % 100 === 0 ? 200_000 : 4_000;
  return plainMessage(i, size, { subject: 'Bench', id: 'bench', year: 2022 });
}

describe.skipIf(!hasDovecot || !compiled)('IMAP source benchmark', () => {
  let dovecot: Dovecot;
  let work: string;
  let corpusBytes = 0;
  const rows: string[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
    work = mkdtempSync(path.join(os.tmpdir(), 'cloudward-imap-bench-'));
    const messages = Array.from({ length: count }, (_, i) => message(i));
    corpusBytes = messages.reduce((sum, m) => sum + m.length, 0);
    dovecot.writeMaildir('alice', 'Bench', messages);
    // Dovecot indexes the new Maildir on first SELECT: done here so every mode below sees a warm index.
    const client = await dovecot.client('alice');
    const indexing = performance.now();
    await client.status('Bench', { messages: true });
    rows.push(`Dovecot indexing the ${count}-file Maildir on first STATUS: ${((performance.now() - indexing) / 1000).toFixed(2)} s (not counted below)`);
    await client.logout();
  });
  afterAll(async () => {
    await dovecot?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
    console.info(`\n${rows.join('\n')}\n`);
  });

  async function drain(mode: string, user: string, out?: string): Promise<Figures> {
    const spec = `imaps://${user}@127.0.0.1:${dovecot.tlsPort}`;
    const { stdout } = await run('node', [child, mode, spec, dovecot.caFile, ...(out ? [out] : [])], {
      env: { ...process.env, CLOUDWARD_SOURCE_PASSWORD: dovecot.users[user] },
      maxBuffer: 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Figures;
  }

  function row(label: string, figures: Figures, reference?: Figures): string {
    const rate = figures.messages / figures.seconds;
    const ratio = reference ? ` | ${(rate / (reference.messages / reference.seconds)).toFixed(2)}×` : ' | 1.00×';
    return `| ${label} | ${figures.messages} | ${(figures.bytes / MB).toFixed(1)} | ${figures.seconds.toFixed(2)} | ${Math.round(rate)} | ${(figures.bytes / MB / figures.seconds).toFixed(1)} | ${Math.round(figures.peakRss / MB)}${ratio} |`;
  }

  it(`drains ${count} messages: reference imapflow, the IMAP source, the pipeline into dir:`, async () => {
    rows.push(`Corpus: ${count} messages, ${(corpusBytes / MB).toFixed(1)} MB; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(2)}`);
    rows.push('| run | messages | MB | s | msg/s | MB/s | peak RSS MB | vs imapflow |', '|---|---|---|---|---|---|---|---|');
    for (let round = 1; round <= rounds; round++) {
      const peer = await drain('peer', 'alice');
      const source = await drain('source', 'alice');
      rows.push(row(`imapflow FETCH 1:* (reference), round ${round}`, peer));
      rows.push(row(`IMAP source (entries + load), round ${round}`, source, peer));
      expect(peer.messages).toBe(count);
      expect(source.messages).toBe(count);
      expect(source.bytes).toBe(corpusBytes);
      if (sourceOnly) continue;
      const out = mkdtempSync(path.join(work, 'dir-'));
      const dir = await drain('dir', 'alice', out);
      rmSync(out, { recursive: true, force: true });
      rows.push(row(`IMAP source → pipeline → dir:, round ${round}`, dir, peer));
      expect(dir.messages).toBe(count);
    }
  });

  it(`one ${bigMb} MB message: streamed in chunks into one buffer`, async () => {
    const line = 'The quick brown fox jumps over the lazy dog, 0123456789 abcdefghijklmnopqrstuvwxyz.\r\n';
    const big = Buffer.from(`From: a@example.com\r\nSubject: big\r\nMessage-ID: <big@example.com>\r\n\r\n${line.repeat(Math.ceil((bigMb * MB) / line.length))}`);
    dovecot.writeMaildir('bob', 'INBOX', [big]);
    const source = await drain('source', 'bob');
    const peer = await drain('peer', 'bob');
    rows.push('', `One message of ${(big.length / MB).toFixed(1)} MB:`, '| run | messages | MB | s | msg/s | MB/s | peak RSS MB | vs imapflow |', '|---|---|---|---|---|---|---|---|');
    rows.push(row('imapflow FETCH source (reference)', peer));
    rows.push(row('IMAP source (1 MB partial FETCHes into one buffer)', source, peer));
    expect(source.bytes).toBe(big.length);
  });
});

if (!hasDovecot) console.warn(`IMAP benchmark skipped: ${noDovecotReason}`);
if (!compiled) console.warn('IMAP benchmark skipped: run `npx tsc -b` first (it uses the compiled engine)');
