import { afterEach, describe, expect, it } from 'vitest';

import type { JobEvent } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import { runJob } from '../../../electron/engine/pipeline/run-job.js';
import type { Source } from '../../../electron/engine/sources/source.js';
import { generousCapabilities, ScriptedTarget } from '../../support/scripted-target.js';
import { MemorySource } from '../../support/memory-source.js';

/**
 * Ctrl+C or a UI cancel must answer within a second in every loop of the pipeline, even when the other
 * side never answers and ignores the signal (a server that accepted the connection and went silent).
 */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
const inbox: SourceFolder = { path: ['Inbox'], special: 'inbox' };
const messages = Array.from({ length: 20 }, (_, index) => ({ key: `m${index}`, folder: inbox, bytes: Buffer.from(`Subject: ${index}\r\n\r\nbody ${index} ${'x'.repeat(200)}\r\n`) }));

/** A target that hangs, ignoring its signal, in the phase under test. */
class HangingTarget extends ScriptedTarget {
  constructor(private readonly phase: string) {
    super({ ...generousCapabilities, maxBatchItems: 1 });
  }
  override async open(): Promise<void> {
    if (this.phase === 'target open') return never();
  }
  override async ensureFolder(folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    if (this.phase === 'folder creation') return never();
    return super.ensureFolder(folder, mappedPath);
  }
  override async write(batch: readonly PreparedItem[]): ReturnType<ScriptedTarget['write']> {
    if (this.phase === 'write' && this.calls.length >= 2) return never();
    return super.write(batch);
  }
  async reconcile(): Promise<(string | undefined)[]> {
    return never();
  }
  override async verify(item: PreparedItem): Promise<void> {
    if (this.phase === 'verify') return never();
    return super.verify(item);
  }
  async finishMailbox(): Promise<{ notes: string[] }> {
    if (this.phase === 'finish') return never();
    return { notes: [] };
  }
  override async close(): Promise<void> {
    if (this.phase !== 'none') return never();
  }
}

class HangingSource extends MemorySource {
  constructor(private readonly phase: string) {
    super(messages);
  }
  override async open(): Promise<void> {
    if (this.phase === 'source open') return never();
  }
}

const ledgers: Ledger[] = [];
afterEach(() => {
  for (const ledger of ledgers.splice(0)) ledger.close();
});

async function cancelIn(phase: string, options: { source?: Source; budget?: boolean; retry?: boolean; reconcile?: boolean; pausedFirst?: boolean } = {}): Promise<{ ms: number; events: JobEvent[] }> {
  const ledger = Ledger.open(':memory:');
  ledgers.push(ledger);
  const target = new HangingTarget(phase);
  if (options.budget) target.capabilities = { ...target.capabilities, budget: { bytesPerWindow: 300, windowMs: 60_000, maxConcurrent: 1 } };
  if (options.retry) target.script = () => [{ code: 'THROTTLED', message: 'busy', retryable: true, retryAfterMs: 60_000 }];
  if (options.reconcile) {
    // A run before sent m0 and died before the answer: the next run asks the target first.
    const job = ledger.findOrCreateJob('memory', 'hanging');
    const mailbox = ledger.findOrCreateMailbox(job.id, 'box', 'memory', 'hanging');
    const folder = ledger.upsertFolder(mailbox.id, ['Inbox'], 'inbox', undefined);
    const row = ledger.recordPending({ mailboxId: mailbox.id, folderId: folder.id, sourceKey: 'm0', kind: 'mail', title: undefined, size: 1, contentHash: undefined, dedupKey: undefined });
    ledger.markSent([row]);
  }
  const controller = new AbortController();
  const events: JobEvent[] = [];
  const running = runJob({
    ledger,
    source: 'memory',
    target: 'hanging',
    mailboxes: [{ label: 'box', source: 'memory', target: 'hanging', createSource: () => options.source ?? new MemorySource(messages), createTarget: () => target }],
    signal: controller.signal,
    onEvent: (event) => events.push(event),
    retry: { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
  });
  // Long enough for the job to reach the phase and stick there.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cancelledAt = performance.now();
  controller.abort(new Error('cancel'));
  const result = await Promise.race([running, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 5_000))]);
  const ms = performance.now() - cancelledAt;
  expect(result, `${phase}: still running 5 s after cancel`).not.toBe('hung');
  if (result !== 'hung') expect(result.summary.outcome).toBe('interrupted');
  return { ms, events };
}

describe('cancel reaches every loop within a second', () => {
  it.each([
    ['source open', { source: new HangingSource('source open') }],
    ['target open', {}],
    ['folder creation', {}],
    ['write', {}],
    ['reconcile', { reconcile: true }],
    ['verify', {}],
    ['retry wait', { retry: true }],
    ['budget wait', { budget: true }],
  ] as const)('%s', async (phase, options) => {
    const { ms } = await cancelIn(phase, options);
    expect(ms).toBeLessThan(1000);
  });

  it('a source whose next item never comes', async () => {
    const stuck: Source = {
      label: 'stuck',
      open: async () => undefined,
      entries: () => ({ [Symbol.asyncIterator]: () => ({ next: () => never<IteratorResult<never>>() }) }),
      close: async () => undefined,
    };
    const { ms } = await cancelIn('none', { source: stuck });
    expect(ms).toBeLessThan(1000);
  });
});
