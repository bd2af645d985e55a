import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { ensureBuilt, filesUnder, runCli, sha256File } from '../../support/run-cli.js';

const emlFixtures = hasFixtures ? readdirSync(join(fixturesDir, 'eml')).filter((name) => name.endsWith('.eml')) : [];

describe.skipIf(!hasFixtures)('cloudward migrate eml: to dir: with the EML fixtures (skipped: ../shared/fixtures is missing)', () => {
  beforeAll(() => ensureBuilt());

  it('leaves one byte-identical copy of each message after two runs', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-e2d-'));
    const source = join(work, 'Windows Live Mail', 'Inbox');
    mkdirSync(source, { recursive: true });
    for (const name of emlFixtures) copyFileSync(join(fixturesDir, 'eml', name), join(source, name));
    const args = ['migrate', '--source', `eml:${join(work, 'Windows Live Mail')}`, '--target', `dir:${join(work, 'out')}`, '--ledger', join(work, 'ledger.sqlite')];
    const first = await runCli(args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`Finished: ${emlFixtures.length} done, 0 skipped, 0 failed`));
    const second = await runCli(args);
    expect(second.code).toBe(0);
    const written = filesUnder(join(work, 'out'), '.eml');
    expect(written).toHaveLength(emlFixtures.length);
    const expected = emlFixtures.map((name) => sha256File(join(fixturesDir, 'eml', name))).sort();
    expect(written.map(sha256File).sort()).toEqual(expected);
    expect(written.every((path) => path.includes(`${join(work, 'out', 'Inbox')}`))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(work, 'out', 'manifest.json'), 'utf8')) as { count: number };
    expect(manifest.count).toBe(emlFixtures.length);
  });

  it('prints one JSON object per line with --json, ending in the summary', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-e2d-'));
    mkdirSync(join(work, 'in', 'Inbox'), { recursive: true });
    for (const name of emlFixtures.slice(0, 5)) copyFileSync(join(fixturesDir, 'eml', name), join(work, 'in', 'Inbox', name));
    const result = await runCli(['migrate', '--source', `eml:${join(work, 'in')}`, '--target', `dir:${join(work, 'out')}`, '--ledger', join(work, 'l.sqlite'), '--json']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; state?: string; outcome?: string });
    expect(lines.filter((line) => line.type === 'item' && line.state === 'done')).toHaveLength(5);
    expect(lines.some((line) => line.type === 'progress')).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'summary', outcome: 'complete', itemsDone: 5 });
  });

  it('writes a report per folder, with counts from the source against the target', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-e2d-'));
    mkdirSync(join(work, 'in', 'Inbox'), { recursive: true });
    for (const name of emlFixtures) copyFileSync(join(fixturesDir, 'eml', name), join(work, 'in', 'Inbox', name));
    const ledger = join(work, 'l.sqlite');
    await runCli(['migrate', '--source', `eml:${join(work, 'in')}`, '--target', `dir:${join(work, 'out')}`, '--ledger', ledger]);
    const html = await runCli(['report', '--ledger', ledger, '--format', 'html', '--out', join(work, 'r.html')]);
    expect(html.code).toBe(0);
    expect(existsSync(join(work, 'r.html'))).toBe(true);
    const page = readFileSync(join(work, 'r.html'), 'utf8');
    expect(page).toContain(`<b>${emlFixtures.length}</b> of ${emlFixtures.length} items migrated`);
    expect(page).not.toMatch(/<script/i);
    const csv = await runCli(['report', '--ledger', ledger, '--format', 'csv']);
    const folderRow = csv.stdout.split('\r\n').find((line) => line.startsWith('folder,'));
    expect(folderRow).toContain(`Inbox,Inbox,${emlFixtures.length},${emlFixtures.length},0,0,0`);
  });
});
