import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { ewsTargetSpec } from '../../../electron/engine/targets/ews/ews-spec.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';
import { hasFixtures } from '../../support/fixtures.js';
import { emlFixtures, sourceFromSpec, type EmlFixture } from '../imap/imap-helpers.js';
import { MemorySecrets, silentLog } from './ews-helpers.js';

const ready = hasDovecot && hasFixtures;
if (!ready) console.warn(`IMAP → EWS test skipped: ${!hasDovecot ? noDovecotReason : 'no ../shared/fixtures'}`);

describe.skipIf(!ready)('an IMAP mailbox (Dovecot) migrated into the EWS peer', () => {
  let dovecot: Dovecot;
  let peer: EwsPeer;
  let work: string;
  let fixtures: EmlFixture[];
  const internalDate = (i: number) => new Date(Date.UTC(2021, 0, 1 + i, 8, 30, 0));

  beforeAll(async () => {
    dovecot = await startDovecot();
    peer = await startEwsPeer({ validation: 'deferred' });
    work = mkdtempSync(path.join(tmpdir(), 'cw-ews-imap-'));
    // NUL bytes cannot travel over IMAP (Dovecot re-encodes them); keep the test to files that can.
    fixtures = emlFixtures().filter((fixture) => !fixture.raw.includes(0));
    for (const [i, fixture] of fixtures.entries()) {
      const folder = i % 3 === 0 ? 'Projects/2021' : 'INBOX';
      const flags = [...(i % 2 === 0 ? ['\\Seen'] : []), ...(i % 5 === 0 ? ['\\Flagged'] : [])];
      await dovecot.appendMessages('alice', folder, [fixture.wire], { flags, internalDate: internalDate(i) });
    }
  });
  afterAll(async () => {
    await peer?.close();
    await dovecot?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('stores each message once, byte for byte, with read state, flag and arrival date', async () => {
    const mailbox = 'imap@contoso.example';
    const spec = `imaps://alice@127.0.0.1:${dovecot.tlsPort}`;
    const secrets = new MemorySecrets();
    await secrets.set('source-password', spec, 'pass');
    await secrets.set('target-token', `ews://${mailbox}@${new URL(peer.url).host}`, 'peer-token');
    const context = { secrets, log: silentLog, options: { sourceCa: dovecot.caFile, targetMailbox: mailbox, targetAuth: 'token' } };
    const ledger = Ledger.open(path.join(work, 'ledger.sqlite'));
    let result;
    try {
      result = await runJob({
        ledger,
        source: spec,
        target: `ews:${peer.url}`,
        mailboxes: [{ label: mailbox, source: spec, target: `ews:${peer.url}`, createSource: () => sourceFromSpec(spec, secrets, context.options), createTarget: () => ewsTargetSpec.create(peer.url, context) }],
      });
    } finally {
      ledger.close();
    }
    expect(result.mailboxErrors).toEqual([]);
    expect(result.summary.itemsFailed).toBe(0);

    const box = peer.mailbox(mailbox);
    const stored = box.items.filter((item) => item.kind === 'Message');
    expect(stored).toHaveLength(fixtures.length);
    for (const [i, fixture] of fixtures.entries()) {
      const copies = stored.filter((item) => item.mime && Buffer.compare(item.mime, fixture.wire) === 0);
      expect(copies, fixture.name).toHaveLength(1);
      const copy = copies[0];
      expect(copy?.folderPath, fixture.name).toEqual(i % 3 === 0 ? ['Projects', '2021'] : ['Inbox']);
      const prop = (tag: string) => copy?.extendedProps.find((p) => p.tag === tag)?.value;
      expect(Number(prop('0x0e07')) & 1, fixture.name).toBe(i % 2 === 0 ? 1 : 0);
      expect(prop('0x1090') === '2', fixture.name).toBe(i % 5 === 0);
      expect(Date.parse(prop('0x0e06') ?? ''), fixture.name).toBe(internalDate(i).getTime());
    }
    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });
});
