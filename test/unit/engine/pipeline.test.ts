import { describe, expect, it } from 'vitest';

import { CloudwardError, type JobEvent } from '../../../electron/contract/index.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { Gate } from '../../../electron/engine/pipeline/gate.js';
import { runJob, type MailboxPlan } from '../../../electron/engine/pipeline/run-job.js';
import type { Source } from '../../../electron/engine/sources/source.js';
import { MemorySource, type MemoryMessage } from '../../support/memory-source.js';
import { generousCapabilities, ScriptedTarget, throttled } from '../../support/scripted-target.js';

const fastRetry = { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 50 };

function messages(count: number, folder = ['Inbox'], prefix = 'm'): MemoryMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    key: `${prefix}${index}`,
    folder: { path: folder, ...(folder[0] === 'Inbox' ? { special: 'inbox' as const } : {}) },
    bytes: Buffer.from(`Message-ID: <${prefix}${index}@x>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nSubject: ${index}\r\n\r\nbody ${index}\r\n`),
    messageId: `<${prefix}${index}@x>`,
    sentAt: new Date(Date.UTC(2024, 0, 1, 10)),
  }));
}

function plan(label: string, source: Source, target: ScriptedTarget): MailboxPlan {
  return { label, source: `mem:${label}`, target: 'scripted', createSource: () => source, createTarget: () => target };
}

