import { CloudwardError, toCloudwardError } from '../../../contract/index.js';
import type { Logger } from '../../log/logger.js';
import type { PreparedItem, SourceFolder } from '../../model/items.js';
import type { RetryPolicy } from '../../pipeline/retry-policy.js';
import type { AccessTokenSource } from '../exchange/auth/token-source.js';
import type { HttpTransport } from '../exchange/http-transport.js';
import { withRetry } from '../exchange/retry.js';
import { graphSourceKeyFilter, graphSourceKeyPropertyId, sourceKeyHash } from '../exchange/source-key.js';
import type { ItemOutcome, Target, TargetCapabilities } from '../target.js';
import { graphCapabilities, MB, type GraphBudget } from './capabilities.js';
import { autocompleteSwitchReason, GraphAutocompleteList } from './graph-autocomplete.js';
import { GraphClient, JsonText, type BatchRequest } from './graph-client.js';
import { errorForStatus } from './graph-errors.js';
import { decodeFolder, GraphFolders, treeForKind, type FolderRef } from './graph-folders.js';
import { messageObject, messageRequestBody } from './json-body.js';
import { attachmentJson, graphMessage, inlineAttachmentLimit, messageFlagsId, type GraphAttachment } from './mapping/mail.js';
import { contactJson, eventJson, eventTimes, eventZone, linkedResourceApp, taskJson } from './mapping/pim.js';
import { SendGate } from './send-gate.js';
import { cancellableSleep } from '../exchange/cancellable-sleep.js';
import { checkMail, checkTyped, readMailSelect, type ReadMail } from './verify.js';

export interface GraphConnection {
  tokens: AccessTokenSource;
  transport: HttpTransport;
}

export interface GraphTargetOptions {
  /** https://graph.microsoft.com (or a national cloud, or a test peer), without /v1.0. */
  endpoint: string;
  mailbox: string;
  /** Builds tokens and transport in open(): secrets and caches are read only when the job starts. */
  connect: () => Promise<GraphConnection>;
  log: Logger;
  maxItemMb?: number;
  requestTimeoutMs?: number;
  budget?: GraphBudget;
  /** Requests in flight per mailbox (Outlook: 4) and per window (10,000 per 10 minutes). */
  requestSlots?: number;
  requestsPerWindow?: number;
  requestWindowMs?: number;
  /** Small messages and contacts 20 to a $batch (default on). */
  batchSmallCreates?: boolean;
  /** Retries of the target's own small requests (folders, reconcile, verify, attachments). */
  retry?: RetryPolicy;
  /** Write autocomplete items through Graph's beta user configuration API (--graph-autocomplete-beta). */
  autocompleteBeta?: boolean;
}

/**
 * Item bytes one mailbox holds mapped at once, across all its writes in flight (a parsed message costs
 * its attachment Buffers beside the MIME; twenty mailboxes run together): room for four 1 MB items.
 */
const writeWindowBytes = 5 * MB;

/** Upload-session ranges: "less than 4 MB" per PUT (GRAPH:outlook-large-attachments). */
const rangeBytes = 4 * MB - 64 * 1024;

/** Items up to this size may share a $batch; a $batch stays well under Graph's 4 MB request limit. */
const batchItemBytes = 64 * 1024;
const batchRequestBytes = 3 * MB;

interface CreatePlan {
  create: string;
  /** Without deep-inserted attachments: those are in `inline`. */
  body: Record<string, unknown>;
  inline: GraphAttachment[];
  serialised?: JsonText;
  lost: string[];
  later: GraphAttachment[];
  bytes: number;
}

interface Written {
  id: string;
  /** What Graph could not keep, for the mailbox's report note. */
  lost: string[];
}

export class GraphTarget implements Target {
  readonly label: string;
  readonly capabilities: TargetCapabilities;
  private client: GraphClient | undefined;
  private folders: GraphFolders | undefined;
  private readonly closer = new AbortController();
  private readonly userPath: string;
  /** Item keys whose create may have reached Graph although no answer came back. */
  private readonly uncertain = new Set<string>();
  /** Fidelity notes → how many items had them (one mailbox note each in the report). */
  private readonly losses = new Map<string, number>();
  private transport: HttpTransport | undefined;
  /** The mailbox's autocomplete list, once an autocomplete item arrives with the beta switch on. */
  private autocomplete: GraphAutocompleteList | undefined;
  private readonly gate: SendGate;

