import type { MailItem, SourceEntry, SourceFolder } from '../../electron/engine/model/items.js';
import type { Source, SourceContext } from '../../electron/engine/sources/source.js';

export interface MemoryMessage {
  key: string;
  folder: SourceFolder;
  bytes: Buffer;
  messageId?: string;
  sentAt?: Date;
  /** SourceItem.caveat: what the source itself says about the item. */
  caveat?: string;
}

/** An in-memory source for pipeline tests; can checkpoint after every item like an IMAP folder would. */
export class MemorySource implements Source {
  readonly label = 'memory';
  readonly yielded: string[] = [];
  loads = 0;

  constructor(
    private readonly messages: MemoryMessage[],
    private readonly options: { checkpointScope?: string; delayMs?: number } = {},
  ) {}

  async open(): Promise<void> {}

  async estimate(): Promise<{ items: number }> {
    return { items: this.messages.length };
  }

  async *entries(context: SourceContext): AsyncIterable<SourceEntry> {
    const seen = new Set<string>();
    const start = Number(this.options.checkpointScope ? (context.checkpoint(this.options.checkpointScope) ?? -1) : -1);
    for (const [index, message] of this.messages.entries()) {
      const folderKey = JSON.stringify(message.folder.path);
      if (!seen.has(folderKey)) {
        seen.add(folderKey);
        yield { type: 'folder', folder: message.folder };
      }
      if (index <= start) continue;
      if (this.options.delayMs) await new Promise((resolve) => setTimeout(resolve, this.options.delayMs));
      this.yielded.push(message.key);
      const item: MailItem = {
        kind: 'mail',
        key: message.key,
        folder: message.folder,
        size: message.bytes.length,
        flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false },
        keywords: [],
        categories: [],
        ...(message.messageId ? { messageId: message.messageId } : {}),
        ...(message.sentAt ? { sentAt: message.sentAt } : {}),
        ...(message.caveat ? { caveat: message.caveat } : {}),
        load: async () => {
          this.loads++;
          return message.bytes;
        },
      };
      yield { type: 'item', item };
      if (this.options.checkpointScope) context.saveCheckpoint(this.options.checkpointScope, String(index));
    }
  }

  async close(): Promise<void> {}
}
