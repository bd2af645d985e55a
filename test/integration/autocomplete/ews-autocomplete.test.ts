import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emptyStream, readAutocomplete, writeAutocompleteFile } from '../../../electron/engine/autocomplete/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { renderHtml } from '../../../electron/engine/report/html-report.js';
import { buildJobReports } from '../../../electron/engine/report/report-data.js';
import { nk2SourceSpec } from '../../../electron/engine/sources/nk2/nk2-spec.js';
import { ewsTargetSpec } from '../../../electron/engine/targets/ews/ews-spec.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { StaticTokenAuth } from '../../../electron/engine/targets/ews/auth/auth.js';
import { HttpTransport } from '../../../electron/engine/targets/ews/transport/http-transport.js';
import { MemorySecrets, silentLog, tokenTarget } from '../ews/ews-helpers.js';

const nk2 = path.join(fixturesDir, 'nk2/hughbe_Outlook.NK2');
const dat = path.join(fixturesDir, 'nk2/Stream_Autocomplete_0_C46AC97B9CA2EF4197BE00D129BCCA43.dat');

type ConfigStore = Map<string, { name: string; folderId: string; id: string; binaryData?: string }>;

if (!hasFixtures) console.warn('EWS autocomplete test skipped: ../shared/fixtures is not present');

