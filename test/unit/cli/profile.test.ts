import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';

import { main } from '../../../electron/cli/main.js';
import type { CliIo } from '../../../electron/cli/cli-io.js';

// A real PST from someone else (SOURCES.md): 73 mails with attachments and RTF bodies, so reading,
// MIME conversion, the ledger and the dir: target all take measurable time.
const pst = '/work/shared/fixtures/pst/pst2john_2k_outlook_qwerty1234.pst';
const phases = ['open', 'read', 'convert', 'ledger', 'write', 'wait', 'close'];

interface Profile {
  mailbox: string;
  wallMs: number;
  phaseMs: Record<string, number>;
  writes: number;
  writeBusyMs: number;
}

function io(home: string): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  (stderr as unknown as PassThrough).on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { stdout, stderr, environment: { CLOUDWARD_HOME: home }, out: () => out, err: () => err };
}

describe('cloudward migrate --profile', () => {
  const dirs: string[] = [];
  const scratch = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'cloudward-profile-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('splits the mailbox wall time into phases that add up to it, close to the wall clock around the command', async () => {
    const dir = scratch();
    const streams = io(dir);
    const started = performance.now();
    const code = await main(['migrate', '--source', `pst:${pst}`, '--target', `dir:${join(dir, 'out')}`, '--ledger', join(dir, 'l.sqlite'), '--json', '--profile', '--log', join(dir, 'log')], streams);
    const outside = performance.now() - started;
    expect(code).toBe(0);
    const lines = streams.out().trim().split('\n').map((line) => JSON.parse(line) as { type: string; mailboxes?: Profile[]; seconds?: number; itemsDone?: number });
    const summary = lines.find((line) => line.type === 'summary');
    expect(summary?.itemsDone).toBe(73);
    const profile = lines.find((line) => line.type === 'profile');
    expect(profile?.mailboxes).toHaveLength(1);
    const [mailbox] = profile?.mailboxes ?? [];
    if (!mailbox) throw new Error('no mailbox profile');
    expect(Object.keys(mailbox.phaseMs).sort()).toEqual([...phases].sort());
    const sum = Object.values(mailbox.phaseMs).reduce((total, ms) => total + ms, 0);
    // Exclusive time: the phases cover the mailbox's wall time, nothing counted twice or left out.
    expect(Math.abs(sum - mailbox.wallMs)).toBeLessThan(mailbox.wallMs * 0.01 + 1);
    for (const ms of Object.values(mailbox.phaseMs)) expect(ms).toBeGreaterThanOrEqual(0);
    // The mailbox is nearly all of the job, and the job fits inside the clock the test held.
    expect(mailbox.wallMs).toBeLessThanOrEqual(outside);
    expect(mailbox.wallMs).toBeGreaterThan((summary?.seconds ?? 0) * 1000 * 0.8);
    // Every stage did real work in this run: a phase stuck at zero means its timer is missing.
    for (const phase of ['read', 'convert', 'ledger', 'write']) expect(mailbox.phaseMs[phase], phase).toBeGreaterThan(0);
    expect(mailbox.writes).toBeGreaterThan(0);
  }, 120_000);

  it('prints a readable table on stderr, and nothing without the flag', async () => {
    const dir = scratch();
    const streams = io(dir);
    const source = '/work/shared/fixtures/pst/pst-exp_sample1.pst';
    expect(await main(['migrate', '--source', `pst:${source}`, '--target', `dir:${join(dir, 'out')}`, '--ledger', join(dir, 'l.sqlite'), '--profile', '--log', join(dir, 'log')], streams)).toBe(0);
    expect(streams.err()).toMatch(/^Profile \(/m);
    expect(streams.err()).toMatch(/wall \d+\.\d\d s = .*read \d+\.\d\d s \(\d+%\)/);
    expect(streams.err()).toMatch(/Most time: /);

    const plain = io(dir);
    expect(await main(['migrate', '--source', `pst:${source}`, '--target', `dir:${join(dir, 'out2')}`, '--ledger', join(dir, 'l2.sqlite'), '--json', '--log', join(dir, 'log')], plain)).toBe(0);
    expect(plain.out()).not.toMatch(/"type":"profile"/);
    expect(plain.err()).not.toMatch(/Profile/);
  }, 120_000);
});
