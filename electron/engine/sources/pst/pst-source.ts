import type { PSTFolder } from 'pst-extractor';

import { CloudwardError, type ItemKind } from '../../../contract/index.js';
import type { MailItem, SourceEntry, SourceFolder, SourceItem } from '../../model/items.js';
import type { MimeFacts } from '../../model/mime-facts.js';
import type { Logger } from '../../log/logger.js';
import type { Source, SourceContext, SourceFolderPreview } from '../source.js';
import { folderBytes, mergedBytes } from './folder-sizes.js';
import { walkFolders, type PstFolderNode } from './folders.js';
import { buildMime, buildMimeWithFacts, cleanSubject, type MimeContext } from './mail-mime.js';
import { bagOf, date, int, str } from './properties.js';
import { PstStore, wrap } from './pst-file.js';
import { hashKey, ItemProps, readContact, readDistributionList, readEvent, readNote, readTask } from './typed-items.js';
import { hiddenFolderReason, notUserData } from './user-data.js';
import { datesOf } from '../eml/item-dates.js';
import { readHeaderSummary } from '../eml/mail-headers.js';

/**
 * The facts of a MIME this source built ride on the MIME's own object, so they live exactly as long as
 * it does. They are recorded only for a target that reads them (SourceContext.mimeFacts), so EWS and
 * dir: pay nothing. A WeakMap keyed by the MIME did the same and cost ~0.3 ms of CPU per item in garbage
 * collection (ephemeron tables): +20 % on the source side, measured.
 */
const factsKey = Symbol('cloudward.pst.mimeFacts');
type WithFacts = Uint8Array & { [factsKey]?: MimeFacts };

export function kindOfClass(messageClass: string | undefined): ItemKind {
  const c = (messageClass ?? '').toLowerCase();
  if (c.startsWith('ipm.contact')) return 'contact';
  if (c.startsWith('ipm.distlist')) return 'distlist';
  if (c === 'ipm.appointment' || c.startsWith('ipm.appointment.')) return 'event';
  if (c === 'ipm.task' || c.startsWith('ipm.task.')) return 'task';
  if (c.startsWith('ipm.stickynote')) return 'note';
  if (c.startsWith('ipm.activity')) return 'journal';
  return 'mail';
}

interface ContentsTable {
  /** The table's row index (its BTH of row id → row number): row ids of a contents table are node ids. */
  keyMap: Map<number, number>;
}

/**
 * Node ids of a folder's messages, from its contents table's row index. pst-extractor's row-matrix
 * walk assumes 8176-byte blocks and so misreads the tables of 4 KB-page OSTs (zlib blocks); the row
 * index lists every row whatever the block layout.
 */
export function* messageNids(store: PstStore, folder: PSTFolder): Generator<number> {
  store.activate();
  const f = folder as unknown as {
    initEmailsTable(): void;
    emailsTable: ContentsTable | null;
    fallbackEmailsTable: { descriptorIdentifier: number }[] | null;
  };
  f.initEmailsTable();
  if (f.emailsTable) {
    const rows = [...f.emailsTable.keyMap.entries()].sort((a, b) => a[1] - b[1]);
    for (const [nid] of rows) if (nid > 0) yield nid;
  } else if (f.fallbackEmailsTable) {
    for (const node of f.fallbackEmailsTable) yield node.descriptorIdentifier;
  }
}

/**
 * Outlook data files as a source: one PST/OST, or several files of one mailbox merged (same folder
 * paths become one folder; an item present in an earlier file is not offered again). Files stay open
 * (one descriptor and a bounded page cache each) so items can be loaded after the walk moved on.
 */
export class PstSource implements Source {
  private stores: PstStore[] = [];
  private storeKeys: string[] = [];
  private readonly passworded = new Set<string>();

  constructor(
    private readonly files: readonly string[],
    private readonly log?: Logger,
  ) {}

  /** The files, each marked when its store carries a password (it protects nothing; reports say so). */
  get label(): string {
    return this.files.map((file) => (this.passworded.has(file) ? `${file} (password-protected)` : file)).join(', ');
  }

  async open(): Promise<void> {
    await this.close();
    try {
      for (const file of this.files) {
        const store = PstStore.open(file);
        this.stores.push(store);
        this.storeKeys.push(store.recordKey());
        const password = int(bagOf(store.messageStore()), 0x67ff) ?? 0;
        if (password !== 0) this.passworded.add(file);
        this.log?.info(
          { file, format: store.header.format, encryption: store.header.encryption, passwordProtected: password !== 0 },
          password !== 0 ? 'PST opened; it has a password, which a PST only stores as a checksum: read without it' : 'PST opened',
        );
      }
    } catch (error) {
      await this.close();
      throw wrap(error, this.label, 'cannot open');
    }
  }

  async estimate(): Promise<{ items: number } | undefined> {
    let items = 0;
    for (const store of this.stores) {
      for (const folder of walkFolders(store, () => undefined)) items += folder.contentCount;
    }
    return { items };
  }

