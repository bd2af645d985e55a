import { CloudwardError, specialFolderNames, type ErrorInfo, type ItemKind, type SpecialFolder } from '../../../contract/index.js';
import type { Logger } from '../../log/logger.js';
import type { PreparedItem, SourceFolder } from '../../model/items.js';
import type { Clock } from '../../pipeline/pacer.js';
import type { RetryPolicy } from '../../pipeline/retry-policy.js';
import { RequestWindow } from '../exchange/request-window.js';
import { withRetry } from '../exchange/retry.js';
import type { ItemOutcome, Target, TargetCapabilities } from '../target.js';
import type { EwsAuth } from './auth/auth.js';
import { EwsAutocompleteList } from './autocomplete-list.js';
import { ewsCapabilities, MB, serverBudget, WireFactor, type BudgetOverride } from './capabilities.js';
import { isRequestLevel, isUncertain, tooLargeAdvice } from './errors.js';
import { sourceKeyHash } from './mapping/common.js';
import { contactXml, distributionListXml } from './mapping/contact.js';
import { calendarItemXml, occurrenceChanges } from './mapping/event.js';
import { cleanName } from '../exchange/folder-names.js';
import { distinguishedFor, folderClassFor } from './mapping/folder-names.js';
import { messageXml } from './mapping/mail.js';
import { taskXml } from './mapping/task.js';
import { createItemBody, createItems } from './operations/create-item.js';
import { findItemsByKey } from './operations/find-items-by-key.js';
import { distinguished } from './operations/folder-ref.js';
import { FolderOperations } from './operations/folders.js';
import { getItem } from './operations/get-item.js';
import { applyOccurrenceRequest, deleteOccurrencesBody, updateOccurrencesBody } from './operations/occurrences.js';
import { EwsClient } from './soap/client.js';
import { XmlChunks } from './soap/xml.js';
import type { EwsTransport } from './transport/transport.js';
import { checkReadBack, verifyFields } from './verify.js';
import { SerialLock } from '../../pipeline/serial-lock.js';

export interface EwsConnection {
  auth: EwsAuth;
  transport: EwsTransport;
}

export interface EwsTargetOptions {
  url: string;
  mailbox: string;
  /** Builds auth and transport in open(): secrets and token caches are read only when the job starts. */
  connect: () => Promise<EwsConnection>;
  log: Logger;
  maxItemMb?: number;
  requestTimeoutMs?: number;
  budget?: BudgetOverride;
  /** Default true: a one-item reconcile is deferred to the next write(), where the lookups of a batch go as one FindItem. */
  batchLoneLookups?: boolean;
  /** Retries of the target's own small requests (not item writes): the pipeline's policy and clock unless a test injects its own. */
  retry?: { policy?: RetryPolicy; clock?: Clock; random?: () => number };
}

const kindsWithoutXml = new Set<ItemKind>(['note', 'journal', 'autocomplete']);

/** Keys per reconcile FindItem (one OR restriction). */
const reconcileBatch = 25;

export class EwsTarget implements Target {
  readonly label: string;
  readonly capabilities: TargetCapabilities;
  private client: EwsClient | undefined;
  private folders: FolderOperations | undefined;
  /** Folder creation must not race (two CreateFolder calls for one name). */
  private readonly folderLock = new SerialLock();
  /** Source path → what ensureFolder returned, so children find their parent. */
  private readonly resolved = new Map<string, { targetId: string; path: readonly string[] }>();
  /** parent id + lower-case name → the source path that took it (Exchange names ignore case). */
  private readonly claimed = new Map<string, string>();
  private readonly closer = new AbortController();
  /** Item keys whose CreateItem may or may not have been committed. */
  private readonly uncertain = new Set<string>();
  /** The mailbox's autocomplete list, once an autocomplete item arrives. */
  private autocomplete: EwsAutocompleteList | undefined;
  /** Request bytes per item byte, learned from every CreateItem; the pipeline's budget follows it. */
  private readonly wire = new WireFactor();
  /** The server's budget on request bytes, counted exactly; its round trip also sizes the pipeline's window. */
  private readonly window: RequestWindow;

