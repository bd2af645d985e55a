import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import type { ItemOutcome } from '../../../electron/engine/targets/target.js';
import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';
import { folderRef, graphTarget, mailItem, prepare } from './graph-helpers.js';

if (!hasFixtures) console.warn('Graph $batch tests skipped: ../shared/fixtures/graph-schema is not present');

const mailbox = 'batch@contoso.example';

function smallMessage(n: number): Uint8Array {
  return new Uint8Array(
    Buffer.from(
      `From: Ann <ann@example.org>\r\nTo: batch@contoso.example\r\nSubject: Small ${n}\r\nDate: Tue, 2 Mar 2021 09:${String(n % 60).padStart(2, '0')}:00 +0100\r\n` +
        `Message-ID: <small-${n}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody of small message ${n}.\r\n`,
    ),
  );
}

describe.skipIf(!hasFixtures)('Graph target sends small creates 20 to a $batch', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    // A third of inner requests throttled (429 or 503, each with Retry-After 1 s), as Graph may do per request inside $batch.
    peer = await startGraphPeer({ seed: 7 });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('45 small messages: a few $batch calls, inner 429/503 come back as retryable failures carrying Retry-After, retries store each exactly once', async () => {
    const target = graphTarget(peer.url, mailbox);
    await target.open();
    const inboxFolder: SourceFolder = { path: ['Inbox'], special: 'inbox' };
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const items: PreparedItem[] = Array.from({ length: 45 }, (_, n) => {
      const bytes = smallMessage(n);
      return prepare(mailItem(`small-${n}`, inboxFolder, bytes), folderRef(inbox.path, inbox.targetId), bytes);
    });
    peer.configure({ random: { rate429: 0.2, rate503: 0.15, retryAfterSeconds: 1 } });
    const done = new Map<string, string>();
    const throttled: ItemOutcome[] = [];
    let pending = items;
    // What the pipeline does with a retryable outcome: write that item again (after its Retry-After).
    for (let round = 0; pending.length > 0 && round < 12; round += 1) {
      const outcomes = await target.write(pending, new AbortController().signal);
      const again: PreparedItem[] = [];
      outcomes.forEach((outcome, index) => {
        const item = pending[index] as PreparedItem;
        if (outcome.ok) done.set(item.item.key, outcome.targetId);
        else {
          throttled.push(outcome);
          expect(outcome.error.retryable, outcome.error.message).toBe(true);
          again.push(item);
        }
      });
      pending = again;
      if (round === 1) peer.configure({ random: {} });
    }
    expect(pending).toEqual([]);
    expect(done.size).toBe(45);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((outcome) => !outcome.ok && outcome.error.retryAfterMs === 1000)).toBe(true);
    expect(throttled.some((outcome) => !outcome.ok && outcome.error.code === 'THROTTLED')).toBe(true);
    // Every message once, none a draft; the creates went inside $batch, not one POST each.
    const stored = peer.mailbox(mailbox).messagesIn(['Inbox']);
    expect(stored.map((message) => message.posted.subject).sort()).toEqual(items.map((_, n) => `Small ${n}`).sort());
    expect(stored.every((message) => !message.isDraft)).toBe(true);
    const creates = peer.log.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/messages'));
    expect(creates.every((entry) => entry.inBatch)).toBe(true);
    expect(peer.stats.batchRequests).toBeLessThan(15);
    peer.assertNoSchemaErrors();
    peer.assertNoViolations();
    await target.close();
  });
});
