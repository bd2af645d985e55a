import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { folderRef, graphTarget, mailItem, prepare } from './graph-helpers.js';

const mailbox = 'verify@contoso.example';
const emlDir = path.join(fixturesDir, 'eml');

if (!hasFixtures) console.warn('Graph verify tests skipped: ../shared/fixtures (eml and graph-schema) is not present');

describe.skipIf(!hasFixtures)('Graph read-back is compared by value with the shared comparer (exchange/verify-values.ts)', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    peer = await startGraphPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('every eml fixture reads back as the same subject, sender, recipients, Date and body; a changed subject or recipient fails the job', async () => {
    const target = graphTarget(peer.url, mailbox);
    await target.open();
    const inboxFolder: SourceFolder = { path: ['Inbox'], special: 'inbox' };
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml')).sort();
    const prepared: PreparedItem[] = files.map((name) => {
      const bytes = new Uint8Array(readFileSync(path.join(emlDir, name)));
      return prepare(mailItem(name, inboxFolder, bytes), folderRef(inbox.path, inbox.targetId), bytes);
    });
    const outcomes = await target.write(prepared, new AbortController().signal);
    const refused: string[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      const item = prepared[index];
      if (!outcome.ok || !item) continue;
      await target.verify(item, outcome.targetId).catch((error: Error) => refused.push(`${files[index]}: ${error.message}`));
    }
    expect(refused).toEqual([]);

    // Graph (or our mapping) changing what a person reads must stop the job with VERIFY_FAILED.
    const [first] = outcomes;
    const firstItem = prepared[0];
    if (!first?.ok || !firstItem) throw new Error('the first fixture was not written');
    const stored = peer.mailbox(mailbox).messages.find((message) => message.id === first.targetId);
    if (!stored) throw new Error('the peer did not keep the first message');
    const originalSubject = stored.posted.subject;
    stored.posted.subject = 'Something else';
    await expect(target.verify(firstItem, first.targetId)).rejects.toMatchObject({ code: 'VERIFY_FAILED', message: expect.stringContaining('subject "Something else"') });
    stored.posted.subject = originalSubject;
    const originalTo = stored.posted.toRecipients;
    stored.posted.toRecipients = [{ emailAddress: { address: 'mallory@example.net' } }];
    await expect(target.verify(firstItem, first.targetId)).rejects.toMatchObject({ code: 'VERIFY_FAILED', message: expect.stringContaining('mallory@example.net') });
    stored.posted.toRecipients = originalTo;
    await target.verify(firstItem, first.targetId);
    peer.assertNoSchemaErrors();
    await target.close();
  });
});