  constructor(private readonly options: EwsTargetOptions) {
    this.label = `ews:${options.mailbox}@${new URL(options.url).host}`;
    this.window = new RequestWindow(serverBudget(options.budget));
    this.capabilities = ewsCapabilities(options.maxItemMb, options.budget, this.wire, this.window);
  }

  private retrying<T>(action: () => Promise<T>, signal: AbortSignal = this.closer.signal): Promise<T> {
    return withRetry(action, { ...this.options.retry, signal });
  }

  private get maxItemMb(): number {
    return Math.round(this.capabilities.maxItemBytes / MB);
  }

  private ready(): EwsClient {
    if (!this.client) throw new CloudwardError('INTERNAL', 'EWS target used before open()');
    return this.client;
  }

  async open(): Promise<void> {
    const { auth, transport } = await this.options.connect();
    this.client = new EwsClient(transport, auth, {
      mailbox: this.options.mailbox,
      requestTimeoutMs: this.options.requestTimeoutMs ?? 100_000,
      maxItemMb: this.maxItemMb,
      window: this.window,
    });
    this.folders = new FolderOperations(this.client);
    // One cheap call before the job: a blocked tenant (403), a bad token (401) or a missing mailbox fails here, not per item.
    const folders = this.folders;
    await this.retrying(() => folders.probe(this.closer.signal));
  }

  async ensureFolder(folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    return this.folderLock.run(() => this.resolveFolder(folder, mappedPath));
  }

  private async resolveFolder(folder: SourceFolder, mappedPath: readonly string[]) {
    const key = JSON.stringify(folder.path);
    const known = this.resolved.get(key);
    if (known) return known;
    const special = folder.special === undefined ? undefined : distinguishedFor[folder.special];
    let result: { targetId: string; path: readonly string[] };
    if (special !== undefined && folder.special !== undefined) {
      result = { targetId: distinguished(special), path: [specialFolderNames[folder.special]] };
    } else {
      const parent = await this.parentOf(folder, mappedPath);
      const name = mappedPath[mappedPath.length - 1] ?? folder.path[folder.path.length - 1] ?? '(no name)';
      result = await this.child(parent, name, folderClassFor(folder.holds), key, folder.special !== undefined);
    }
    this.resolved.set(key, result);
    return result;
  }

  /** The parent's target folder: the source parent if we resolved it, else the mapped prefix from the mailbox root. */
  private async parentOf(folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    const root = { targetId: distinguished('msgfolderroot'), path: [] as readonly string[] };
    if (mappedPath.length <= 1) return root;
    const parentSource = this.resolved.get(JSON.stringify(folder.path.slice(0, -1)));
    if (parentSource && folder.path.length > 1) return parentSource;
    let current = root;
    for (const [index, segment] of mappedPath.slice(0, -1).entries()) {
      const role = index === 0 ? roleByName(segment) : undefined;
      const id = role === undefined ? undefined : distinguishedFor[role];
      if (role !== undefined && id !== undefined) current = { targetId: distinguished(id), path: [specialFolderNames[role]] };
      else current = await this.child(current, segment, 'IPF.Note', JSON.stringify(mappedPath.slice(0, index + 1)), false);
    }
    return current;
  }