  /** Items and bytes per folder from the folder and contents tables (no message is read); folders Outlook hides are left out, as the job leaves them. */
  async preview(): Promise<SourceFolderPreview[]> {
    const folders = new Map<string, SourceFolderPreview>();
    for (const store of this.stores) {
      for (const folder of walkFolders(store, () => undefined)) {
        if (folder.hiddenAt !== undefined) continue;
        const key = JSON.stringify(folder.path);
        const known = folders.get(key);
        folders.set(key, { path: folder.path, items: (known?.items ?? 0) + folder.contentCount, bytes: mergedBytes(known, folder.contentCount, folderBytes(store, folder.folder)) });
      }
    }
    return [...folders.values()];
  }

  async *entries(context: SourceContext): AsyncIterable<SourceEntry> {
    if (this.stores.length === 0) throw new CloudwardError('SOURCE_UNREADABLE', `${this.label}: not opened`);
    const folders = new Map<string, SourceFolder>();
    // Identity of an item across files → index of the file that first had it.
    const seen = new Map<string, number>();
    for (const [index, store] of this.stores.entries()) {
      const storeKey = this.storeKeys[index] ?? String(index);
      const failures: { path: string[]; error: unknown }[] = [];
      for (const node of walkFolders(store, (path, error) => failures.push({ path, error }))) {
        if (context.signal.aborted) return;
        const pathKey = node.path.join('\u0000');
        let folder = folders.get(pathKey);
        if (!folder) {
          folder = this.sourceFolder(node);
          folders.set(pathKey, folder);
          yield { type: 'folder', folder };
        }
        let nids: Generator<number>;
        try {
          nids = messageNids(store, node.folder);
        } catch (error) {
          context.reportUnreadable({ key: `pst:${storeKey}:folder:${node.nid.toString(16)}`, folderPath: node.path, kind: node.holds ?? 'mail', reason: `folder contents unreadable: ${reason(error)}` });
          continue;
        }
        for (;;) {
          let next: IteratorResult<number>;
          try {
            next = nids.next();
          } catch (error) {
            context.reportUnreadable({ key: `pst:${storeKey}:folder:${node.nid.toString(16)}`, folderPath: node.path, kind: node.holds ?? 'mail', reason: `folder contents unreadable: ${reason(error)}` });
            break;
          }
          if (next.done) break;
          if (context.signal.aborted) return;
          const nid = next.value;
          const key = `pst:${storeKey}:${nid.toString(16)}`;
          let item: SourceItem;
          let identity: string;
          try {
            const message = store.message(nid);
            const props = new ItemProps(store, message);
            identity = identityOf(props);
            const skip = node.hiddenAt ? hiddenFolderReason(node.path, node.hiddenAt) : notUserData(str(props.bag, 0x001a));
            if (skip !== undefined) item = skippedItem(key, folder, props, skip);
            else {
              item = this.item(store, storeKey, key, nid, folder, props, context.mimeFacts === true);
              if (item.kind === 'mail') store.remember(nid, message);
            }
          } catch (error) {
            context.reportUnreadable({ key, folderPath: node.path, kind: node.holds ?? 'mail', reason: reason(error) });
            continue;
          }
          const firstFile = seen.get(identity);
          if (firstFile !== undefined && firstFile !== index) continue;
          if (firstFile === undefined && this.stores.length > 1) seen.set(identity, index);
          if (context.isSettled(key)) continue;
          yield { type: 'item', item };
        }
      }
      for (const failure of failures) {
        context.reportUnreadable({
          key: `pst:${storeKey}:folder:${failure.path.join('/') || 'root'}`,
          folderPath: failure.path,
          kind: 'mail',
          reason: `subfolders unreadable: ${reason(failure.error)}`,
        });
      }
    }
  }

  private sourceFolder(node: PstFolderNode): SourceFolder {
    const folder: { -readonly [K in keyof SourceFolder]: SourceFolder[K] } = { path: node.path };
    if (node.special) folder.special = node.special;
    if (node.holds) folder.holds = node.holds;
    if (this.stores.length === 1) folder.count = node.contentCount;
    if (node.hiddenAt) folder.skipped = hiddenFolderReason(node.path, node.hiddenAt);
    return folder;
  }

  private item(store: PstStore, storeKey: string, key: string, nid: number, folder: SourceFolder, props: ItemProps, recordFacts: boolean): SourceItem {
    const b = props.bag;
    const kind = kindOfClass(str(b, 0x001a));
    const size = int(b, 0x0e08) ?? 0;
    const title = props.subject() || str(b, 0x3001) || undefined;
    const base = { key, folder, size, ...(title ? { title } : {}) };
    switch (kind) {
      case 'contact':
        return { ...base, kind, contact: readContact(props) };
      case 'distlist':
        return { ...base, kind, list: readDistributionList(props) };
      case 'event':
        return { ...base, kind, event: readEvent(props, `${storeKey}-${nid.toString(16)}@pst.cloudward`) };
      case 'task':
        return { ...base, kind, task: readTask(props, `${storeKey}-${nid.toString(16)}@pst.cloudward`) };
      case 'note':
      case 'journal':
        return { ...base, kind, note: readNote(props, kind === 'journal') };
      default:
        return this.mailItem(store, key, nid, base, props, recordFacts);
    }
  }

