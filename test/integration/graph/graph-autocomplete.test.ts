import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readAutocomplete } from '../../../electron/engine/autocomplete/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { fixturesDir, hasFixtures, repoRoot } from '../../support/fixtures.js';

const cli = path.join(repoRoot, 'build', 'cloudward.js');
const built = existsSync(path.join(repoRoot, 'build', 'out', 'electron', 'cli', 'main.js'));
const nk2 = path.join(fixturesDir, 'nk2/hughbe_Outlook.NK2');
const dat = path.join(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat');

if (!hasFixtures) console.warn('Graph autocomplete test skipped: ../shared/fixtures is not present');
if (!built) console.warn('Graph autocomplete test skipped: the CLI is not built (run `npx tsc -b` first)');

describe.skipIf(!hasFixtures || !built)('cloudward migrate nk2: into Graph: the autocomplete list through the beta switch', () => {
  let home: string;
  let peer: GraphPeer;
  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'cw-graph-ac-'));
    peer = await startGraphPeer({ userConfigurationsBeta: true });
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(home, { recursive: true, force: true });
  });

  function migrate(mailbox: string, ledger: string, beta: boolean): Promise<{ code: number | null; output: string }> {
    const args = [cli, 'migrate', '--source', `nk2:${nk2}`, '--target', 'graph:', '--graph-endpoint', peer.url, '--target-mailbox', mailbox, '--ledger', path.join(home, ledger), '--parallel', '1'];
    if (beta) args.push('--graph-autocomplete-beta');
    const child = spawn(process.execPath, args, { env: { ...process.env, CLOUDWARD_TARGET_TOKEN: 'peer-token', CLOUDWARD_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
  }

  function ledgerRows(ledger: string) {
    const opened = Ledger.open(path.join(home, ledger));
    try {
      const mailboxes = opened.jobs().flatMap((job) => opened.mailboxes(job.id));
      return { mailboxes, items: mailboxes.flatMap((row) => opened.items(row.id)) };
    } finally {
      opened.close();
    }
  }

  const addresses = (blob: Uint8Array | undefined) => (blob ? readAutocomplete(blob).entries.map(({ address, weight }) => [address, weight]) : undefined);

  it('merges the NK2 into the list the mailbox already holds, says how many arrived, and a re-run adds nothing twice', async () => {
    const mailbox = 'merge@contoso.example';
    const existing = readFileSync(dat);
    peer.userConfigurations.seed(mailbox, 'Autocomplete', existing);

    const first = await migrate(mailbox, 'merge.sqlite', true);
    expect(first.code, first.output).toBe(0);
    const blob = peer.userConfigurations.binary(mailbox, 'Autocomplete')!;
    // The NK2 holds hughbellars@gmail.com with weight 40960 (at 0x3DF of the NK2); the mailbox's list held it
    // (16384) and bellamy.hughd@gmail.com (14336): the higher weight wins, the mailbox's own entry is kept.
    expect(addresses(blob)).toEqual([
      ['hughbellars@gmail.com', 40960],
      ['bellamy.hughd@gmail.com', 14336],
    ]);
    // The mailbox's own second row is kept byte for byte: fixture bytes 0x41B..0x898 (row count to footer).
    expect(Buffer.from(blob).indexOf(existing.subarray(0x41b, 0x898))).toBeGreaterThan(0);
    const { mailboxes, items } = ledgerRows('merge.sqlite');
    expect(mailboxes[0]).toMatchObject({ state: 'finished' });
    expect(mailboxes[0]!.note).toContain("Autocomplete: 1 entries reached the mailbox's autocomplete list through the Graph beta API (2 entries in it now)");
    expect(items.map((item) => item.state)).toEqual(['done']);

    // Another ledger (another PC, a lost ledger): the merge by address still adds nothing twice.
    const again = await migrate(mailbox, 'merge-again.sqlite', true);
    expect(again.code, again.output).toBe(0);
    expect(addresses(peer.userConfigurations.binary(mailbox, 'Autocomplete'))).toEqual([
      ['hughbellars@gmail.com', 40960],
      ['bellamy.hughd@gmail.com', 14336],
    ]);
    const beta = peer.log.filter((entry) => entry.path.startsWith('/beta/'));
    expect(beta.some((entry) => entry.method === 'PATCH' && entry.status === 200)).toBe(true);
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  }, 60_000);

  it('creates the list (POST) when the mailbox has none', async () => {
    const mailbox = 'fresh@contoso.example';
    const run = await migrate(mailbox, 'fresh.sqlite', true);
    expect(run.code, run.output).toBe(0);
    expect(readAutocomplete(peer.userConfigurations.binary(mailbox, 'Autocomplete')!).entries.map(({ address, displayName, weight }) => ({ address, displayName, weight }))).toEqual([
      { address: 'hughbellars@gmail.com', displayName: 'Hugh Bellamy', weight: 40960 },
    ]);
    expect(peer.log.some((entry) => entry.method === 'POST' && entry.path.endsWith('/mailFolders/inbox/userConfigurations') && entry.status === 201)).toBe(true);
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  }, 60_000);

  it('without --graph-autocomplete-beta the entries are skipped with a reason naming the switch, and no beta call is made', async () => {
    const mailbox = 'off@contoso.example';
    const before = peer.log.filter((entry) => entry.path.startsWith('/beta/')).length;
    await migrate(mailbox, 'off.sqlite', false);
    const { items } = ledgerRows('off.sqlite');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: 'skipped', code: 'ITEM_UNSUPPORTED' });
    expect(items[0]!.reason).toContain('--graph-autocomplete-beta');
    expect(peer.userConfigurations.binary(mailbox, 'Autocomplete')).toBeUndefined();
    expect(peer.log.filter((entry) => entry.path.startsWith('/beta/')).length).toBe(before);
    peer.assertNoViolations();
  }, 60_000);
});