  private async child(parent: { targetId: string; path: readonly string[] }, rawName: string, folderClass: string, sourceKey: string, isSpecial: boolean) {
    const folders = this.folders as FolderOperations;
    const topLevel = parent.targetId === distinguished('msgfolderroot');
    const decision = cleanName(rawName, topLevel && !isSpecial);
    let name = decision.name;
    const notes = decision.note ? [decision.note] : [];
    // Two source folders whose names differ only by case (or became equal by cleaning) would merge: number the later one.
    for (let n = 2; ; n += 1) {
      const claim = `${parent.targetId}\n${name.toLowerCase()}`;
      const owner = this.claimed.get(claim);
      if (owner === undefined || owner === sourceKey) {
        this.claimed.set(claim, sourceKey);
        break;
      }
      name = `${decision.name} (${n})`;
      if (n === 2) notes.push('another folder has the same name apart from upper/lower case');
    }
    const signal = this.closer.signal;
    // Find-then-create as one retried step: a CreateFolder whose answer was lost is found on the next try.
    const { existing, targetId } = await this.retrying(async () => {
      const found = await folders.findChild(parent.targetId, name, signal);
      return { existing: found, targetId: found?.id ?? (await folders.create(parent.targetId, name, folderClass, signal)) };
    });
    const path = [...parent.path, existing?.name ?? name];
    if (notes.length > 0) this.options.log.warn({ folder: rawName, usedName: name, reason: notes.join('; ') }, 'EWS folder name mapped');
    return { targetId, path };
  }

  async write(batch: readonly PreparedItem[], signal: AbortSignal): Promise<ItemOutcome[]> {
    const client = this.ready();
    const outcomes: (ItemOutcome | undefined)[] = batch.map(() => undefined);
    await this.settleUncertain(batch, outcomes);
    const entries = batch.flatMap((prepared, index) => (prepared.item.kind === 'autocomplete' ? [{ index, key: prepared.item.key, entry: prepared.item.entry }] : []));
    if (entries.length > 0) {
      this.autocomplete ??= new EwsAutocompleteList(() => this.ready(), this.options.mailbox, (action, s) => this.retrying(action, s));
      const results = await this.autocomplete.add(entries, signal);
      entries.forEach(({ index }, position) => (outcomes[index] = results[position]));
    }
    const groups = new Map<string, { index: number; xml: XmlChunks }[]>();
    batch.forEach((prepared, index) => {
      if (outcomes[index]) return;
      const built = this.build(prepared);
      if ('error' in built) {
        outcomes[index] = { ok: false, error: built.error };
        return;
      }
      const folderId = prepared.targetFolder.targetId;
      const group = groups.get(folderId) ?? [];
      group.push({ index, xml: built.xml });
      groups.set(folderId, group);
    });
    for (const [folderId, group] of groups) {
      const keys = group.map((entry) => batch[entry.index]?.item.key ?? '');
      this.wire.observe(
        group.reduce((sum, entry) => sum + (batch[entry.index]?.size ?? 0), 0),
        group.reduce((sum, entry) => sum + entry.xml.bytes, client.build(createItemBody(folderId, [], this.options.mailbox)).bytes),
      );
      let results: ItemOutcome[];
      try {
        results = await this.createTracked(client, folderId, group.map((entry) => entry.xml), keys, signal);
      } catch (error) {
        // A request too big as a whole (HTTP 413, IIS 404.13) may still pass item by item; a request-level fault
        // (ErrorSchemaValidation, ErrorInvalidRequest) may come from one bad item: split to find it (issue 9 point 7).
        const splittable = (error instanceof CloudwardError && error.code === 'ITEM_TOO_LARGE') || isRequestLevel(error);
        if (!splittable) throw error;
        results = [];
        // Alone, the item is the one at fault.
        if (group.length === 1) results.push(failure(error));
        else for (const [position, entry] of group.entries()) {
          results.push(...(await this.createTracked(client, folderId, [entry.xml], [keys[position] ?? ''], signal).catch((e: unknown) => [failure(e)])));
        }
      }
      for (const [position, entry] of group.entries()) {
        const outcome = results[position] ?? { ok: false, error: { code: 'TARGET_FAILED', message: 'no answer for this item', retryable: true } };
        outcomes[entry.index] = outcome;
        const prepared = batch[entry.index];
        if (outcome.ok && prepared?.item.kind === 'event') await this.applyExceptions(prepared, outcome.targetId, signal);
      }
    }
    return outcomes.map((outcome) => outcome ?? { ok: false, error: { code: 'INTERNAL', message: 'item was not sent', retryable: false } });
  }

