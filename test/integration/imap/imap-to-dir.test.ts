import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JobEvent } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { sha256 } from '../../../electron/engine/pipeline/content-identity.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { dirTargetSpec } from '../../../electron/engine/targets/dir/dir-spec.js';
import { createLogger } from '../../../electron/engine/log/logger.js';
import { hasFixtures } from '../../support/fixtures.js';
import { cliEntry, ensureBuilt } from '../../support/run-cli.js';
import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';
import { emlFixtures, MemorySecrets, sourceFromSpec, type EmlFixture } from './imap-helpers.js';

const run = promisify(execFile);
const ready = hasDovecot && hasFixtures;
if (!ready && process.env['CI'] !== 'true') console.warn(`IMAP → dir: tests skipped: ${!hasDovecot ? noDovecotReason : 'no ../shared/fixtures (EML fixtures)'}`);

/** How many .eml files are under `dir` (cheap enough to poll). */
function emlCount(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.eml')).length;
}

/** Every .eml under `dir`, as sha256 of its bytes. */
function emlHashes(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.eml')) out.push(sha256(readFileSync(path)));
    }
  };
  walk(dir);
  return out.sort();
}

/** The built CLI (compiled before the CLI tests); CLOUDWARD_CLI points at another build. */
const cli = process.env['CLOUDWARD_CLI'] ?? cliEntry;

/*
 * No probing here: a ledger that cannot resume or a CLI that refuses imap:// is exactly what these tests
 * must catch, so those fail like any other broken behaviour. Only a missing peer (Dovecot, the shared
 * fixtures) skips, saying why (above); under CI nothing skips, so a missing peer fails in beforeAll with
 * the same reason (the CI image installs every peer).
 */
