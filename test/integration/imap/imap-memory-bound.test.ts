import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cliEntry, ensureBuilt } from '../../support/run-cli.js';
import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';
import { plainMessage } from '../../support/generate-mail.js';

if (!hasDovecot) console.warn(`IMAP memory-bound test skipped: ${noDovecotReason}`);

// Issue 15: memory must not grow with the number or size of messages in flight beyond a bounded window.
// 174 MB of mail (250 × 600 KB, one page of UIDs, fetched 1 MB at a time; 8 × 3 MB streamed in pieces) must cost the
// `cloudward migrate` process (started as a user starts it: the executable, with its launcher's V8 flags)
// at most `window` MiB more peak RSS than one 6 KB message does (measured 20–50: the window, plus the dead
// Buffers V8 lets pile up to its 64 MiB external-memory trigger). Holding a page's bodies (150 MB) at once,
// as the source did before issue 15, or all of the mail, crosses that line.
const window = 72;
const mib = 1_048_576;

function message(i: number, size: number): Buffer {
  return plainMessage(i, size, { subject: 'Bound', id: 'bound', year: 2023 });
}

/** Peak RSS (VmHWM) of the migrate process, reported by a module it imports first; the whole run's exit code. */
function migratePeak(dovecot: Dovecot, user: string, work: string, name: string): Promise<{ code: number | null; peakMib: number; stderr: string }> {
  const probe = join(work, 'peak-probe.mjs');
  writeFileSync(
    probe,
    "import { readFileSync } from 'node:fs';\n" +
      "process.on('exit', () => process.stderr.write(`VmHWM ${/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]}\\n`));\n",
  );
  const out = join(work, `out-${name}`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      cliEntry,
      ['migrate', '--source', `imaps://${user}@127.0.0.1:${dovecot.tlsPort}`, '--source-ca', dovecot.caFile, '--target', `dir:${out}`, '--ledger', join(work, `${name}.sqlite`), '--log', join(work, 'log')],
      { env: { ...process.env, NODE_OPTIONS: `--import=${probe}`, CLOUDWARD_SOURCE_PASSWORD: dovecot.users[user], CLOUDWARD_HOME: work }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, peakMib: Number(/VmHWM (\d+)/.exec(stderr)?.[1] ?? 0) / 1024, stderr }));
  });
}

function bytesUnder(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    if (!name.endsWith('.eml')) continue;
    files++;
    bytes += statSync(join(dir, name)).size;
  }
  return { files, bytes };
}

describe.skipIf(!hasDovecot || process.platform !== 'linux')('IMAP → dir: memory stays within a window, whatever the mailbox holds', () => {
  let dovecot: Dovecot;
  const work = mkdtempSync(join(tmpdir(), 'cloudward-imap-bound-'));
  const big = [...Array.from({ length: 250 }, (_, i) => message(i, 600_000)), ...Array.from({ length: 8 }, (_, i) => message(1000 + i, 3_000_000))];
  const bigBytes = big.reduce((sum, m) => sum + m.length, 0);

  beforeAll(async () => {
    ensureBuilt();
    dovecot = await startDovecot();
    dovecot.addUser('small', 'pass');
    dovecot.writeMaildir('small', 'INBOX', [message(0, 6_000)]);
    dovecot.writeMaildir('alice', 'Big', big);
  }, 120_000);
  afterAll(async () => {
    await dovecot?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it(`174 MB of mail costs at most ${window} MiB more peak RSS than one message`, async () => {
    const floor = await migratePeak(dovecot, 'small', work, 'small');
    expect(floor.code, floor.stderr).toBe(0);
    const run = await migratePeak(dovecot, 'alice', work, 'big');
    expect(run.code, run.stderr).toBe(0);
    // Everything arrived, full bodies, so the bound is not met by leaving mail behind.
    expect(bytesUnder(join(work, 'out-big'))).toEqual({ files: big.length, bytes: bigBytes });
    console.info(`peak RSS: one message ${floor.peakMib.toFixed(0)} MiB, ${(bigBytes / mib).toFixed(0)} MB of mail ${run.peakMib.toFixed(0)} MiB`);
    expect(floor.peakMib).toBeGreaterThan(0);
    expect(run.peakMib - floor.peakMib).toBeLessThan(window);
  }, 300_000);
});