  /**
   * CreateItem whose answer may be lost after Exchange committed it (timeout, dropped connection):
   * those keys are remembered as uncertain, and the next write of them asks Exchange first, so a
   * retry inside the run never stores an item twice (the ledger's reconcile covers restarts).
   */
  private async createTracked(client: EwsClient, folderId: string, items: XmlChunks[], keys: string[], signal: AbortSignal): Promise<ItemOutcome[]> {
    try {
      const results = await createItems(client, folderId, items, signal);
      for (const key of keys) this.uncertain.delete(key);
      return results;
    } catch (error) {
      if (isUncertain(error)) for (const key of keys) this.uncertain.add(key);
      throw error;
    }
  }

  private async settleUncertain(batch: readonly PreparedItem[], outcomes: (ItemOutcome | undefined)[]): Promise<void> {
    const doubtful = batch.map((prepared, index) => ({ prepared, index })).filter(({ prepared }) => this.uncertain.has(prepared.item.key));
    if (doubtful.length === 0) return;
    const found = await this.lookup(this.ready(), doubtful.map(({ prepared }) => prepared));
    doubtful.forEach(({ prepared, index }, position) => {
      const id = found[position];
      if (id !== undefined) outcomes[index] = { ok: true, targetId: id };
      this.uncertain.delete(prepared.item.key);
    });
  }

  private build(prepared: PreparedItem): { xml: XmlChunks } | { error: ErrorInfo } {
    const item = prepared.item;
    const hash = sourceKeyHash(this.options.mailbox, item.key);
    const tooLarge = (bytes: number): { error: ErrorInfo } => ({
      error: { code: 'ITEM_TOO_LARGE', message: `${(bytes / MB).toFixed(1)} MB: ${tooLargeAdvice(this.maxItemMb)}`, retryable: false, item: item.key },
    });
    if (kindsWithoutXml.has(item.kind)) {
      return { error: { code: 'ITEM_UNSUPPORTED', message: `The EWS target does not write ${item.kind} items`, retryable: false, item: item.key } };
    }
    if (item.kind === 'mail') {
      const mime = prepared.mime;
      if (!mime) return { error: { code: 'ITEM_UNREADABLE', message: 'The message has no content to send', retryable: false, item: item.key } };
      if (mime.length > this.capabilities.maxItemBytes) return tooLarge(mime.length);
      return { xml: messageXml(item, mime, hash) };
    }
    let xml: string;
    if (item.kind === 'contact') xml = contactXml(item.contact, hash);
    else if (item.kind === 'distlist') xml = distributionListXml(item.list, hash);
    else if (item.kind === 'event') xml = calendarItemXml(item.event, hash, this.options.mailbox);
    else if (item.kind === 'task') xml = taskXml(item.task, hash);
    else return { error: { code: 'ITEM_UNSUPPORTED', message: 'Unknown item kind', retryable: false } };
    const out = new XmlChunks().push(xml);
    if (out.bytes > this.capabilities.maxItemBytes) return tooLarge(out.bytes);
    return { xml: out };
  }

