import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { MemorySource, type MemoryMessage } from '../../support/memory-source.js';
import { generousCapabilities, ScriptedTarget } from '../../support/scripted-target.js';

/**
 * After a crash, items sent with no answer recorded are asked about before they are written again.
 * A lookup that fails means "unknown", never "absent": resending on a failed lookup is how duplicates happen.
 */
const inbox: SourceFolder = { path: ['Inbox'], special: 'inbox' };
const corpus: MemoryMessage[] = Array.from({ length: 8 }, (_, index) => ({
  key: `m${index}`,
  folder: inbox,
  bytes: Buffer.from(`Message-ID: <m${index}@x>\r\nSubject: ${index}\r\n\r\nbody ${index}\r\n`),
  messageId: `<m${index}@x>`,
}));
/** m0..m5 reached the target in the run that died; it never heard back. */
const sentBefore = corpus.slice(0, 6).map((message) => message.key);

class LookupTarget extends ScriptedTarget {
  readonly lookups: string[][] = [];
  lookupScript: (call: number, items: readonly PreparedItem[]) => (string | undefined)[] = (_call, items) => items.map(() => undefined);
  constructor() {
    super(generousCapabilities);
    for (const key of sentBefore) this.stored.set(key, [{ item: { key } } as PreparedItem]);
  }
  async reconcile(items: readonly PreparedItem[]): Promise<(string | undefined)[]> {
    this.lookups.push(items.map((item) => item.item.key));
    return this.lookupScript(this.lookups.length, items);
  }
}

function crashedLedger(): Ledger {
  const ledger = Ledger.open(':memory:');
  const job = ledger.findOrCreateJob('memory', 'lookup');
  const mailbox = ledger.findOrCreateMailbox(job.id, 'box', 'memory', 'lookup');
  const folder = ledger.upsertFolder(mailbox.id, ['Inbox'], 'inbox', undefined);
  const rows = sentBefore.map((key) =>
    ledger.recordPending({ mailboxId: mailbox.id, folderId: folder.id, sourceKey: key, kind: 'mail', title: undefined, size: 1, contentHash: undefined, dedupKey: undefined }),
  );
  ledger.markSent(rows);
  return ledger;
}

function run(ledger: Ledger, target: LookupTarget) {
  return runJob({
    ledger,
    source: 'memory',
    target: 'lookup',
    mailboxes: [{ label: 'box', source: 'memory', target: 'lookup', createSource: () => new MemorySource(corpus), createTarget: () => target }],
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
  });
}

const copies = (target: ScriptedTarget) => [...target.stored.entries()].filter(([, list]) => list.length > 1).map(([key]) => key);

describe('reconcile after a crash', () => {
  it('asks in batches of the target size, and a lookup that fails twice then answers writes nothing twice', async () => {
    const ledger = crashedLedger();
    const target = new LookupTarget();
    target.lookupScript = (call, items) => {
      if (call <= 2) throw new CloudwardError('TARGET_UNREACHABLE', 'connection reset', { retryable: true });
      return items.map((item) => `there-${item.item.key}`);
    };
    const result = await run(ledger, target);
    expect(copies(target)).toEqual([]);
    expect(target.calls.flatMap((call) => call.keys)).toEqual(['m6', 'm7']);
    // One question for up to maxBatchItems (5) items, not one per item: 6 items → 5 + 1 (after two failed tries of the first).
    expect(target.lookups.map((keys) => keys.length)).toEqual([5, 5, 5, 1]);
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 8, itemsFailed: 0 });
    const mailbox = ledger.mailboxes(result.summary.jobId)[0];
    expect(ledger.items(mailbox?.id ?? 0, 'done').find((row) => row.source_key === 'm0')?.target_id).toBe('there-m0');
  });

  it('a lookup that always fails leaves the items failed (retryable) with the reason, never sent again', async () => {
    const ledger = crashedLedger();
    const target = new LookupTarget();
    target.lookupScript = () => {
      throw new CloudwardError('TARGET_FAILED', 'FindItem answered 503', { retryable: true });
    };
    const result = await run(ledger, target);
    expect(copies(target)).toEqual([]);
    expect(target.calls.flatMap((call) => call.keys)).toEqual(['m6', 'm7']);
    expect(result.summary).toMatchObject({ itemsDone: 2, itemsFailed: 6 });
    const mailbox = ledger.mailboxes(result.summary.jobId)[0];
    const failed = ledger.items(mailbox?.id ?? 0, 'failed');
    expect(failed.map((row) => row.source_key)).toEqual(sentBefore);
    for (const row of failed) {
      expect(row).toMatchObject({ code: 'TARGET_FAILED', retryable: 1 });
      expect(row.reason).toMatch(/could not check whether it already reached the target/i);
    }

    // The next run asks again (they may be there) and writes only what the target says it lacks.
    const again = new LookupTarget();
    again.lookupScript = (_call, items) => items.map((item) => (item.item.key === 'm3' ? undefined : `there-${item.item.key}`));
    again.stored.delete('m3');
    const second = await run(ledger, again);
    expect(again.calls.flatMap((call) => call.keys)).toEqual(['m3']);
    expect(copies(again)).toEqual([]);
    expect(second.summary).toMatchObject({ itemsFailed: 0 });
  });
});
