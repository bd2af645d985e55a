import type { MailItem, SourceFolder } from '../../electron/engine/model/items.js';
import type { Source, SourceContext, UnreadableItem } from '../../electron/engine/sources/source.js';

/**
 * An in-memory ledger for driving a Source without the pipeline: checkpoints, settled and started
 * keys. Items are settled as soon as `drain` has loaded them, so a saved checkpoint is committed at
 * once (the pipeline commits it after the items before it settle, which here is immediately).
 */
export class FakeSourceContext implements SourceContext {
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  readonly checkpoints = new Map<string, string>();
  readonly settled = new Set<string>();
  readonly started = new Set<string>();
  readonly unreadable: UnreadableItem[] = [];

  /** `mimeFacts`: drive the source as for a target that reads MIME facts (Graph). */
  constructor(readonly mimeFacts = false) {}

  checkpoint(scope: string): string | undefined {
    return this.checkpoints.get(scope);
  }
  saveCheckpoint(scope: string, value: string): void {
    this.checkpoints.set(scope, value);
  }
  isSettled(sourceKey: string): boolean {
    return this.settled.has(sourceKey);
  }
  unsettledKeys(prefix: string): string[] {
    return [...this.started].filter((key) => key.startsWith(prefix) && !this.settled.has(key));
  }
  reportUnreadable(failure: UnreadableItem): void {
    this.unreadable.push(failure);
  }
}

export interface DrainedMail {
  item: MailItem;
  bytes: Buffer;
}

/**
 * Iterates entries(), loads every mail and settles it. `stopAfter` ends the run abruptly after that
 * many items (as a killed process would: the last item started but not settled).
 */
export async function drain(
  source: Source,
  context: FakeSourceContext,
  options: { stopAfter?: number; onItem?: (count: number) => void | Promise<void>; keepBytes?: boolean } = {},
): Promise<{ folders: SourceFolder[]; mails: DrainedMail[]; bytes: number }> {
  const folders: SourceFolder[] = [];
  const mails: DrainedMail[] = [];
  let bytes = 0;
  let count = 0;
  for await (const entry of source.entries(context)) {
    if (entry.type === 'folder') {
      folders.push(entry.folder);
      continue;
    }
    const item = entry.item;
    if (item.kind !== 'mail') throw new Error(`unexpected ${item.kind} from an IMAP source`);
    context.started.add(item.key);
    if (options.stopAfter !== undefined && count >= options.stopAfter) break;
    const data = Buffer.from(await item.load());
    bytes += data.length;
    mails.push({ item, bytes: options.keepBytes === false ? Buffer.alloc(0) : data });
    context.settled.add(item.key);
    count++;
    await options.onItem?.(count);
  }
  return { folders, mails, bytes };
}
