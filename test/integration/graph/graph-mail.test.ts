import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import { graphSourceKeyPropertyId, sourceKeyHash } from '../../../electron/engine/targets/exchange/source-key.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { normalisePropertyId } from '../../peers/graph/mailbox-store.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { folderRef, graphTarget, mailItem, prepare } from './graph-helpers.js';

const mailbox = 'alice@contoso.example';
const emlDir = path.join(fixturesDir, 'eml');

if (!hasFixtures) console.warn('Graph mail tests skipped: ../shared/fixtures (eml and graph-schema) is not present');

describe.skipIf(!hasFixtures)('Graph target writes eml fixtures into the schema-checking peer', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    peer = await startGraphPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('stores every message as JSON, not a draft, with its dates, read state, flag, categories and attachments', async () => {
    const target = graphTarget(peer.url, mailbox);
    await target.open();
    const inboxFolder: SourceFolder = { path: ['Inbox'], special: 'inbox' };
    const projects: SourceFolder = { path: ['Inbox', 'Projects 2021'] };
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const sub = await target.ensureFolder(projects, ['Inbox', 'Projects 2021']);
    expect(sub.path).toEqual(['Inbox', 'Projects 2021']);

    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml')).sort();
    const prepared: PreparedItem[] = files.map((name, index) => {
      const bytes = new Uint8Array(readFileSync(path.join(emlDir, name)));
      const onSub = index % 2 === 1;
      const item = mailItem(name, onSub ? projects : inboxFolder, bytes, {
        flags: { seen: index % 3 !== 0, flagged: index % 4 === 0, answered: index % 5 === 0, draft: false, forwarded: false },
        categories: index % 4 === 0 ? ['Blue category'] : [],
      });
      return prepare(item, folderRef(onSub ? sub.path : inbox.path, onSub ? sub.targetId : inbox.targetId), bytes);
    });
    for (let start = 0; start < prepared.length; start += 10) {
      const batch = prepared.slice(start, start + 10);
      const outcomes = await target.write(batch, new AbortController().signal);
      expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.message))).toEqual(batch.map(() => 'ok'));
      if (start === 0 && outcomes[0]?.ok && batch[0]) await target.verify(batch[0], outcomes[0].targetId);
    }

    const box = peer.mailbox(mailbox);
    expect(box.messages).toHaveLength(files.length);
    for (const p of prepared) {
      if (p.item.kind !== 'mail') continue;
      const folderPath = p.item.folder.special ? ['Inbox'] : ['Inbox', 'Projects 2021'];
      const hash = sourceKeyHash(mailbox, p.item.key);
      const match = box.messagesIn(folderPath).filter((m) => m.extended.get(normalisePropertyId(graphSourceKeyPropertyId)) === hash);
      expect(match, p.item.key).toHaveLength(1);
      const stored = match[0];
      if (!stored) continue;
      expect(stored.isDraft, p.item.key).toBe(false);
      expect(stored.isRead, p.item.key).toBe(p.item.flags.seen);
      if (p.item.sentAt) {
        expect(Date.parse(stored.sentDateTime ?? '')).toBe(p.item.sentAt.getTime());
        expect(Date.parse(stored.receivedDateTime)).toBe(p.item.receivedAt?.getTime());
      }
      expect(stored.posted.flag === undefined ? 'notFlagged' : (stored.posted.flag as { flagStatus: string }).flagStatus).toBe(p.item.flags.flagged ? 'flagged' : 'notFlagged');
      expect(stored.posted.categories ?? []).toEqual([...p.item.categories]);
      // Attachments: the same bytes as an independent MIME reader finds in the fixture.
      const original = await simpleParser(readFileSync(path.join(emlDir, p.item.key)));
      expect(stored.attachments.map((a) => a.bytes.toString('base64')).sort(), p.item.key).toEqual(original.attachments.map((a) => a.content.toString('base64')).sort());
      if (original.subject !== undefined) expect(stored.posted.subject, p.item.key).toBe(original.subject);
    }
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
    await target.close();
  });
});