  constructor(private readonly options: GraphTargetOptions) {
    this.label = `graph:${options.mailbox}@${new URL(options.endpoint).host}`;
    this.capabilities = graphCapabilities(options.maxItemMb, options.budget);
    this.userPath = `/users/${encodeURIComponent(options.mailbox)}`;
    this.gate = new SendGate(options.requestSlots ?? 4, writeWindowBytes);
  }

  private retrying<T>(action: () => Promise<T>, signal: AbortSignal = this.closer.signal): Promise<T> {
    return withRetry(action, { signal, ...(this.options.retry ? { policy: this.options.retry } : {}) });
  }

  private ready(): { client: GraphClient; folders: GraphFolders } {
    if (!this.client || !this.folders) throw new CloudwardError('INTERNAL', 'Graph target used before open()');
    return { client: this.client, folders: this.folders };
  }

  async open(): Promise<void> {
    const { tokens, transport } = await this.options.connect();
    this.transport = transport;
    const client = new GraphClient({
      endpoint: this.options.endpoint.replace(/\/+$/, ''),
      tokens,
      transport,
      requestTimeoutMs: this.options.requestTimeoutMs ?? 100_000,
      maxConcurrent: this.options.requestSlots ?? 4,
      requestsPerWindow: this.options.requestsPerWindow ?? 10_000,
      requestWindowMs: this.options.requestWindowMs ?? 600_000,
      upload: { bytesPerWindow: this.options.budget?.serverBytesPerWindow ?? 150 * MB, windowMs: this.options.budget?.windowMs ?? 5 * 60_000 },
    });
    this.client = client;
    this.folders = new GraphFolders(client, this.userPath, (action) => this.retrying(action), this.closer.signal, (raw, used, reason) =>
      this.options.log.warn({ folder: raw, usedName: used, reason }, 'Graph folder name mapped'),
    );
    // One cheap call first: a wrong mailbox, a missing permission or a bad token fails here, not per item.
    await this.retrying(() => client.request('GET', `${this.userPath}/mailFolders/inbox?$select=id`, undefined, this.closer.signal, 'the access check'));
  }

  ensureFolder(folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    return this.ready().folders.resolve(folder, mappedPath);
  }

  /** The collection an item is created in, and the path to read it back. */
  private async collection(prepared: PreparedItem): Promise<{ create: string; read: (id: string) => string; ref: FolderRef }> {
    const tree = treeForKind(prepared.item.kind);
    let ref = decodeFolder(prepared.targetFolder.targetId);
    // An item of another kind than its folder's (a contact in a mail folder) goes to its tree's default folder.
    if (ref.tree !== tree) ref = { tree, id: tree === 'mail' ? 'inbox' : 'default' };
    const u = this.userPath;
    switch (tree) {
      case 'mail':
        return { create: `${u}/mailFolders/${ref.id}/messages`, read: (id) => `${u}/messages/${id}`, ref };
      case 'contacts':
        return { create: ref.id === 'default' ? `${u}/contacts` : `${u}/contactFolders/${ref.id}/contacts`, read: (id) => `${u}/contacts/${id}`, ref };
      case 'calendar':
        return { create: ref.id === 'default' ? `${u}/calendar/events` : `${u}/calendars/${ref.id}/events`, read: (id) => `${u}/events/${id}`, ref };
      case 'todo': {
        const list = ref.id === 'default' ? await this.ready().folders.defaultTaskList() : ref.id;
        return { create: `${u}/todo/lists/${list}/tasks`, read: (id) => `${u}/todo/lists/${list}/tasks/${id}`, ref: { tree, id: list } };
      }
      default:
        throw new CloudwardError('ITEM_UNSUPPORTED', `Microsoft Graph has no API for ${prepared.item.kind} items; they are kept in the source and in a dir: archive`, { retryable: false, item: prepared.item.key });
    }
  }

