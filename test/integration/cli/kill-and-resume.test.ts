import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { writeEmlCorpus } from '../../support/generate-mail.js';
import { repoRoot } from '../../support/fixtures.js';
import { cliEntry, ensureBuilt, filesUnder, runCli, sha256File } from '../../support/run-cli.js';

/** Runs the CLI with --json and SIGKILLs it once `killAfter` items have been reported done. */
function runUntilKilled(args: string[], killAfter: number): Promise<{ done: number; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args, '--json'], { cwd: repoRoot, env: { ...process.env, CLOUDWARD_HOME: '/tmp/cloudward-test-home' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let done = 0;
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.includes('"type":"item"') && line.includes('"state":"done"')) done++;
        if (!killed && done >= killAfter) {
          killed = true;
          child.kill('SIGKILL');
        }
        newline = buffer.indexOf('\n');
      }
    });
    child.on('error', reject);
    child.on('close', () => resolve({ done, killed }));
  });
}

describe('a migration killed with SIGKILL and restarted', () => {
  beforeAll(() => ensureBuilt());

  it('ends with every one of 5,000 messages in the target exactly once', { timeout: 300_000 }, async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-kill-'));
    const source = join(work, 'source');
    writeEmlCorpus(source, 5000, 7);
    const args = ['migrate', '--source', `eml:${source}`, '--target', `dir:${join(work, 'target')}`, '--ledger', join(work, 'ledger.sqlite')];

    // Three kills at different points of the job: early, in the middle, late.
    const kills = [400, 1500, 1500];
    let reported = 0;
    for (const killAfter of kills) {
      const run = await runUntilKilled(args, killAfter);
      expect(run.killed).toBe(true);
      reported += run.done;
    }
    expect(reported).toBeLessThan(5000);

    const final = await runCli(args);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);

    const sourceFiles = filesUnder(source, '.eml');
    const targetFiles = filesUnder(join(work, 'target'), '.eml');
    expect(sourceFiles).toHaveLength(5000);
    expect(targetFiles).toHaveLength(5000);
    const sourceHashes = new Map(sourceFiles.map((path) => [sha256File(path), relative(source, path)]));
    const targetHashes = targetFiles.map(sha256File);
    expect(new Set(targetHashes).size).toBe(5000);
    for (const hash of targetHashes) expect(sourceHashes.has(hash)).toBe(true);

    const status = await runCli(['status', '--ledger', join(work, 'ledger.sqlite'), '--json']);
    const jobs = (JSON.parse(status.stdout) as { jobs: { done: number; failed: number; pending: number }[] }).jobs;
    expect(jobs[0]).toMatchObject({ done: 5000, failed: 0, pending: 0 });
  });
});
