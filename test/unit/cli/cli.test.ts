import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';

import { main } from '../../../electron/cli/main.js';
import type { CliIo } from '../../../electron/cli/cli-io.js';
import { progressLine } from '../../../electron/cli/terminal-progress.js';

function io(): CliIo & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  (stderr as unknown as PassThrough).on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { stdout, stderr, environment: { CLOUDWARD_HOME: '/tmp/cloudward-cli-test' }, out: () => out, err: () => err };
}

describe('cloudward command line', () => {
  it.each([
    [['migrate', '--target', 'dir:/tmp/x'], 2, /--source is required/],
    [['migrate', '--source', 'eml:/tmp', '--target', 'ftp:/x'], 2, /Unknown target "ftp:\/x": use one of dir:/],
    [['migrate', '--source', 'eml:/tmp', '--target', 'dir:/tmp/x', '--bogus'], 2, /Unknown option '--bogus'/],
    [['migrate', '--source', 'eml:/tmp', '--target', 'dir:/tmp/x', '--password=hunter2'], 2, /never taken from the command line/],
    [['migrate', '--source', 'eml:/tmp', '--target', 'dir:/tmp/x', '--parallel', 'many'], 2, /--parallel takes a whole number/],
    [['report', '--ledger', '/nonexistent/l.sqlite', '--format', 'html'], 2, /No ledger at/],
    [['report', '--format', 'pdf'], 2, /--format takes html, csv or json/],
    [['frobnicate'], 2, /Unknown command "frobnicate"/],
  ])('answers %j with exit code %i and one clear line', async (args, code, message) => {
    const streams = io();
    expect(await main(args, streams)).toBe(code);
    const lines = streams.err().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^cloudward: /);
    expect(lines[0]).toMatch(message);
    expect(streams.err()).not.toMatch(/\n\s+at /);
  });

  it('exits 3 with one line when the source cannot be read', async () => {
    const streams = io();
    const code = await main(['migrate', '--source', 'eml:/nonexistent/mail', '--target', 'dir:/tmp/cw-cli-out', '--ledger', '/tmp/cloudward-cli-test/l.sqlite'], streams);
    expect(code).toBe(3);
    expect(streams.err()).toBe('cloudward: /nonexistent/mail does not exist\n');
  });

  it('exits 4 when the target cannot be written', async () => {
    const streams = io();
    const code = await main(['migrate', '--source', 'eml:/tmp', '--target', 'dir:/proc/version/x', '--ledger', '/tmp/cloudward-cli-test/l2.sqlite'], streams);
    expect(code).toBe(4);
    expect(streams.err()).toMatch(/^cloudward: Cannot write to \/proc\/version\/x/);
  });

  it('goes on without a log file when the log folder cannot be made, saying so in one line', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-cli-log-'));
    mkdirSync(join(work, 'mail', 'Inbox'), { recursive: true });
    writeFileSync(join(work, 'mail', 'Inbox', 'a.eml'), 'Subject: A\r\n\r\nhello\r\n');
    writeFileSync(join(work, 'not-a-folder'), '');
    const streams = io();
    streams.environment['CLOUDWARD_HOME'] = join(work, 'not-a-folder', 'home');
    const code = await main(['migrate', '--source', `eml:${join(work, 'mail')}`, '--target', `dir:${join(work, 'out')}`, '--ledger', join(work, 'l.sqlite')], streams);
    expect(code).toBe(0);
    expect(streams.err()).toMatch(/^cloudward: cannot write the log .*\(ENOTDIR\); continuing without it\n$/);
    expect(streams.out()).toMatch(/Finished: 1 done/);
  });

  it('prints help with the exit codes', async () => {
    const streams = io();
    expect(await main(['help'], streams)).toBe(0);
    expect(streams.out()).toContain('130 interrupted');
  });

  it('draws a progress line with rate and ETA', () => {
    const line = progressLine({ itemsDone: 450, itemsSkipped: 0, itemsFailed: 0, itemsTotal: 1000, bytesDone: 1, itemsPerSecond: 50, bytesPerSecond: 2_500_000, etaSeconds: 11 }, 120, false);
    expect(line).toMatch(/\[#+\.+\] {2}45%/);
    expect(line).toContain('450/1000 items');
    expect(line).toContain('2.4 MB/s');
    expect(line).toContain('ETA 0:11');
  });
});

describe('exit codes of a finished job', () => {
  it('says "with issues" when some mailboxes of a batch stopped and others finished, and the reason when all stopped', async () => {
    const { exitCodeForOutcome } = await import('../../../electron/cli/exit-codes.js');
    const refused = { error: { code: 'SOURCE_AUTH_FAILED' as const } };
    expect(exitCodeForOutcome('failed', [refused], 3)).toBe(1);
    expect(exitCodeForOutcome('failed', [refused, refused, refused], 3)).toBe(3);
    expect(exitCodeForOutcome('failed', [{ error: { code: 'VERIFY_FAILED' as const } }], 3)).toBe(5);
    expect(exitCodeForOutcome('complete', [], 3)).toBe(0);
    expect(exitCodeForOutcome('interrupted', [], 1)).toBe(130);
  });
});