describe.skipIf(!hasFixtures)('nk2: into EWS: the mailbox autocomplete list', () => {
  let peer: EwsPeer;
  let dir: string;
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'deferred', seed: 3 });
    dir = mkdtempSync(path.join(tmpdir(), 'cw-ac-ews-'));
  });
  afterAll(async () => {
    await peer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function migrate(mailbox: string, ledgerFile: string) {
    const secrets = new MemorySecrets();
    await secrets.set('target-token', `ews://${mailbox}@${new URL(peer.url).host}`, 'peer-token');
    const context = { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'token', ewsRequestTimeoutMs: 10_000 } };
    const ledger = Ledger.open(ledgerFile);
    try {
      const result = await runJob({
        ledger,
        source: `nk2:${nk2}`,
        target: `ews:${peer.url}`,
        mailboxes: [{ label: mailbox, source: `nk2:${nk2}`, target: `ews:${peer.url}`, createSource: () => nk2SourceSpec.create(`nk2:${nk2}`, context), createTarget: () => ewsTargetSpec.create(`ews:${peer.url}`, context) }],
        retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 },
      });
      const job = ledger.findOrCreateJob(`nk2:${nk2}`, `ews:${peer.url}`);
      const mailboxes = ledger.mailboxes(job.id);
      return { result, mailboxes, items: mailboxes.flatMap((row) => ledger.items(row.id)), html: renderHtml(buildJobReports(ledger)) };
    } finally {
      ledger.close();
    }
  }

  function stored(mailbox: string): Uint8Array | undefined {
    const store = (peer.mailbox(mailbox) as unknown as { userConfigurations: ConfigStore }).userConfigurations;
    const inbox = peer.mailbox(mailbox).folderByDistinguishedId('inbox')!;
    const data = store.get(`${inbox.id}|autocomplete`)?.binaryData;
    return data === undefined ? undefined : new Uint8Array(Buffer.from(data, 'base64'));
  }

  it('merges the NK2 into the list the mailbox already has (an Outlook-written stream), schema-valid, and says how many arrived', async () => {
    const mailbox = 'merge@contoso.example';
    const inbox = peer.mailbox(mailbox).folderByDistinguishedId('inbox')!;
    const existing = readFileSync(dat);
    (peer.mailbox(mailbox) as unknown as { userConfigurations: ConfigStore }).userConfigurations.set(`${inbox.id}|autocomplete`, {
      name: 'Autocomplete',
      folderId: inbox.id,
      id: 'seeded',
      binaryData: existing.toString('base64'),
    });

    const { mailboxes, html } = await migrate(mailbox, path.join(dir, 'merge.sqlite'));
    expect(mailboxes[0]).toMatchObject({ state: 'finished' });
    // The customer's report says how many entries reached the new mailbox.
    expect(html).toContain('Autocomplete: 1 entries reached the mailbox&#39;s autocomplete list (2 entries in it now)');
    expect(mailboxes[0]!.note).toMatch(/^Autocomplete: 1 entries reached the mailbox's autocomplete list \(2 entries in it now\)/);

    const blob = stored(mailbox)!;
    const { file, entries } = readAutocomplete(blob);
    expect(file.major).toBe(12);
    // The NK2's weight for hughbellars@gmail.com (40960, at 0x3DF of the NK2) beats the mailbox's (16384);
    // bellamy.hughd@gmail.com was only in the mailbox and stays with its weight (14336).
    expect(entries.map(({ address, weight }) => [address, weight])).toEqual([
      ['hughbellars@gmail.com', 40960],
      ['bellamy.hughd@gmail.com', 14336],
    ]);
    // The mailbox's own second row is kept byte for byte: fixture bytes 0x41B..0x898 (row count to footer).
    const rowTwo = existing.subarray(0x41b, 0x898);
    expect(Buffer.from(blob).indexOf(rowTwo)).toBeGreaterThan(0);

    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
    expect(peer.stats.byOperation['UpdateUserConfiguration']).toBeGreaterThan(0);
  });

  it('creates the list when the mailbox has none, and a re-run adds nothing twice', async () => {
    const mailbox = 'fresh@contoso.example';
    const ledgerFile = path.join(dir, 'fresh.sqlite');
    await migrate(mailbox, ledgerFile);
    const first = stored(mailbox)!;
    expect(readAutocomplete(first).entries.map(({ address, displayName, weight }) => ({ address, displayName, weight }))).toEqual([
      { address: 'hughbellars@gmail.com', displayName: 'Hugh Bellamy', weight: 40960 },
    ]);
    await migrate(mailbox, path.join(dir, 'fresh-again.sqlite'));
    expect(readAutocomplete(stored(mailbox)!).entries).toHaveLength(1);
    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
  });

  it('a list the mailbox holds that cannot be read is left untouched, and the failure shows', async () => {
    const mailbox = 'damaged@contoso.example';
    const inbox = peer.mailbox(mailbox).folderByDistinguishedId('inbox')!;
    const junk = Buffer.from('not an autocomplete stream at all').toString('base64');
    (peer.mailbox(mailbox) as unknown as { userConfigurations: ConfigStore }).userConfigurations.set(`${inbox.id}|autocomplete`, { name: 'Autocomplete', folderId: inbox.id, id: 'junk', binaryData: junk });
    const { items } = await migrate(mailbox, path.join(dir, 'damaged.sqlite'));
    const store = (peer.mailbox(mailbox) as unknown as { userConfigurations: ConfigStore }).userConfigurations;
    expect(store.get(`${inbox.id}|autocomplete`)?.binaryData).toBe(junk);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: 'failed', code: 'FORMAT_INVALID' });
    expect(items[0]!.reason).toMatch(/^the mailbox's autocomplete list: not an autocomplete file \(magic 0x20746F6E/);
  });

  it('when the list read back at the end lacks what was written (another client wrote over it), the mailbox fails with VERIFY_FAILED', async () => {
    const mailbox = 'overwritten@contoso.example';
    const store = (): ConfigStore => (peer.mailbox(mailbox) as unknown as { userConfigurations: ConfigStore }).userConfigurations;
    let written = false;
    // Outlook writing its own cached copy back between our merge and our read-back: the list loses our entry.
    const target = tokenTarget(peer.url, mailbox, {
      connect: async () => {
        const inner = new HttpTransport(peer.url);
        return {
          auth: new StaticTokenAuth('test-token'),
          transport: {
            async post(body, options) {
              const text = body.toString();
              if (written && text.includes('<m:GetUserConfiguration>')) {
                const inbox = peer.mailbox(mailbox).folderByDistinguishedId('inbox')!;
                store().get(`${inbox.id}|autocomplete`)!.binaryData = Buffer.from(writeAutocompleteFile(emptyStream())).toString('base64');
              }
              if (text.includes('<m:CreateUserConfiguration>') || text.includes('<m:UpdateUserConfiguration>')) written = true;
              return inner.post(body, options);
            },
            close: () => inner.close(),
          },
        };
      },
    });
    const ledger = Ledger.open(path.join(dir, 'overwritten.sqlite'));
    const context = { secrets: new MemorySecrets(), log: silentLog, options: {} };
    try {
      await runJob({
        ledger,
        source: `nk2:${nk2}`,
        target: `ews:${peer.url}#overwritten`,
        mailboxes: [{ label: mailbox, source: `nk2:${nk2}`, target: `ews:${peer.url}#overwritten`, createSource: () => nk2SourceSpec.create(`nk2:${nk2}`, context), createTarget: () => target }],
        retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
      });
      const job = ledger.findOrCreateJob(`nk2:${nk2}`, `ews:${peer.url}#overwritten`);
      const [row] = ledger.mailboxes(job.id);
      expect(row).toMatchObject({ state: 'failed', code: 'VERIFY_FAILED' });
      expect(row!.reason).toBe("The mailbox's autocomplete list lacks 1 of the 1 entries written (e.g. hughbellars@gmail.com)");
    } finally {
      ledger.close();
    }
  });
});
