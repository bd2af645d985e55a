import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { graphTargetSpec } from '../../../electron/engine/targets/graph/graph-spec.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';
import { hasFixtures } from '../../support/fixtures.js';
import { MemorySecrets, silentLog } from '../ews/ews-helpers.js';
import { emlFixtures, sourceFromSpec, type EmlFixture } from '../imap/imap-helpers.js';

const ready = hasDovecot && hasFixtures;
if (!ready) console.warn(`IMAP → Graph test skipped: ${!hasDovecot ? noDovecotReason : 'no ../shared/fixtures'}`);

describe.skipIf(!ready)('an IMAP mailbox (Dovecot) migrated into the Graph peer', () => {
  let dovecot: Dovecot;
  let peer: GraphPeer;
  let work: string;
  let fixtures: EmlFixture[];
  const internalDate = (i: number) => new Date(Date.UTC(2021, 0, 1 + i, 8, 30, 0));

  beforeAll(async () => {
    dovecot = await startDovecot();
    peer = await startGraphPeer();
    work = mkdtempSync(path.join(tmpdir(), 'cw-graph-imap-'));
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

  it('stores each message once, not a draft, with read state, flag, arrival date and attachments', async () => {
    const mailbox = 'imap@contoso.example';
    const spec = `imaps://alice@127.0.0.1:${dovecot.tlsPort}`;
    const secrets = new MemorySecrets();
    await secrets.set('source-password', spec, 'pass');
    await secrets.set('target-token', `graph://${mailbox}@${new URL(peer.url).host}`, 'peer-token');
    const context = { secrets, log: silentLog, options: { sourceCa: dovecot.caFile, targetMailbox: mailbox, targetAuth: 'token', graphEndpoint: peer.url } };
    const ledger = Ledger.open(path.join(work, 'ledger.sqlite'));
    let result;
    try {
      result = await runJob({
        ledger,
        source: spec,
        target: 'graph:',
        mailboxes: [{ label: mailbox, source: spec, target: 'graph:', createSource: () => sourceFromSpec(spec, secrets, context.options), createTarget: () => graphTargetSpec.create('graph:', context) }],
      });
    } finally {
      ledger.close();
    }
    expect(result.mailboxErrors).toEqual([]);
    expect(result.summary.itemsFailed).toBe(0);

    const box = peer.mailbox(mailbox);
    expect(box.messages).toHaveLength(fixtures.length);
    for (const [i, fixture] of fixtures.entries()) {
      // Each fixture has its own INTERNALDATE, which becomes PR_MESSAGE_DELIVERY_TIME (received).
      const copies = box.messages.filter((m) => Date.parse(m.receivedDateTime) === internalDate(i).getTime());
      expect(copies, fixture.name).toHaveLength(1);
      const copy = copies[0];
      if (!copy) continue;
      const folder = box.folders.find((f) => f.id === copy.folderId);
      expect(folder?.displayName, fixture.name).toBe(i % 3 === 0 ? '2021' : 'Inbox');
      expect(copy.isDraft, fixture.name).toBe(false);
      expect(copy.isRead, fixture.name).toBe(i % 2 === 0);
      expect((copy.posted.flag as { flagStatus?: string } | undefined)?.flagStatus === 'flagged', fixture.name).toBe(i % 5 === 0);
      const original = await simpleParser(fixture.wire);
      expect(copy.attachments.length, fixture.name).toBe(original.attachments.length);
    }
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });
});