describe('pipeline', () => {
  it('sends every item once, in batches no larger than the target allows', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(23)), target)], retry: fastRetry });
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 23, itemsFailed: 0 });
    expect(target.stored.size).toBe(23);
    expect([...target.stored.values()].every((copies) => copies.length === 1)).toBe(true);
    expect(Math.max(...target.calls.map((call) => call.keys.length))).toBeLessThanOrEqual(5);
    expect(target.peakConcurrent).toBeLessThanOrEqual(3);
  });

  it('skips what is already done on a re-run without even loading it', async () => {
    const ledger = Ledger.open(':memory:');
    const corpus = messages(10);
    await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(corpus), new ScriptedTarget(generousCapabilities))], retry: fastRetry });
    const again = new MemorySource(corpus);
    const target = new ScriptedTarget(generousCapabilities);
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', again, target)], retry: fastRetry });
    expect(target.calls).toHaveLength(0);
    expect(again.loads).toBe(0);
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 10 });
  });

  it('catches the same message under another source key (two PSTs of one mailbox) by content', async () => {
    const ledger = Ledger.open(':memory:');
    const first = messages(5, ['Inbox'], 'a');
    const second = messages(5, ['Inbox'], 'b').map((message, index) => ({ ...message, bytes: first[index]?.bytes ?? message.bytes, messageId: first[index]?.messageId ?? '' }));
    const target = new ScriptedTarget(generousCapabilities);
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource([...first, ...second]), target)], retry: fastRetry });
    expect(target.stored.size).toBe(5);
    expect(result.summary).toMatchObject({ itemsDone: 5, itemsSkipped: 5, outcome: 'complete' });
    const mailbox = ledger.mailboxes(result.summary.jobId)[0];
    const skipped = ledger.items(mailbox?.id ?? 0, 'skipped');
    expect(skipped.every((row) => row.code === 'DUPLICATE')).toBe(true);
  });

  it('finishes a throttling storm with zero failed items, honouring the server hint', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    const waits: number[] = [];
    target.script = (call) => {
      if (call % 2 === 0) throttled(30);
    };
    target.capabilities = { ...generousCapabilities, budget: { ...generousCapabilities.budget, maxConcurrent: 1 } };
    const result = await runJob({
      ledger,
      source: 's',
      target: 't',
      mailboxes: [plan('a', new MemorySource(messages(20)), target)],
      retry: fastRetry,
      onEvent: (event) => {
        if (event.type === 'wait' && event.reason === 'throttled' && /^Server busy/.test(event.message)) waits.push(event.milliseconds);
      },
    });
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 20, itemsFailed: 0 });
    expect(target.stored.size).toBe(20);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((ms) => ms === 30)).toBe(true);
    // Nothing was sent to the mailbox while a back-off ran.
    for (const [index, call] of target.calls.entries()) {
      const next = target.calls[index + 1];
      if (index % 2 === 0 && next) expect(next.at - call.at).toBeGreaterThanOrEqual(28);
    }
  });

  it('retries only the items that failed inside a batch, and fails an item that keeps failing with its reason', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    let transient = 0;
    target.script = (_call, batch) =>
      batch.map((item) => {
        if (item.item.key === 'm3' && transient++ < 2) return { code: 'TARGET_FAILED', message: 'ErrorInternalServerTransientError', retryable: true };
        if (item.item.key === 'm7') return { code: 'TARGET_REJECTED', message: 'ErrorCorruptData', retryable: false };
        return undefined;
      });
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(10)), target)], retry: fastRetry });
    expect(result.summary).toMatchObject({ outcome: 'with-issues', itemsDone: 9, itemsFailed: 1 });
    expect(target.stored.get('m3')).toHaveLength(1);
    const mailbox = ledger.mailboxes(result.summary.jobId)[0];
    expect(ledger.item(mailbox?.id ?? 0, 'm7')).toMatchObject({ state: 'failed', code: 'TARGET_REJECTED', reason: 'ErrorCorruptData', retryable: 0 });
  });

  it('skips items over the size limit before loading them, with a reason that names the fix', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget({ ...generousCapabilities, maxItemBytes: 60, sizeLimitAdvice: 'Raise it with Set-Mailbox -MaxReceiveSize.' });
    const corpus = messages(3);
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(corpus), target)], retry: fastRetry });
    expect(result.summary).toMatchObject({ itemsSkipped: 3, outcome: 'with-issues' });
    const mailbox = ledger.mailboxes(result.summary.jobId)[0];
    const row = ledger.item(mailbox?.id ?? 0, 'm0');
    expect(row?.code).toBe('ITEM_TOO_LARGE');
    expect(row?.reason).toMatch(/Set-Mailbox -MaxReceiveSize/);
  });

  it('stops a mailbox whose login is refused, leaving its items for the next run', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    target.script = () => {
      throw Object.assign(new Error('401'), {});
    };
    const denied = new ScriptedTarget(generousCapabilities);
    denied.script = () => {
      throw new CloudwardError('TARGET_AUTH_FAILED', 'The token was refused');
    };
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(12)), denied)], retry: fastRetry });
    expect(result.summary.outcome).toBe('failed');
    expect(result.mailboxErrors[0]?.error).toMatchObject({ code: 'TARGET_AUTH_FAILED' });
    expect(result.summary.itemsFailed).toBe(0);
    expect(ledger.mailboxes(result.summary.jobId)[0]?.state).toBe('failed');
  });

  it('neither opens nor closes the target when the source cannot be read', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    let closed = 0;
    target.close = async () => {
      closed++;
    };
    const broken = new MemorySource([]);
    broken.open = async () => {
      throw new CloudwardError('SOURCE_UNREADABLE', '/media/usb/Outlook.pst does not exist');
    };
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', broken, target)], retry: fastRetry });
    expect(result.mailboxErrors[0]?.error).toMatchObject({ code: 'SOURCE_UNREADABLE', message: '/media/usb/Outlook.pst does not exist' });
    expect(closed).toBe(0);
  });

  it('stops the whole job when verify-after-write finds the first item changed', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    target.verifyScript = () => {
      throw new Error('stored as a draft');
    };
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(40)), target)], retry: fastRetry });
    expect(result.summary.outcome).toBe('failed');
    expect(result.mailboxErrors.map((entry) => entry.error.code)).toContain('VERIFY_FAILED');
    expect(target.verifyCalls).toBe(1);
    expect(target.stored.size).toBeLessThan(40);
  });

  it('runs mailboxes in parallel, each under its own budget', async () => {
    const ledger = Ledger.open(':memory:');
    const targets = Array.from({ length: 4 }, () => {
      const target = new ScriptedTarget({ ...generousCapabilities, budget: { bytesPerWindow: 600, windowMs: 200, maxConcurrent: 1 } });
      target.delayMs = 5;
      return target;
    });
    const started = performance.now();
    const result = await runJob({
      ledger,
      source: 's',
      target: 't',
      parallelMailboxes: 4,
      mailboxes: targets.map((target, index) => plan(`box${index}`, new MemorySource(messages(20, ['Inbox'], `b${index}-`)), target)),
      retry: fastRetry,
    });
    const elapsed = performance.now() - started;
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 80 });
    for (const target of targets) {
      // No 200 ms window holds more than 600 bytes for any one mailbox.
      for (const call of target.calls) {
        const inWindow = target.calls.filter((other) => other.at <= call.at && other.at > call.at - 200).reduce((sum, other) => sum + other.bytes, 0);
        expect(inWindow).toBeLessThanOrEqual(600 + call.bytes);
      }
    }
    // In parallel, not one after another: every mailbox had started before any of them finished.
    const firsts = targets.map((target) => target.calls[0]?.at ?? Infinity);
    const lasts = targets.map((target) => target.calls[target.calls.length - 1]?.at ?? -Infinity);
    expect(Math.max(...firsts)).toBeLessThan(Math.min(...lasts));
    expect(elapsed).toBeGreaterThan(0);
  });

  it('pauses and resumes, and cancels leaving a consistent ledger', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget({ ...generousCapabilities, maxBatchItems: 1 });
    const gate = new Gate();
    const controller = new AbortController();
    const events: JobEvent[] = [];
    gate.pause();
    const running = runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(200), { delayMs: 1 }), target)], retry: fastRetry, gate, signal: controller.signal, onEvent: (event) => events.push(event) });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(target.calls).toHaveLength(0);
    gate.resume();
    const deadline = Date.now() + 10_000;
    while (target.calls.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const result = await running;
    expect(result.summary.outcome).toBe('interrupted');
    const sent = target.stored.size;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(200);
    expect(result.summary.itemsDone).toBe(sent);
    // Resume: the rest arrives, nothing twice.
    const second = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(200)), target)], retry: fastRetry });
    expect(second.summary).toMatchObject({ outcome: 'complete', itemsDone: 200 });
    expect([...target.stored.values()].every((copies) => copies.length === 1)).toBe(true);
    expect(target.stored.size).toBe(200);
  });

  it('commits a checkpoint only after every item before it is settled', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget({ ...generousCapabilities, maxBatchItems: 4 });
    // Only observed here: an expect() thrown inside the target is a failed write the pipeline retries,
    // so the verdict is given below, outside the pipeline.
    const observed: { call: number; firstKey: string | undefined; checkpoint: string | undefined }[] = [];
    target.script = (call, batch) => {
      const mailbox = ledger.mailboxes(1)[0];
      observed.push({ call, firstKey: batch[0]?.item.key, checkpoint: mailbox ? ledger.checkpoint(mailbox.id, 'INBOX') : undefined });
    };
    const result = await runJob({ ledger, source: 's', target: 't', mailboxes: [plan('a', new MemorySource(messages(16), { checkpointScope: 'INBOX' }), target)], retry: fastRetry });
    expect(result.summary).toMatchObject({ outcome: 'complete', itemsDone: 16, itemsFailed: 0 });
    expect(observed).toHaveLength(4); // one call per batch of 4: nothing was retried
    // While the batch starting at item N is being written, the checkpoint may not cover N or anything after.
    const early = observed.filter((seen) => seen.checkpoint !== undefined && Number(seen.checkpoint) >= Number(seen.firstKey?.slice(1)));
    expect(early).toEqual([]);
    // The check saw a checkpoint in flight at least once, or it proved nothing.
    expect(observed.some((seen) => seen.checkpoint !== undefined)).toBe(true);
    const mailbox = ledger.mailboxes(1)[0];
    expect(ledger.checkpoint(mailbox?.id ?? 0, 'INBOX')).toBe('15');
  });

  it('emits progress no more than ten times a second, with totals and an ETA', async () => {
    const ledger = Ledger.open(':memory:');
    const target = new ScriptedTarget(generousCapabilities);
    target.delayMs = 2;
    const progress: { at: number; event: JobEvent }[] = [];
    await runJob({
      ledger,
      source: 's',
      target: 't',
      mailboxes: [plan('a', new MemorySource(messages(300)), target)],
      retry: fastRetry,
      onEvent: (event) => {
        if (event.type === 'progress') progress.push({ at: performance.now(), event });
      },
    });
    for (let i = 1; i < progress.length; i++) expect((progress[i]?.at ?? 0) - (progress[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(95);
    const last = progress[progress.length - 1]?.event;
    expect(last?.type === 'progress' && last.totals.itemsDone).toBe(300);
    expect(last?.type === 'progress' && last.totals.itemsTotal).toBe(300);
  });
});
