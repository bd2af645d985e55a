import type { ErrorInfo } from '../../electron/contract/index.js';
import type { PreparedItem, SourceFolder } from '../../electron/engine/model/items.js';
import type { ItemOutcome, Target, TargetCapabilities } from '../../electron/engine/targets/target.js';
import { CloudwardError } from '../../electron/contract/index.js';

/**
 * A target whose answers a test scripts (throttling, per-item failures, fatal errors), for testing
 * the pipeline's reactions. Real targets (dir:, the EWS peer) are tested on their own.
 */
export class ScriptedTarget implements Target {
  readonly label = 'scripted';
  readonly stored = new Map<string, PreparedItem[]>();
  readonly calls: { at: number; keys: string[]; bytes: number }[] = [];
  concurrent = 0;
  peakConcurrent = 0;
  verifyCalls = 0;
  /** Called per write; may throw (whole batch) or return per-item errors by index. */
  script: (call: number, batch: readonly PreparedItem[]) => void | (ErrorInfo | undefined)[] = () => undefined;
  verifyScript: (item: PreparedItem) => void = () => undefined;
  /** What the target says it could not keep of an item it took (ItemOutcome.note), by item. */
  noteScript: (item: PreparedItem) => string | undefined = () => undefined;
  delayMs = 0;

  constructor(public capabilities: TargetCapabilities) {}

  async open(): Promise<void> {}

  async ensureFolder(_folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    return { targetId: mappedPath.join('/'), path: mappedPath };
  }

  async write(batch: readonly PreparedItem[]): Promise<ItemOutcome[]> {
    this.concurrent++;
    this.peakConcurrent = Math.max(this.peakConcurrent, this.concurrent);
    try {
      const call = this.calls.length;
      this.calls.push({ at: performance.now(), keys: batch.map((item) => item.item.key), bytes: batch.reduce((sum, item) => sum + item.size, 0) });
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const errors = this.script(call, batch) ?? [];
      return batch.map((item, index) => {
        const error = errors[index];
        if (error) return { ok: false, error };
        const list = this.stored.get(item.item.key) ?? [];
        list.push(item);
        this.stored.set(item.item.key, list);
        const note = this.noteScript(item);
        return { ok: true, targetId: `id-${item.item.key}`, ...(note ? { note } : {}) };
      });
    } finally {
      this.concurrent--;
    }
  }

  async verify(item: PreparedItem): Promise<void> {
    this.verifyCalls++;
    this.verifyScript(item);
  }

  async close(): Promise<void> {}
}

export function throttled(ms: number): never {
  throw new CloudwardError('THROTTLED', `Server busy, back off ${ms} ms`, { retryAfterMs: ms });
}

export const generousCapabilities: TargetCapabilities = {
  kinds: ['mail', 'contact', 'event', 'task'],
  maxItemBytes: 10_000_000,
  maxBatchItems: 5,
  maxBatchBytes: 1_000_000,
  budget: { bytesPerWindow: Number.MAX_SAFE_INTEGER, windowMs: 1000, maxConcurrent: 3 },
};