  async write(batch: readonly PreparedItem[], signal: AbortSignal): Promise<ItemOutcome[]> {
    this.ready();
    const outcomes: (ItemOutcome | undefined)[] = batch.map(() => undefined);
    await this.writeAutocomplete(batch, outcomes, signal);
    await this.settleUncertain(batch, outcomes);
    if (this.options.batchSmallCreates !== false) await this.writeBatched(batch, outcomes, signal);
    // Items go out side by side, from this write and the others the pipeline has in flight: the gate
    // bounds how many are mapped at once, the client how many requests are in flight (4) and how many
    // bytes go out per window (what Graph counts), so the next body is ready when the window has room.
    await Promise.all(
      batch.map(async (prepared, index) => {
        if (outcomes[index]) return;
        let release: (() => void) | undefined;
        try {
          release = await this.gate.take(prepared.size, signal);
          const written = await this.writeOne(prepared, signal);
          this.note(prepared, written.lost);
          outcomes[index] = { ok: true, targetId: written.id, ...(written.lost.length > 0 ? { note: `Graph did not keep: ${written.lost.join('; ')}` } : {}) };
        } catch (error) {
          outcomes[index] = { ok: false, error: { ...toCloudwardError(error).toInfo(), item: prepared.item.key } };
        } finally {
          release?.();
        }
      }),
    );
    return outcomes.map((outcome) => outcome ?? { ok: false, error: { code: 'INTERNAL', message: 'item was not sent', retryable: false } });
  }

  /** Autocomplete items are merged into the mailbox's one list (beta switch on) or skipped with the switch named. */
  private async writeAutocomplete(batch: readonly PreparedItem[], outcomes: (ItemOutcome | undefined)[], signal: AbortSignal): Promise<void> {
    const entries = batch.flatMap((prepared, index) => (prepared.item.kind === 'autocomplete' ? [{ index, key: prepared.item.key, entry: prepared.item.entry }] : []));
    if (entries.length === 0) return;
    if (!this.options.autocompleteBeta) {
      for (const { index, key } of entries) outcomes[index] = { ok: false, error: { code: 'ITEM_UNSUPPORTED', message: autocompleteSwitchReason, retryable: false, item: key } };
      return;
    }
    this.autocomplete ??= new GraphAutocompleteList(() => this.ready().client, this.userPath, (action, s) => this.retrying(action, s));
    const results = await this.autocomplete.add(entries, signal);
    entries.forEach(({ index }, position) => {
      outcomes[index] = results[position];
    });
  }

  private async writeOne(prepared: PreparedItem, signal: AbortSignal): Promise<Written> {
    const { client } = this.ready();
    const item = prepared.item;
    const plan = await this.plan(prepared);
    const created = await this.tracked(item.key, () => client.request<{ id: string }>('POST', plan.create, plan.serialised ?? plan.body, signal, `creating ${item.kind} "${item.title ?? item.key}"`));
    return this.complete(prepared, plan, created.id, signal);
  }

  /** What follows a create: attachments that did not fit, series exceptions. */
  private async complete(prepared: PreparedItem, plan: CreatePlan, id: string, signal: AbortSignal): Promise<Written> {
    const lost = [...plan.lost];
    if (plan.later.length > 0) await this.attachLater(id, plan.later, signal);
    if (prepared.item.kind === 'event') lost.push(...(await this.applyExceptions(prepared, id, signal)));
    return { id, lost };
  }