  private mailItem(
    store: PstStore,
    key: string,
    nid: number,
    base: { key: string; folder: SourceFolder; size: number; title?: string },
    props: ItemProps,
    recordFacts: boolean,
  ): MailItem {
    const b = props.bag;
    const flags = int(b, 0x0e07) ?? 0;
    const verb = int(b, 0x1081);
    const icon = int(b, 0x1080);
    const importance = int(b, 0x0017);
    const sensitivity = int(b, 0x0036);
    const item: { -readonly [K in keyof MailItem]: MailItem[K] } = {
      ...base,
      kind: 'mail',
      flags: {
        seen: (flags & 0x1) !== 0,
        flagged: int(b, 0x1090) === 2,
        answered: verb === 102 || verb === 103 || icon === 0x105 || icon === 0x106,
        draft: (flags & 0x8) !== 0,
        forwarded: verb === 104 || icon === 0x107,
      },
      keywords: [],
      categories: props.categories(),
      load: async () => {
        try {
          if (!recordFacts) return await buildMime(store.take(nid), mimeContext(store, key));
          const { mime, facts } = await buildMimeWithFacts(store.take(nid), mimeContext(store, key));
          (mime as WithFacts)[factsKey] = facts;
          return mime;
        } catch (error) {
          throw new CloudwardError('ITEM_UNREADABLE', `${key}: ${reason(error)}`, { item: key, cause: error });
        }
      },
      facts: (mime) => (mime as WithFacts)[factsKey],
    };
    const messageId = str(b, 0x1035);
    if (messageId) item.messageId = messageId;
    const sent = date(b, 0x0039);
    if (sent) item.sentAt = sent;
    const received = date(b, 0x0e06);
    if (received) item.receivedAt = received;
    if (!sent && !received) {
      // Neither a submit nor a delivery time: a target would date it the day of the migration. The
      // headers it arrived with, else the time Outlook created it here (the Date the MIME gets too).
      const transport = str(b, 0x007d);
      const created = date(b, 0x3007);
      const dates = datesOf(transport ? readHeaderSummary(Buffer.from(`${transport}\r\n\r\n`, 'utf8')) : {}, created ? { time: created, what: 'the time it was created in the PST' } : undefined);
      if (dates.sentAt) item.sentAt = dates.sentAt;
      if (dates.receivedAt) item.receivedAt = dates.receivedAt;
      if (dates.caveat) item.caveat = dates.caveat.replace(/^no Date header/, 'no sent or received time and no Date header');
    }
    if (importance !== undefined) item.importance = (['low', 'normal', 'high'] as const)[importance] ?? 'normal';
    if (sensitivity !== undefined) item.sensitivity = (['normal', 'personal', 'private', 'confidential'] as const)[sensitivity] ?? 'normal';
    return item;
  }

  async close(): Promise<void> {
    for (const store of this.stores) store.close();
    this.stores = [];
    this.storeKeys = [];
  }
}

export function mimeContext(store: PstStore, seed: string): MimeContext {
  return {
    seed,
    charset: store.defaultCharset,
    warnings: [],
    embedded: (attachment, parent) => store.embeddedMessage(attachment, parent),
  };
}

/** An item that is not migrated (SourceItem.skip): what the report needs, and nothing is ever loaded. */
function skippedItem(key: string, folder: SourceFolder, props: ItemProps, skip: string): MailItem {
  const b = props.bag;
  const title = props.subject() || str(b, 0x3001) || str(b, 0x001a) || undefined;
  return {
    kind: 'mail',
    key,
    folder,
    size: int(b, 0x0e08) ?? 0,
    ...(title ? { title } : {}),
    skip,
    flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false },
    keywords: [],
    categories: [],
    load: () => Promise.reject(new CloudwardError('NOT_USER_DATA', `${key}: ${skip}`, { item: key })),
  };
}

/** What makes two copies of one item the same across files: Message-ID, else class, subject, times, sender. */
function identityOf(props: ItemProps): string {
  const b = props.bag;
  const messageId = str(b, 0x1035);
  if (messageId) return `id:${messageId}`;
  const messageClass = str(b, 0x001a);
  const mail = kindOfClass(messageClass) === 'mail';
  return hashKey([
    messageClass,
    cleanSubject(str(b, 0x0037)),
    date(b, 0x0039)?.getTime(),
    mail ? undefined : date(b, 0x3007)?.getTime(),
    str(b, 0x0065) ?? str(b, 0x0c1f),
  ]);
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? message).slice(0, 300);
}