const skip = !ready && process.env['CI'] !== 'true';
describe.skipIf(skip)('IMAP source through the pipeline into dir:', () => {
  let dovecot: Dovecot;
  let fixtures: EmlFixture[];
  let work: string;
  const secrets = new MemorySecrets();
  let spec: string;
  let bulk: Buffer[];
  const expectedHashes = (): string[] => [...fixtures.map((fixture) => fixture.wire), ...bulk].map((bytes) => sha256(bytes)).sort();

  beforeAll(async () => {
    if (!hasFixtures) throw new Error('IMAP → dir needs ../shared/fixtures (EML fixtures)');
    dovecot = await startDovecot();
    fixtures = emlFixtures();
    const uids = await dovecot.appendMessages('alice', 'INBOX', fixtures.slice(0, 30).map((fixture) => fixture.wire));
    await dovecot.appendMessages('alice', 'Archive/2019', fixtures.slice(30).map((fixture) => fixture.wire));
    // NUL bytes cannot travel in IMAP: Dovecot stores such a file re-encoded; expect what it stored.
    fixtures.forEach((fixture, i) => {
      if (fixture.raw.includes(0) && i < 30) fixture.wire = dovecot.storedMessage('alice', 'INBOX', uids[i]!);
      if (fixture.raw.includes(0) && i >= 30) throw new Error('keep the NUL fixture among the first 30');
    });
    // Enough messages that an interruption lands mid-run, past the pipeline's batching.
    bulk = Array.from({ length: 400 }, (_, i) =>
      Buffer.from(`From: s${i}@example.com\r\nSubject: Bulk ${i}\r\nMessage-ID: <bulk-${i}@example.com>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nBody ${i}\r\n`),
    );
    dovecot.writeMaildir('alice', 'Bulk', bulk);
    spec = `imaps://alice@127.0.0.1:${dovecot.tlsPort}`;
    await secrets.set('source-password', spec, 'pass');
    work = mkdtempSync(join(tmpdir(), 'cloudward-imap-dir-'));
  });
  afterAll(async () => {
    await dovecot?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a first run lands every message byte-identical', async () => {
    const out = join(work, 'once');
    const result = await job(join(work, 'once.sqlite'), out);
    expect(result.mailboxErrors).toEqual([]);
    expect(emlHashes(out)).toEqual(expectedHashes());
  });

  function job(ledgerFile: string, out: string, signal?: AbortSignal, onEvent?: (event: JobEvent) => void) {
    const ledger = Ledger.open(ledgerFile);
    const context = { secrets, log: createLogger(), options: { sourceCa: dovecot.caFile } };
    return runJob({
      ledger,
      source: spec,
      target: `dir:${out}`,
      mailboxes: [
        {
          label: 'alice',
          source: spec,
          target: `dir:${out}`,
          createSource: () => sourceFromSpec(spec, secrets, { sourceCa: dovecot.caFile }),
          createTarget: () => dirTargetSpec.create(out, context),
        },
      ],
      verify: false,
      ...(signal ? { signal } : {}),
      ...(onEvent ? { onEvent } : {}),
    }).finally(() => ledger.close());
  }

  it('lands every message byte-identical; a re-run fetches nothing new', async () => {
    const out = join(work, 'first');
    const ledgerFile = join(work, 'first.sqlite');
    const result = await job(ledgerFile, out);
    expect(result.mailboxErrors).toEqual([]);
    expect(emlHashes(out)).toEqual(expectedHashes());
    let items = 0;
    const again = await job(ledgerFile, out, undefined, (event) => {
      if (event.type === 'item' && event.state === 'done') items++;
    });
    expect(again.mailboxErrors).toEqual([]);
    expect(items).toBe(0);
    expect(emlHashes(out)).toHaveLength(fixtures.length + bulk.length);
  });

  it('interrupted mid-run and run again: complete, no duplicates; a UIDVALIDITY change adds none either', async () => {
    const out = join(work, 'interrupted');
    const ledgerFile = join(work, 'interrupted.sqlite');
    const stop = new AbortController();
    let done = 0;
    await job(ledgerFile, out, stop.signal, (event) => {
      if (event.type === 'item' && event.state === 'done' && ++done === 12) stop.abort();
    });
    const partial = emlHashes(out).length;
    expect(partial).toBeGreaterThanOrEqual(12);
    expect(partial).toBeLessThan(fixtures.length + bulk.length);
    await job(ledgerFile, out);
    const expected = expectedHashes();
    expect(emlHashes(out)).toEqual(expected);
    await dovecot.setUidValidity('alice', 'INBOX', 777);
    const rescan = await job(ledgerFile, out);
    expect(rescan.mailboxErrors).toEqual([]);
    expect(emlHashes(out)).toEqual(expected);
  });

  // The CLI runs as users run it: compiled (tsc -b, in the hook: it can take a minute on a busy machine),
  // in child processes; three runs of the whole mailbox in one test, hence the longer timeouts.
  describe('the CLI', () => {
    beforeAll(() => {
      if (!process.env['CLOUDWARD_CLI']) ensureBuilt();
    });

    it('the CLI: direct, master user and --batch CSV land byte-identical in dir:', { timeout: 180_000 }, async () => {
      const env = { ...process.env, CLOUDWARD_SOURCE_PASSWORD: 'pass', CLOUDWARD_HOME: join(work, 'cli-home') };
      const direct = join(work, 'cli-direct');
      await run('node', [cli, 'migrate', '--source', `imap://alice@127.0.0.1:${dovecot.port}`, '--target', `dir:${direct}`, '--source-ca', dovecot.caFile, '--ledger', join(work, 'cli.sqlite'), '--json'], { env });
      expect(emlHashes(direct)).toEqual(expectedHashes());

      const viaMaster = join(work, 'cli-master');
      await run('node', [cli, 'migrate', '--source', `imap://alice@127.0.0.1:${dovecot.port}`, '--target', `dir:${viaMaster}`, '--source-ca', dovecot.caFile, '--admin-user', 'master', '--login-format', 'dovecot', '--ledger', join(work, 'cli-master.sqlite'), '--json'], { env: { ...env, CLOUDWARD_SOURCE_PASSWORD: 'masterpass' } });
      expect(emlHashes(viaMaster)).toEqual(expectedHashes());

      await dovecot.appendMessages('bob', 'INBOX', [fixtures[1]!.wire, fixtures[2]!.wire]);
      const csv = join(work, 'users.csv');
      writeFileSync(csv, '\uFEFFEmailAddress;UserName;Password\r\nalice@example.com;alice;pass\r\nbroken-row;;\r\nbob@example.com;bob;pass\r\n\r\n');
      const batchOut = join(work, 'cli-batch');
      const batch = await run('node', [cli, 'migrate', '--batch', csv, '--source', `imap://127.0.0.1:${dovecot.port}`, '--target', `dir:${batchOut}`, '--source-ca', dovecot.caFile, '--ledger', join(work, 'cli-batch.sqlite'), '--json', '--remove-passwords'], { env: { ...env, CLOUDWARD_SOURCE_PASSWORD: '' } }).catch((error: { stdout: string; stderr: string; code: number }) => error);
      expect(batch.stdout, batch.stderr).toContain('"line":3');
      expect(emlHashes(batchOut)).toEqual([...expectedHashes(), sha256(fixtures[1]!.wire), sha256(fixtures[2]!.wire)].sort());
    });
    it('the CLI killed (SIGKILL) mid-run and started again: complete, no duplicates', { timeout: 180_000 }, async () => {
      dovecot.addUser('carol', 'carolpass');
      const many = Array.from({ length: 2000 }, (_, i) =>
        Buffer.from(`From: k${i}@example.com\r\nSubject: Kill ${i}\r\nMessage-ID: <kill-${i}@example.com>\r\nDate: Tue, 2 Jan 2024 10:00:00 +0000\r\n\r\nBody ${i}\r\n`),
      );
      dovecot.writeMaildir('carol', 'INBOX', many);
      const out = join(work, 'cli-killed');
      const args = [cli, 'migrate', '--source', `imaps://carol@127.0.0.1:${dovecot.tlsPort}`, '--target', `dir:${out}`, '--source-ca', dovecot.caFile, '--ledger', join(work, 'cli-killed.sqlite'), '--json'];
      const env = { ...process.env, CLOUDWARD_SOURCE_PASSWORD: 'carolpass', CLOUDWARD_HOME: join(work, 'cli-home') };
      const first = spawn('node', args, { env, stdio: 'ignore' });
      const exited = new Promise<void>((resolve) => first.once('exit', () => resolve()));
      for (let i = 0; i < 1500 && first.exitCode === null; i++) {
        if (emlCount(out) >= 100) {
          first.kill('SIGKILL');
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await exited;
      const partial = emlHashes(out).length;
      expect(first.signalCode).toBe('SIGKILL');
      expect(partial).toBeLessThan(many.length);
      await run('node', args, { env });
      const expected = many.map((bytes) => sha256(bytes)).sort();
      expect(emlHashes(out)).toEqual(expected);
    });
  });
});