  /** The create request of one item (mapped, size-checked), not yet sent. */
  private async plan(prepared: PreparedItem): Promise<CreatePlan> {
    const item = prepared.item;
    const hash = sourceKeyHash(this.options.mailbox, item.key);
    const target = await this.collection(prepared);
    if (item.kind === 'distlist') {
      throw new CloudwardError('ITEM_UNSUPPORTED', 'Microsoft Graph has no API for personal contact groups (distribution lists); use the ews: target or re-create the group in Outlook', { retryable: false });
    }
    let body: Record<string, unknown>;
    let serialised: JsonText | undefined;
    let lost: string[];
    let inline: GraphAttachment[] = [];
    let later: GraphAttachment[] = [];
    if (item.kind === 'mail') {
      const mime = prepared.mime;
      if (!mime) throw new CloudwardError('ITEM_UNREADABLE', 'The message has no content to send', { retryable: false });
      if (mime.length > this.capabilities.maxItemBytes) {
        throw new CloudwardError('ITEM_TOO_LARGE', `${(mime.length / MB).toFixed(1)} MB: ${this.capabilities.sizeLimitAdvice ?? ''}`, { retryable: false });
      }
      const message = await graphMessage(item, mime, hash);
      // Serialised once, as chunks: the size check and the request share them.
      const request = messageRequestBody(message.body, message.inlineAttachments);
      if (request.bytes > 4 * MB - 1024) {
        throw new CloudwardError('ITEM_TOO_LARGE', 'The message body alone is larger than Graph\'s 4 MB request limit', { retryable: false });
      }
      body = message.body;
      inline = message.inlineAttachments;
      serialised = new JsonText(request);
      lost = message.lost;
      later = message.laterAttachments;
    } else if (item.kind === 'contact') ({ body, lost } = contactJson(item.contact, hash));
    else if (item.kind === 'event') ({ body, lost } = eventJson(item.event, hash));
    else if (item.kind === 'task') ({ body, lost } = taskJson(item.task, hash));
    else throw new CloudwardError('ITEM_UNSUPPORTED', `The Graph target does not write ${item.kind} items`, { retryable: false });

    return { create: target.create, body, inline, ...(serialised ? { serialised } : {}), lost, later, bytes: serialised ? serialised.body.bytes : Buffer.byteLength(JSON.stringify(body)) };
  }

