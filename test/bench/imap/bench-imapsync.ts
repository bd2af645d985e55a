/**
 * IMAP against imapsync 2.229 (issue 15, goal 1), side by side on one loopback Dovecot and one corpus.
 * Cloudward: `cloudward migrate --source imaps://alice@… --target dir:…` (IMAP → local, the whole
 * process as a user runs it). imapsync: IMAP → IMAP, alice → a fresh user per round on the same Dovecot
 * (it has no local target). Rounds alternate (Cloudward, imapsync, Cloudward, …) so machine load hits
 * both alike; the ratios within a round are the figures. Each process measured by GNU time (wall,
 * CPU, peak RSS of that process alone).
 *
 *   npx tsc -b tsconfig.json && npx tsx test/bench/imap/bench-imapsync.ts [messages] [rounds]
 *   Cloudward runs as the `cloudward` executable (build/cloudward.js, with the V8 flags of its first line);
 *   BENCH_NODE_FLAGS='…' runs `node … build/cloudward.js` instead (BENCH_NODE_FLAGS= : node's defaults).
 *
 * Needs dovecot, GNU time and imapsync's Perl modules (build/scripts/bench.sh installs them; see
 * ../shared/tools/imapsync/SOURCE.md). A missing one is said plainly and the bench exits 0: it is a
 * benchmark, not a test. imapsync runs without TLS (as in SOURCE.md), Cloudward with it: that favours
 * imapsync.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { hasDovecot, noDovecotReason, startDovecot } from '../../support/dovecot.js';
import { repoRoot } from '../../support/fixtures.js';
import { plainMessage } from '../../support/generate-mail.js';

const imapsync = process.env.IMAPSYNC ?? path.resolve(repoRoot, '../shared/tools/imapsync/imapsync');
const count = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 3);
const cli = path.join(repoRoot, 'build/cloudward.js');

/** The corpus of the measurement, scaled: mostly small mail, 5% of 100 KB, 1% of 1 MB. */
function message(i: number): Buffer {
  const size = i % 100 === 7 ? 1_000_000 : i % 20 === 3 ? 100_000 : 6_000;
  return plainMessage(i, size, { subject: 'Bench', id: 'sync-bench', year: 2022 });
}

interface Measured {
  wall: number;
  cpu: number;
  rssMb: number;
  code: number;
  stderr: string;
}