  /** Deleted/changed occurrences after the series exists; a failure here is logged, not retried (retrying would duplicate the series). */
  private async applyExceptions(prepared: PreparedItem, masterId: string, signal: AbortSignal): Promise<void> {
    if (prepared.item.kind !== 'event') return;
    const { changes, unplaced } = occurrenceChanges(prepared.item.event);
    if (changes.length === 0 && unplaced.length === 0) return;
    const client = this.ready();
    const problems: string[] = unplaced.map((date) => `occurrence ${date.toISOString()} is not part of the series`);
    try {
      const deletions = changes.filter((change) => change.change === undefined).map((change) => change.index);
      if (deletions.length > 0) problems.push(...(await this.retrying(() => applyOccurrenceRequest(client, 'DeleteItem', deleteOccurrencesBody(masterId, deletions), signal), signal)));
      const updates = changes.flatMap((change) => (change.change ? [{ index: change.index, change: change.change }] : []));
      if (updates.length > 0) problems.push(...(await this.retrying(() => applyOccurrenceRequest(client, 'UpdateItem', updateOccurrencesBody(masterId, updates), signal), signal)));
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    if (problems.length > 0) this.options.log.warn({ item: prepared.item.key, problems }, 'EWS series exceptions not fully applied');
  }

  async reconcile(items: readonly PreparedItem[]): Promise<(string | undefined)[]> {
    const client = this.ready();
    if (items.length === 1 && this.options.batchLoneLookups !== false) {
      // The pipeline asks about one pending item at a time after a crash: one FindItem (a folder scan on Exchange)
      // each. The item is marked uncertain instead and answered "not known yet"; write() then looks up every
      // uncertain item of its batch in one FindItem per folder before sending any (issue 9 point 5).
      for (const prepared of items) this.uncertain.add(prepared.item.key);
      return [undefined];
    }
    return this.lookup(client, items);
  }

  /** Which of these items Exchange already has: one FindItem per folder and up to 25 keys. */
  private async lookup(client: EwsClient, items: readonly PreparedItem[]): Promise<(string | undefined)[]> {
    const byFolder = new Map<string, { index: number; hash: string }[]>();
    items.forEach((prepared, index) => {
      const list = byFolder.get(prepared.targetFolder.targetId) ?? [];
      list.push({ index, hash: sourceKeyHash(this.options.mailbox, prepared.item.key) });
      byFolder.set(prepared.targetFolder.targetId, list);
    });
    const answers: (string | undefined)[] = items.map(() => undefined);
    // One FindItem per folder and up to 25 keys (an OR restriction): a named property is not indexed, so each
    // lookup scans the folder (issue 9 point 5).
    for (const [folderId, list] of byFolder) {
      for (let start = 0; start < list.length; start += reconcileBatch) {
        const slice = list.slice(start, start + reconcileBatch);
        let found: Map<string, string>;
        try {
          found = await this.retrying(() => findItemsByKey(client, folderId, slice.map((entry) => entry.hash), this.closer.signal));
        } catch (error) {
          // A lookup that failed says nothing: the items stay uncertain, so write() asks again before sending any.
          for (const prepared of items) this.uncertain.add(prepared.item.key);
          throw error;
        }
        for (const entry of slice) answers[entry.index] = found.get(entry.hash);
      }
    }
    return answers;
  }

  async verify(item: PreparedItem, targetId: string): Promise<void> {
    const shape = verifyFields[item.item.kind];
    if (!shape) return;
    const client = this.ready();
    const read = await this.retrying(() => getItem(client, targetId, shape.fields, shape.extended, this.closer.signal));
    await checkReadBack(item, read);
  }

  /** Autocomplete entries were merged batch by batch; this reads the list back and says how many reached it. */
  async finishMailbox(signal: AbortSignal): Promise<{ notes: string[] }> {
    return this.autocomplete ? this.autocomplete.finish(signal) : { notes: [] };
  }

  async close(): Promise<void> {
    this.closer.abort();
    this.client?.transport.close();
  }
}

function failure(error: unknown): ItemOutcome {
  const wrapped = error instanceof CloudwardError ? error : new CloudwardError('TARGET_FAILED', String(error));
  return { ok: false, error: wrapped.toInfo() };
}

function roleByName(name: string): SpecialFolder | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(specialFolderNames) as SpecialFolder[]).find((role) => specialFolderNames[role].toLowerCase() === lower);
}