  /**
   * Small messages and contacts go 20 to a $batch (GRAPH:json-batching): one HTTP request and one
   * concurrency slot for twenty creates. Each inner answer stands alone: a 429/503 inside becomes that
   * item's retryable failure with its Retry-After, which the pipeline's one retry policy honours; a
   * batch whose answer is lost leaves all its items uncertain, so the retry looks them up first.
   */
  private async writeBatched(batch: readonly PreparedItem[], outcomes: (ItemOutcome | undefined)[], signal: AbortSignal): Promise<void> {
    const { client } = this.ready();
    const planned: { index: number; plan: CreatePlan }[] = [];
    for (const [index, prepared] of batch.entries()) {
      if (outcomes[index] || !['mail', 'contact'].includes(prepared.item.kind) || prepared.size > batchItemBytes) continue;
      try {
        const plan = await this.plan(prepared);
        if (plan.later.length === 0 && plan.bytes <= batchItemBytes * 2) planned.push({ index, plan });
      } catch {
        // Left to the one-by-one path, which reports the error with the item.
      }
    }
    const groups: (typeof planned)[] = [];
    let group: typeof planned = [];
    let groupBytes = 0;
    for (const entry of planned) {
      if (group.length === 20 || (group.length > 0 && groupBytes + entry.plan.bytes > batchRequestBytes)) {
        groups.push(group);
        group = [];
        groupBytes = 0;
      }
      group.push(entry);
      groupBytes += entry.plan.bytes;
    }
    if (group.length > 1) groups.push(group);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let mine = groups[next++]; mine; mine = groups[next++]) {
        const members = mine;
        const keys = members.map(({ index }) => (batch[index] as PreparedItem).item.key);
        let answers: Awaited<ReturnType<GraphClient['batch']>>;
        try {
          answers = await this.tracked(keys[0] as string, () => client.batch(members.map(({ plan }) => ({ method: 'POST', url: plan.create, body: messageObject(plan.body, plan.inline) })), signal));
        } catch (error) {
          if (this.uncertain.has(keys[0] as string)) for (const key of keys) this.uncertain.add(key);
          for (const { index } of members) outcomes[index] = { ok: false, error: { ...toCloudwardError(error).toInfo(), item: (batch[index] as PreparedItem).item.key } };
          continue;
        }
        members.forEach(({ index, plan }, position) => {
          const prepared = batch[index] as PreparedItem;
          const answer = answers[position];
          const id = (answer?.body as { id?: unknown } | undefined)?.id;
          if (answer && answer.status < 300 && typeof id === 'string') {
            this.note(prepared, plan.lost);
            outcomes[index] = { ok: true, targetId: id, ...(plan.lost.length > 0 ? { note: `Graph did not keep: ${plan.lost.join('; ')}` } : {}) };
          } else {
            const info = errorForStatus(answer?.status ?? 500, answer?.headers ?? {}, JSON.stringify(answer?.body ?? {}), `creating ${prepared.item.kind} "${prepared.item.title ?? prepared.item.key}"`);
            outcomes[index] = { ok: false, error: { ...info, item: prepared.item.key } };
          }
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(groups.length, this.options.requestSlots ?? 4) }, worker));
  }

  private note(prepared: PreparedItem, lost: readonly string[]): void {
    for (const note of lost) this.losses.set(note.replace(/\d+/g, 'N'), (this.losses.get(note.replace(/\d+/g, 'N')) ?? 0) + 1);
    if (lost.length > 0) this.options.log.info({ item: prepared.item.key, lost }, 'Graph kept the item with these losses');
  }

  /**
   * A create whose answer was lost (timeout, dropped connection) may have been committed: the key is
   * remembered and the next write of it asks Graph first, so a retry never stores the item twice.
   */
  private async tracked<T>(key: string, action: () => Promise<T>): Promise<T> {
    try {
      const result = await action();
      this.uncertain.delete(key);
      return result;
    } catch (error) {
      if (error instanceof CloudwardError && ['CONNECTION_LOST', 'TIMEOUT', 'CANCELLED'].includes(error.code)) this.uncertain.add(key);
      throw error;
    }
  }

  private async settleUncertain(batch: readonly PreparedItem[], outcomes: (ItemOutcome | undefined)[]): Promise<void> {
    const doubtful = batch.map((prepared, index) => ({ prepared, index })).filter(({ prepared }) => this.uncertain.has(prepared.item.key));
    if (doubtful.length === 0) return;
    const found = await this.reconcile(doubtful.map(({ prepared }) => prepared));
    doubtful.forEach(({ prepared, index }, position) => {
      const id = found[position];
      if (id !== undefined) outcomes[index] = { ok: true, targetId: id };
      this.uncertain.delete(prepared.item.key);
    });
  }

  /**
   * Attachments that did not fit in the create: below 3 MB one POST each, above through an upload
   * session in ranges. If one fails the message is deleted again and the item fails retryably, so a
   * retry writes it whole instead of leaving a message that silently lacks an attachment.
   */
  private async attachLater(messageId: string, attachments: GraphAttachment[], signal: AbortSignal): Promise<void> {
    const { client } = this.ready();
    const base = `${this.userPath}/messages/${messageId}/attachments`;
    try {
      for (const attachment of attachments) {
        if (attachment.bytes.length < inlineAttachmentLimit) {
          await this.retrying(() => client.request('POST', base, attachmentJson(attachment), signal, `attaching "${attachment.name}"`), signal);
          continue;
        }
        const session = await this.retrying(
          () =>
            client.request<{ uploadUrl: string }>('POST', `${base}/createUploadSession`, {
              AttachmentItem: {
                attachmentType: 'file',
                name: attachment.name,
                size: attachment.bytes.length,
                contentType: attachment.contentType,
                isInline: attachment.isInline,
                ...(attachment.contentId ? { contentId: attachment.contentId } : {}),
              },
            }, signal, `opening an upload for "${attachment.name}"`),
          signal,
        );
        for (let start = 0; start < attachment.bytes.length; start += rangeBytes) {
          const chunk = attachment.bytes.subarray(start, Math.min(attachment.bytes.length, start + rangeBytes));
          await this.retrying(() => client.putRange(session.uploadUrl, chunk, start, attachment.bytes.length, signal), signal);
        }
      }
    } catch (error) {
      await this.retrying(() => client.request('DELETE', `${this.userPath}/messages/${messageId}`, undefined, this.closer.signal, 'removing a half-written message'), this.closer.signal).catch((cleanup: unknown) => {
        this.options.log.error({ messageId, error: String(cleanup) }, 'Graph: a message whose attachments failed could not be removed; it may appear without them');
      });
      const cause = toCloudwardError(error);
      throw new CloudwardError(cause.code, `An attachment could not be uploaded (${cause.message}); the message was removed and will be sent again`, { retryable: cause.retryable, ...(cause.retryAfterMs === undefined ? {} : { retryAfterMs: cause.retryAfterMs }) });
    }
  }

  /**
   * Deleted and changed occurrences, after the series exists: found through /instances around their
   * original start, then DELETE or PATCH. The series has no attendees, so Graph sends nothing
   * (GRAPH:api/event-delete, GRAPH:api/event-update). Failures become notes; retrying would duplicate the series.
   */
  private async applyExceptions(prepared: PreparedItem, seriesId: string, signal: AbortSignal): Promise<string[]> {
    if (prepared.item.kind !== 'event' || !prepared.item.event.recurrence) return [];
    const event = prepared.item.event;
    const changes = [...event.deletedOccurrences.map((date) => ({ date, change: undefined })), ...event.modifiedOccurrences.map((change) => ({ date: change.originalStart, change }))];
    if (changes.length === 0) return [];
    const { client } = this.ready();
    const zone = eventZone(event);
    const problems: string[] = [];
    for (const { date, change } of changes) {
      try {
        const from = new Date(date.getTime() - 86_400_000).toISOString();
        const to = new Date(date.getTime() + 86_400_000).toISOString();
        const listed = await this.retrying(() => client.request<{ value?: { id: string; originalStart?: string }[] }>('GET', `${this.userPath}/events/${seriesId}/instances?startDateTime=${from}&endDateTime=${to}&$select=id,originalStart`, undefined, signal, 'listing occurrences'), signal);
        const match = (listed.value ?? []).find((instance) => instance.originalStart !== undefined && Math.abs(Date.parse(instance.originalStart) - date.getTime()) < 60_000) ?? (event.allDay ? (listed.value ?? []).find((instance) => instance.originalStart?.slice(0, 10) === date.toISOString().slice(0, 10)) : undefined);
        if (!match) {
          problems.push(`occurrence ${date.toISOString()} is not part of the series`);
          continue;
        }
        if (!change) {
          await this.retrying(() => client.request('DELETE', `${this.userPath}/events/${match.id}`, undefined, signal, 'deleting an occurrence'), signal);
          continue;
        }
        const patch: Record<string, unknown> = {};
        if (change.subject !== undefined) patch.subject = change.subject;
        if (change.location !== undefined) patch.location = { displayName: change.location };
        if (change.body !== undefined) patch.body = { contentType: 'text', content: change.body };
        if (change.start !== undefined && change.end !== undefined) Object.assign(patch, eventTimes({ start: change.start, end: change.end, allDay: change.allDay ?? event.allDay }, zone));
        if (Object.keys(patch).length > 0) await this.retrying(() => client.request('PATCH', `${this.userPath}/events/${match.id}`, patch, signal, 'changing an occurrence'), signal);
      } catch (error) {
        problems.push(`occurrence ${date.toISOString()}: ${toCloudwardError(error).message}`);
      }
    }
    if (problems.length > 0) this.options.log.warn({ item: prepared.item.key, problems }, 'Graph series exceptions not fully applied');
    return problems.map((problem) => `series exception not applied (${problem})`);
  }

  /**
   * After a crash: which of these items are in the mailbox already? Looked up by the source-key
   * property (the same one the EWS target sets), up to 20 lookups per $batch; To Do tasks by their
   * linkedResource. A throttled lookup inside a batch is asked again after its Retry-After.
   */
  async reconcile(items: readonly PreparedItem[]): Promise<(string | undefined)[]> {
    const { client } = this.ready();
    const answers: (string | undefined)[] = items.map(() => undefined);
    const lookups: { index: number; request: BatchRequest }[] = [];
    const taskLists = new Map<string, { index: number; hash: string }[]>();
    for (const [index, prepared] of items.entries()) {
      const hash = sourceKeyHash(this.options.mailbox, prepared.item.key);
      let target: Awaited<ReturnType<GraphTarget['collection']>>;
      try {
        target = await this.collection(prepared);
      } catch {
        continue;
      }
      if (target.ref.tree === 'todo') {
        const list = taskLists.get(target.create) ?? [];
        list.push({ index, hash });
        taskLists.set(target.create, list);
        continue;
      }
      const filter = encodeURIComponent(graphSourceKeyFilter([hash]));
      lookups.push({ index, request: { method: 'GET', url: `${target.create}?$filter=${filter}&$select=id&$top=2` } });
    }
    for (let start = 0; start < lookups.length; start += 20) {
      let pending = lookups.slice(start, start + 20);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        const results = await this.retrying(() => client.batch(pending.map((lookup) => lookup.request), this.closer.signal));
        const again: typeof pending = [];
        let wait = 0;
        results.forEach((result, position) => {
          const lookup = pending[position];
          if (!lookup) return;
          if (result.status === 200) {
            answers[lookup.index] = ((result.body as { value?: { id: string }[] } | undefined)?.value ?? [])[0]?.id;
          } else if ((result.status === 429 || result.status >= 500) && attempt < 8) {
            again.push(lookup);
            wait = Math.max(wait, Number(result.headers['retry-after'] ?? '1') * 1000);
          } else {
            throw new CloudwardError('TARGET_FAILED', `Graph could not say whether an item was already written (HTTP ${result.status}); run again later`);
          }
        });
        if (again.length > 0) await cancellableSleep(Math.min(wait, 120_000), this.closer.signal);
        pending = again;
      }
    }
    for (const [collection, wanted] of taskLists) {
      let next: string | undefined = `${collection}?$top=100&$expand=linkedResources`;
      while (next) {
        const path: string = next;
        const page = await this.retrying(() => client.request<{ value?: { id: string; linkedResources?: { applicationName?: string; externalId?: string }[] }[]; '@odata.nextLink'?: string }>('GET', path, undefined, this.closer.signal, 'listing tasks'));
        for (const task of page.value ?? []) {
          const external = (task.linkedResources ?? []).find((resource) => resource.applicationName === linkedResourceApp)?.externalId;
          for (const entry of wanted) if (entry.hash === external) answers[entry.index] = task.id;
        }
        const link = page['@odata.nextLink'];
        next = link ? link.slice(link.indexOf('/v1.0') + '/v1.0'.length) : undefined;
      }
    }
    return answers;
  }

  async verify(prepared: PreparedItem, targetId: string): Promise<void> {
    // The autocomplete list is read back once per mailbox, in finishMailbox().
    if (prepared.item.kind === 'autocomplete') return;
    const { client } = this.ready();
    const target = await this.collection(prepared);
    if (prepared.item.kind === 'mail') {
      const expand = encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${messageFlagsId}' or id eq '${graphSourceKeyPropertyId}')`);
      const read = await this.retrying(() => client.request<ReadMail>('GET', `${target.read(targetId)}?$select=${readMailSelect}&$expand=${expand}`, undefined, this.closer.signal, 'reading back a message'));
      await checkMail(prepared, read);
      return;
    }
    const read = await this.retrying(() => client.request<Record<string, unknown>>('GET', target.read(targetId), undefined, this.closer.signal, `reading back a ${prepared.item.kind}`));
    checkTyped(prepared, read);
  }

  async finishMailbox(signal: AbortSignal = this.closer.signal): Promise<{ notes: string[] }> {
    const notes = [...this.losses.entries()].map(([note, count]) => `Graph: ${count} item(s) lost ${note}`);
    if (this.autocomplete) notes.push(...(await this.autocomplete.finish(signal)).notes);
    return { notes };
  }

  async close(): Promise<void> {
    this.closer.abort();
    this.transport?.close();
  }
}