/** Runs under GNU time; its figures go to a file so the program's own output cannot mix in. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Measured {
  const out = path.join(os.tmpdir(), `cloudward-bench-time-${process.pid}`);
  const result = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', command, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const [wall = 0, user = 0, system = 0, rssKb = 0] = readFileSync(out, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  rmSync(out, { force: true });
  if (result.status !== 0) process.stderr.write(`${command} exited ${result.status}:\n${(result.stderr || '').slice(-2000)}\n${(result.stdout || '').slice(-2000)}\n`);
  return { wall, cpu: user + system, rssMb: rssKb / 1024, code: result.status ?? -1, stderr: result.stderr || '' };
}

function missing(): string | undefined {
  if (!hasDovecot) return noDovecotReason;
  if (!existsSync('/usr/bin/time')) return 'GNU time is not installed (apt-get install time)';
  if (!existsSync(imapsync)) return `imapsync not found at ${imapsync} (set IMAPSYNC)`;
  if (spawnSync('perl', ['-c', imapsync], { stdio: 'ignore' }).status !== 0) return 'imapsync\'s Perl modules are missing: see ../shared/tools/imapsync/SOURCE.md (build/scripts/bench.sh installs them)';
  if (!existsSync(path.join(repoRoot, 'build/out/electron/cli/main.js'))) return 'Cloudward is not built: npx tsc -b tsconfig.json';
  return undefined;
}

async function main(): Promise<void> {
  const why = missing();
  if (why) {
    process.stdout.write(`imapsync bench skipped: ${why}\n`);
    return;
  }
  const dovecot = await startDovecot();
  const work = mkdtempSync(path.join(os.tmpdir(), 'cloudward-imapsync-bench-'));
  try {
    const messages = Array.from({ length: count }, (_, i) => message(i));
    const bytes = messages.reduce((sum, m) => sum + m.length, 0);
    dovecot.writeMaildir('alice', 'Bench', messages);
    const client = await dovecot.client('alice');
    await client.status('Bench', { messages: true }); // Dovecot indexes the Maildir now, not in round 1.
    await client.logout();
    process.stdout.write(`corpus: ${count} messages, ${(bytes / 1_048_576).toFixed(1)} MiB in one folder; ${rounds} rounds alternated\n`);
    const rows: { round: number; ours: Measured; theirs: Measured }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const out = path.join(work, `dir-${round}`);
      // As a user starts it: the `cloudward` executable (its launcher line sets V8's flags), unless
      // BENCH_NODE_FLAGS asks for `node FLAGS build/cloudward.js` to try others.
      const nodeFlags = process.env.BENCH_NODE_FLAGS;
      const ours = timed(
        nodeFlags === undefined ? cli : 'node',
        [...(nodeFlags === undefined ? [] : [...nodeFlags.split(' ').filter(Boolean), cli]), 'migrate', '--source', `imaps://alice@127.0.0.1:${dovecot.tlsPort}`, '--source-ca', dovecot.caFile, '--target', `dir:${out}`, '--ledger', path.join(work, `ledger-${round}.sqlite`), '--log', path.join(work, 'log'), '--profile'],
        { ...process.env, CLOUDWARD_SOURCE_PASSWORD: dovecot.users['alice'], CLOUDWARD_HOME: work },
      );
      // --profile's line: where Cloudward's time went in this round.
      const profileLine = /wall \d.*$/m.exec(ours.stderr)?.[0] ?? '';
      rmSync(out, { recursive: true, force: true });
      const user = `sync${round}`;
      dovecot.addUser(user, 'pass');
      const theirs = timed(
        'perl',
        [imapsync, '--host1', '127.0.0.1', '--port1', String(dovecot.port), '--user1', 'alice', '--password1', dovecot.users['alice'] ?? 'pass',
          '--host2', '127.0.0.1', '--port2', String(dovecot.port), '--user2', user, '--password2', 'pass',
          '--nossl1', '--nossl2', '--notls1', '--notls2', '--nolog', '--noreleasecheck', '--tmpdir', work, '--folder', 'Bench'],
        process.env,
      );
      rows.push({ round, ours, theirs });
      const rate = (m: Measured): number => (m.wall > 0 ? count / m.wall : 0);
      process.stdout.write(
        `round ${round}: cloudward ${rate(ours).toFixed(0)} msg/s (${ours.wall.toFixed(2)} s, ${ours.cpu.toFixed(1)} CPU-s, ${ours.rssMb.toFixed(0)} MiB, exit ${ours.code}); ` +
          `imapsync ${rate(theirs).toFixed(0)} msg/s (${theirs.wall.toFixed(2)} s, ${theirs.cpu.toFixed(1)} CPU-s, ${theirs.rssMb.toFixed(0)} MiB, exit ${theirs.code}); ` +
          `throughput ${(theirs.wall / ours.wall).toFixed(2)}× imapsync, RSS ${(ours.rssMb / theirs.rssMb).toFixed(2)}× imapsync's\n` +
          `  cloudward --profile: ${profileLine}\n`,
      );
    }
    const ratios = rows.map((row) => row.theirs.wall / row.ours.wall).sort((a, b) => a - b);
    const rss = rows.map((row) => row.ours.rssMb / row.theirs.rssMb).sort((a, b) => a - b);
    const median = (values: number[]): number => values[Math.floor(values.length / 2)] ?? 0;
    process.stdout.write(
      `summary: throughput ${median(ratios).toFixed(2)}× imapsync at the median (${ratios[0]?.toFixed(2)}–${ratios.at(-1)?.toFixed(2)}; goal ≥ 3×), ` +
        `peak RSS ${median(rss).toFixed(2)}× imapsync's (${rss[0]?.toFixed(2)}–${rss.at(-1)?.toFixed(2)}; goal ≤ 0.5×)\n` +
        `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`,
    );
  } finally {
    await dovecot.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
