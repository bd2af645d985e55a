/**
 * Cloudward's side of bench-imapsync.ts alone, once per variant (env and node flags), rounds alternated,
 * for comparing levers quickly: npx tsx test/bench/imap/try-variants.ts COUNT ROUNDS 'label|FLAGS|ENV=V ...' ...
 * FLAGS 'EXEC [NODE_OPTIONS…]' runs the `cloudward` executable as a user does; CORPUS=big: 200 × 400 KB, then 3 MB each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startDovecot } from '../../support/dovecot.js';
import { repoRoot } from '../../support/fixtures.js';
import { plainMessage } from '../../support/generate-mail.js';

const count = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 2);
const variants = process.argv.slice(4).map((spec) => {
  const [label = '', flags = '', envs = ''] = spec.split('|');
  return { label, flags: flags.split(' ').filter(Boolean), env: Object.fromEntries(envs.split(' ').filter(Boolean).map((kv) => kv.split('=') as [string, string])) };
});
const cli = path.join(repoRoot, 'build/cloudward.js');

const big = process.env.CORPUS === 'big';
function message(i: number): Buffer {
  const size = big ? (i >= 200 ? 3_000_000 : 400_000) : i % 100 === 7 ? 1_000_000 : i % 20 === 3 ? 100_000 : 6_000;
  return plainMessage(i, size, { subject: 'Bench', id: 'sync-bench', year: 2022 });
}

const dovecot = await startDovecot();
const work = mkdtempSync(path.join(os.tmpdir(), 'cloudward-variants-'));
try {
  dovecot.writeMaildir('alice', 'Bench', Array.from({ length: count }, (_, i) => message(i)));
  const client = await dovecot.client('alice');
  await client.status('Bench', { messages: true });
  await client.logout();
  let n = 0;
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) {
      n++;
      const out = path.join(work, `dir-${n}`);
      const timeFile = path.join(work, 'time');
      const exec = variant.flags[0] === 'EXEC';
      const command = exec ? [cli] : ['node', ...variant.flags, cli];
      const result = spawnSync('/usr/bin/time', ['-o', timeFile, '-f', '%e %U %S %M', ...command, 'migrate', '--source', `imaps://alice@127.0.0.1:${dovecot.tlsPort}`, '--source-ca', dovecot.caFile, '--target', `dir:${out}`, '--ledger', path.join(work, `ledger-${n}.sqlite`), '--log', path.join(work, 'log'), '--profile'], {
        env: { ...process.env, ...variant.env, ...(exec && variant.flags.length > 1 ? { NODE_OPTIONS: variant.flags.slice(1).join(' ') } : {}), CLOUDWARD_SOURCE_PASSWORD: dovecot.users['alice'], CLOUDWARD_HOME: work },
        encoding: 'utf8',
      });
      const [wall = 0, user = 0, sys = 0, rss = 0] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      const profile = (/PEAK.*$/m.exec(result.stderr)?.[0] ?? "") + " " + (/wall \d.*$/m.exec(result.stderr)?.[0] ?? result.stderr.slice(-500));
      for (const line of result.stderr.split("\n")) if (line.startsWith("ICU")) process.stdout.write(line + "\n");
      process.stdout.write(`${variant.label.padEnd(14)} r${round}: ${wall.toFixed(2)} s, ${(user + sys).toFixed(2)} CPU-s, ${(rss / 1024).toFixed(0)} MiB, exit ${result.status} | ${profile}\n`);
      rmSync(out, { recursive: true, force: true });
    }
  }
  process.stdout.write(`load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
} finally {
  await dovecot.dispose();
  rmSync(work, { recursive: true, force: true });
}
