import { describe, expect, it } from 'vitest';

import { itemSummaryEventSchema, type JobEvent, type ServiceEvent } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import type { SourceFolder } from '../../../electron/engine/model/items.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import { EventHub } from '../../../electron/engine/service/event-hub.js';
import { MemorySource } from '../../support/memory-source.js';
import { generousCapabilities, ScriptedTarget } from '../../support/scripted-target.js';

const inbox: SourceFolder = { path: ['Inbox'], special: 'inbox' };
const messages = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({ key: `${prefix}${index}`, folder: inbox, bytes: Buffer.from(`Subject: ${prefix} ${index}\r\n\r\n${prefix} body ${index}\r\n`) }));

describe('service events', () => {
  it('name real mailbox ids from the start and list queued mailboxes in progress', async () => {
    const ledger = Ledger.open(':memory:');
    const events: JobEvent[] = [];
    await runJob({
      ledger,
      source: 'memory',
      target: 'scripted',
      parallelMailboxes: 1,
      progressIntervalMs: 1,
      mailboxes: ['a', 'b', 'c'].map((label) => ({ label, source: `memory:${label}`, target: `scripted:${label}`, createSource: () => new MemorySource(messages(label, 5), { delayMs: 5 }), createTarget: () => new ScriptedTarget(generousCapabilities) })),
      onEvent: (event) => events.push(event),
    });
    const ids = new Map(ledger.mailboxes(1).map((row) => [row.label, row.id]));
    ledger.close();
    const started = events.filter((event) => event.type === 'mailbox' && event.phase === 'started');
    expect(started.map((event) => (event.type === 'mailbox' ? [event.mailbox, event.mailboxId] : []))).toEqual([
      ['a', ids.get('a')],
      ['b', ids.get('b')],
      ['c', ids.get('c')],
    ]);
    const early = events.find((event) => event.type === 'progress');
    expect(early?.type === 'progress' ? early.mailboxes.map((mailbox) => [mailbox.mailbox, mailbox.state, mailbox.mailboxId]) : []).toEqual([
      ['a', 'running', ids.get('a')],
      ['b', 'queued', ids.get('b')],
      ['c', 'queued', ids.get('c')],
    ]);
  });

  it('fold per-item results for a window: counts, the latest 20 issues with reasons, and what was dropped', async () => {
    const hub = new EventHub(10);
    const window: ServiceEvent[] = [];
    const cli: ServiceEvent[] = [];
    hub.subscribe((event) => window.push(event));
    hub.subscribe((event) => cli.push(event), { items: true });
    for (let index = 0; index < 5000; index++) {
      const failed = index % 100 === 0;
      hub.publish({
        type: 'item',
        jobId: 1,
        mailboxId: 7,
        folder: 'Inbox',
        sourceKey: `k${index}`,
        kind: 'mail',
        state: failed ? 'failed' : 'done',
        size: 10,
        ...(failed ? { error: { code: 'TARGET_REJECTED', message: `refused ${index}`, retryable: false } } : {}),
      });
    }
    hub.publish({ type: 'summary', jobId: 1, mailboxes: 1, itemsDone: 4950, itemsSkipped: 0, itemsFailed: 50, itemsPending: 0, bytesDone: 0, seconds: 1, outcome: 'with-issues' });
    expect(cli.filter((event) => event.type === 'item')).toHaveLength(5000);
    expect(cli.some((event) => event.type === 'item-summary')).toBe(false);
    expect(window.some((event) => event.type === 'item')).toBe(false);
    // Flushed before the summary, so a window never sees the end before the items that made it.
    expect(window.map((event) => event.type)).toEqual(['item-summary', 'summary']);
    const summary = itemSummaryEventSchema.parse(window[0]);
    expect(summary).toMatchObject({ done: 4950, failed: 50, dropped: 30 });
    expect(summary.issues).toHaveLength(20);
    expect(summary.issues.at(-1)).toMatchObject({ sourceKey: 'k4900', error: { message: 'refused 4900' } });
    hub.close();
  });
});
