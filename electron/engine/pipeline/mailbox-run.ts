import { setMaxListeners } from 'node:events';

import {
  CloudwardError,
  type ErrorCode,
  type ErrorInfo,
  type ItemKind,
  type MailboxProgress,
  toCloudwardError,
} from '../../contract/index.js';
import type { ItemRow, Ledger, Settlement } from '../ledger/ledger.js';
import type { Logger } from '../log/logger.js';
import type { PreparedItem, SourceFolder, SourceItem, TargetFolderRef } from '../model/items.js';
import type { Source, SourceContext, UnreadableItem } from '../sources/source.js';
import type { Target } from '../targets/target.js';
import { canonicalContent, mailDedupKey, sha256 } from './content-identity.js';
import { abortable, closeWithin } from './abortable.js';
import { FolderMap } from './folder-map.js';
import type { Gate } from './gate.js';
import type { MailboxPlan } from './job-types.js';
import { type Clock, Pacer } from './pacer.js';
import { convertClock, mailboxClock, type Phase, type PhaseClock } from '../profile/phase-profile.js';
import { RateMeter } from './progress-meter.js';
import { recordSkippedFolder } from './skipped-folder.js';
import { type RetryPolicy, retryDelay } from './retry-policy.js';

/** What a mailbox run needs from the job around it. */
export interface MailboxHost {
  readonly jobId: number;
  readonly ledger: Ledger;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly gate: Gate;
  readonly log: Logger;
  readonly verifyKinds: boolean;
  /** Kinds verified (or being verified) in this job already. */
  readonly verifiedKinds: Set<ItemKind>;
  emitItem(event: { folder: string; sourceKey: string; kind: ItemKind; state: Settlement['state']; size: number; targetId?: string; error?: ErrorInfo }, mailboxId: number): void;
  emitWait(mailboxId: number, reason: 'throttled' | 'budget' | 'retry', ms: number, message: string): void;
  changed(): void;
  /** A failure that must stop every mailbox (verify-after-write found a mismatch). */
  stopJob(error: CloudwardError): void;
}

/** Errors about the account or the connection as a whole: nothing more can be sent to this mailbox. */
const mailboxFatal = new Set<ErrorCode>(['TARGET_AUTH_FAILED', 'TARGET_BLOCKED', 'LEDGER_FAILED', 'VERIFY_FAILED', 'SOURCE_AUTH_FAILED', 'SOURCE_UNREADABLE']);

/** Items the target cannot take are skipped (a decision, reported); anything else that went wrong failed. */
const skippedCodes = new Set<ErrorCode>(['ITEM_TOO_LARGE', 'ITEM_UNSUPPORTED', 'DUPLICATE', 'NOT_USER_DATA']);
function stateFor(error: ErrorInfo | undefined): Settlement['state'] {
  if (!error) return 'done';
  return skippedCodes.has(error.code) ? 'skipped' : 'failed';
}

interface Draft {
  readonly item: SourceItem;
  readonly seq: number;
  readonly mime: Uint8Array | undefined;
  readonly size: number;
  readonly contentHash: string;
  readonly dedupKey: string;
  readonly targetFolder: TargetFolderRef;
  rowId: number;
}

interface SendResult {
  draft: Draft;
  targetId?: string;
  error?: ErrorInfo;
  /** From the target's outcome: what it could not keep of the item. */
  note?: string;
}

interface FolderState {
  readonly ref: TargetFolderRef;
  readonly label: string;
}

/**
 * Migrates one mailbox: pulls the source, skips what the ledger says is settled, catches duplicates,
 * batches under the target's budget, retries what a retry can help, and commits every outcome before
 * announcing it. Checkpoints are committed only once every item yielded before them is settled.
 */
export class MailboxRun {
  readonly progress: MailboxProgress;
  private readonly rate = new RateMeter();
  private readonly abort = new AbortController();
  private readonly folders = new Map<string, Promise<FolderState>>();
  private readonly folderMap = new FolderMap();
  private readonly inflightDedup = new Set<string>();
  /** Ledger rows the source already looked up through isSettled, by source key, until item() uses them. */
  private readonly looked = new Map<string, ItemRow | undefined>();
  private readonly inflight = new Set<Promise<void>>();
  private readonly unsettledSeqs = new Set<number>();
  private readonly checkpointQueue: { seq: number; scope: string; value: string }[] = [];
  private batch: Draft[] = [];
  /** Items sent before whose fate the target must be asked about before they are written again. */
  private unsure: Draft[] = [];
  private batchBytes = 0;
  private seq = 0;
  private mailboxId = 0;
  private pacer!: Pacer;
  private target!: Target;
  private fatal: CloudwardError | undefined;
  /** Set only under `--profile`: every use is `?.`, so profiling off costs nothing measurable. */
  private readonly phase: PhaseClock | undefined;

  constructor(
    private readonly host: MailboxHost,
    private readonly plan: MailboxPlan,
    jobSignal: AbortSignal,
  ) {
    this.progress = {
      mailboxId: 0,
      mailbox: plan.label,
      state: 'waiting',
      itemsDone: 0,
      itemsSkipped: 0,
      itemsFailed: 0,
      itemsTotal: undefined,
      bytesDone: 0,
      itemsPerSecond: 0,
      bytesPerSecond: 0,
      etaSeconds: undefined,
    };
    this.phase = mailboxClock(plan.label);
    // Each write in flight, budget wait, gate wait and request listens on this signal: a target holding 4
    // requests with their waits passes Node's default of 10 without leaking anything. Still bounded, so a
    // real leak would warn.
    setMaxListeners(256, this.abort.signal);
    if (jobSignal.aborted) this.abort.abort(jobSignal.reason);
    else jobSignal.addEventListener('abort', () => this.abort.abort(jobSignal.reason), { once: true });
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Runs to the end; returns the error that stopped this mailbox, if one did. */
  async run(): Promise<CloudwardError | undefined> {
    const { ledger } = this.host;
    const row = ledger.findOrCreateMailbox(this.host.jobId, this.plan.label, this.plan.source, this.plan.target, this.plan.identity);
    this.mailboxId = row.id;
    this.progress.mailboxId = row.id;
    this.progress.state = 'running';
    ledger.setMailboxState(row.id, 'running');
    this.host.changed();
    const log = this.host.log.child({ mailbox: row.id, label: this.plan.label });
    // Only what was opened is closed: closing a target that never loaded its state could overwrite it.
    let source: Source | undefined;
    let target: Target | undefined;
    try {
      const opening = this.plan.createSource();
      await abortable(opening.open(this.signal), this.signal).catch((error: unknown) => {
        throw toCloudwardError(error, 'SOURCE_UNREADABLE');
      });
      source = opening;
      this.target = this.plan.createTarget();
      await abortable(this.target.open(this.signal), this.signal).catch((error: unknown) => {
        throw toCloudwardError(error, 'TARGET_UNREACHABLE');
      });
      target = this.target;
      this.pacer = new Pacer(this.target.capabilities.budget, this.host.clock);
      const estimate = await source.estimate?.().catch(() => undefined);
      if (estimate) {
        this.progress.itemsTotal = estimate.items;
        ledger.setMailboxTotal(row.id, estimate.items);
      }
      await this.pull(source);
      this.phase?.enter('write');
      await this.drain();
      this.phase?.enter('close');
      if (this.target.finishMailbox && !this.signal.aborted) {
        const finished = await abortable(this.target.finishMailbox(this.signal), this.signal).catch((error: unknown) => {
          throw toCloudwardError(error, 'TARGET_FAILED');
        });
        ledger.setMailboxNote(row.id, finished.notes.length > 0 ? finished.notes.join('\n') : undefined);
      }
    } catch (error) {
      // An abort we asked for (cancel, or another mailbox stopping the job) is not this mailbox's failure.
      const cancelled = this.signal.aborted && (error === this.signal.reason || (error as Error | undefined)?.name === 'AbortError');
      if (!cancelled) {
        const cause = toCloudwardError(error);
        this.fatal ??= cause;
        log.error({ code: cause.code, err: cause.message }, 'mailbox stopped');
      }
    } finally {
      this.phase?.enter('close');
      await this.drain().catch(() => undefined);
      // A cancelled job does not wait long for a close that hangs (a dead connection): the ledger is already right.
      const [openSource, openTarget] = [source, target];
      if (openSource) await closeWithin(() => openSource.close(), this.signal.aborted);
      if (openTarget) await closeWithin(() => openTarget.close(), this.signal.aborted);
    }
    const state = this.fatal ? 'failed' : this.signal.aborted ? 'cancelled' : 'finished';
    this.progress.state = state;
    ledger.setMailboxState(row.id, state, this.fatal?.code, this.fatal?.message);
    this.phase?.end();
    this.host.changed();
    return this.fatal;
  }

  private async pull(source: Source): Promise<void> {
    const context = this.context();
    // Stepped by hand rather than `for await`, so a source that stops answering (a USB disk gone, a
    // server that never replies) cannot hold a cancel: each step races the signal.
    const entries = source.entries(context)[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        this.phase?.enter('read');
        const step = await abortable(entries.next(), this.signal);
        if (step.done) {
          finished = true;
          break;
        }
        const entry = step.value;
        this.phase?.enter('wait');
        await this.host.gate.wait(this.signal);
        if (this.signal.aborted || this.fatal) break;
        if (entry.type === 'folder') await this.folder(entry.folder);
        else await this.item(entry.item);
      }
    } finally {
      if (!finished) {
        const closing = Promise.resolve(entries.return?.()).catch(() => undefined);
        if (!this.signal.aborted) await closing;
      }
    }
    if (!this.signal.aborted && !this.fatal) {
      await this.reconcileUnsure();
      await this.flush();
    }
  }

  private context(): SourceContext {
    const { ledger } = this.host;
    return {
      signal: this.signal,
      checkpoint: (scope) => this.during('ledger', () => ledger.checkpoint(this.mailboxId, scope)),
      saveCheckpoint: (scope, value) => {
        this.checkpointQueue.push({ seq: this.seq, scope, value });
        this.during('ledger', () => this.commitCheckpoints());
      },
      isSettled: (key) => {
        const row = this.during('ledger', () => ledger.item(this.mailboxId, key));
        // Kept for item(), which asks the same question moments later. Bounded: sources read a few ahead.
        if (this.looked.size < 1024) this.looked.set(key, row);
        return row?.state === 'done' || row?.state === 'skipped';
      },
      unsettledKeys: (prefix) => ledger.unsettledKeys(this.mailboxId, prefix),
      reportUnreadable: (failure) => this.unreadable(failure),
      mimeFacts: this.target.capabilities.readsMimeFacts === true,
    };
  }

  /** Runs synchronous work as `phase`, then gives the time back to whatever the mailbox was doing. */
  private during<T>(phase: Phase, work: () => T): T {
    const clock = this.phase;
    if (!clock) return work();
    const previous = clock.enter(phase);
    try {
      return work();
    } finally {
      clock.enter(previous);
    }
  }

  private commitCheckpoints(): void {
    let lowest = Infinity;
    for (const seq of this.unsettledSeqs) lowest = Math.min(lowest, seq);
    while (this.checkpointQueue.length > 0 && (this.checkpointQueue[0]?.seq ?? 0) < lowest) {
      const checkpoint = this.checkpointQueue.shift();
      if (checkpoint) this.host.ledger.saveCheckpoint(this.mailboxId, checkpoint.scope, checkpoint.value);
    }
  }

  private folder(folder: SourceFolder): Promise<FolderState> {
    const key = JSON.stringify(folder.path);
    let state = this.folders.get(key);
    if (!state) {
      state = this.createFolder(folder);
      this.folders.set(key, state);
    }
    return state;
  }

  private async createFolder(folder: SourceFolder): Promise<FolderState> {
    const { ledger } = this.host;
    this.phase?.enter('ledger');
    if (folder.skipped !== undefined) {
      // In the ledger (and so the report) with its reason, never on the target: its items are skipped.
      return { ref: { folderId: recordSkippedFolder(ledger, this.mailboxId, folder, folder.skipped), path: [], targetId: '' }, label: folder.path.join('/') };
    }
    const row = ledger.upsertFolder(this.mailboxId, folder.path, folder.special, folder.count);
    const wanted = row.target_path ? (JSON.parse(row.target_path) as string[]) : this.folderMap.map(folder);
    this.phase?.enter('write');
    const made = await abortable(this.target.ensureFolder(folder, wanted, this.signal), this.signal);
    this.phase?.enter('ledger');
    const renamed = made.path.join('/') !== wanted.join('/');
    ledger.setFolderTarget(row.id, made.path, made.targetId, renamed ? `renamed from ${wanted.join('/')}` : undefined);
    const ref: TargetFolderRef = { folderId: row.id, path: made.path, targetId: made.targetId };
    if (folder.special !== undefined) Object.assign(ref, { special: folder.special });
    return { ref, label: folder.path.join('/') };
  }

  private async item(item: SourceItem): Promise<void> {
    const { ledger } = this.host;
    const seq = ++this.seq;
    const folder = await this.folder(item.folder);
    this.phase?.enter('ledger');
    const row = this.looked.has(item.key) ? this.looked.get(item.key) : ledger.item(this.mailboxId, item.key);
    this.looked.delete(item.key);
    if (row && (row.state === 'done' || row.state === 'skipped')) {
      if (row.state === 'done') this.progress.itemsDone++;
      else this.progress.itemsSkipped++;
      this.host.changed();
      return;
    }
    const skip = item.skip ?? item.folder.skipped;
    if (skip !== undefined) {
      // Left out on purpose (a PST's hidden system folder, Outlook's own configuration): reported, not an issue.
      this.settleAlone(item, folder, item.size, undefined, undefined, { code: 'NOT_USER_DATA', message: skip, retryable: false });
      return;
    }
    const capabilities = this.target.capabilities;
    if (!capabilities.kinds.includes(item.kind)) {
      this.settleAlone(item, folder, item.size, undefined, undefined, {
        code: 'ITEM_UNSUPPORTED',
        message: `${this.target.label} does not take ${item.kind} items`,
        retryable: false,
      });
      return;
    }
    if (item.size > capabilities.maxItemBytes) {
      // Known too large before loading: never read it into memory.
      this.settleAlone(item, folder, item.size, undefined, undefined, this.tooLarge(item.size));
      return;
    }
    let mime: Uint8Array | undefined;
    let contentHash: string;
    let size: number;
    let dedupKey: string;
    try {
      if (item.kind === 'mail') {
        this.phase?.enter('read');
        const converted = this.phase ? convertClock() : 0;
        mime = await item.load();
        if (this.phase) {
          this.phase.enter('convert');
          // What the source spent converting inside load() (PST: MIME, RTF) is conversion, not reading.
          this.phase.move('read', 'convert', convertClock() - converted);
        }
        size = mime.byteLength;
        contentHash = sha256(mime);
        dedupKey = mailDedupKey(item.messageId, item.sentAt, size, contentHash);
      } else {
        this.phase?.enter('convert');
        const canonical = canonicalContent(item);
        contentHash = sha256(canonical);
        size = item.size > 0 ? item.size : Buffer.byteLength(canonical);
        dedupKey = `content:${contentHash}`;
      }
    } catch (error) {
      const cause = toCloudwardError(error, 'ITEM_UNREADABLE');
      this.settleAlone(item, folder, item.size, undefined, undefined, cause.toInfo());
      return;
    }
    if (size > capabilities.maxItemBytes) {
      this.settleAlone(item, folder, size, contentHash, dedupKey, this.tooLarge(size));
      return;
    }
    const dedupScope = `${folder.ref.folderId}|${dedupKey}`;
    this.phase?.enter('ledger');
    const twin = ledger.findDuplicate(this.mailboxId, folder.ref.folderId, dedupKey, item.key);
    if (twin || this.inflightDedup.has(dedupScope)) {
      this.settleAlone(item, folder, size, contentHash, dedupKey, {
        code: 'DUPLICATE',
        message: twin ? `Same content as ${twin.source_key}, already migrated` : 'Same content as an item in this run',
        retryable: false,
      });
      return;
    }
    const draft: Draft = { item, seq, mime, size, contentHash, dedupKey, targetFolder: folder.ref, rowId: row?.id ?? 0 };
    this.inflightDedup.add(dedupScope);
    this.unsettledSeqs.add(seq);
    // Sent before (a crash with no answer, or a failure a retry may help, after which the item may well be
    // there): ask the target before writing it again, many at a time.
    if (row && row.attempts > 0 && (row.state === 'pending' || (row.state === 'failed' && row.retryable === 1)) && this.target.reconcile) {
      this.unsure.push(draft);
      if (this.unsure.length >= capabilities.maxBatchItems) await this.reconcileUnsure();
      return;
    }
    await this.enqueue(draft);
  }

  private async enqueue(draft: Draft): Promise<void> {
    const capabilities = this.target.capabilities;
    this.batch.push(draft);
    this.batchBytes += draft.size;
    if (this.batch.length >= capabilities.maxBatchItems || this.batchBytes >= capabilities.maxBatchBytes) {
      await this.flush();
    }
  }

  /** Asks the target which of the items sent before it already has; writes only those it says it has not. */
  private async reconcileUnsure(): Promise<void> {
    const drafts = this.unsure;
    this.unsure = [];
    if (drafts.length === 0) return;
    this.phase?.enter('write');
    const found = await this.lookUp(drafts);
    if (found instanceof CloudwardError) {
      // Unknown is not absent: sending again could make a duplicate. A later run asks again.
      const error = new CloudwardError('TARGET_FAILED', `Could not check whether it already reached the target: ${found.message}`, { retryable: true }).toInfo();
      this.settle(drafts.map((draft) => ({ draft, error })));
      return;
    }
    const there: SendResult[] = [];
    const fresh: Draft[] = [];
    for (const [index, draft] of drafts.entries()) {
      const targetId = found[index];
      if (targetId !== undefined) there.push({ draft, targetId });
      else fresh.push(draft);
    }
    this.settle(there);
    for (const draft of fresh) await this.enqueue(draft);
  }

  /** The target's answer, or the error it still gave after the retry policy ran out. */
  private async lookUp(drafts: readonly Draft[]): Promise<(string | undefined)[] | CloudwardError> {
    const reconcile = this.target.reconcile?.bind(this.target);
    if (!reconcile) return drafts.map(() => undefined);
    for (let attempt = 1; ; attempt++) {
      try {
        const found = await abortable(reconcile(drafts.map((draft) => this.prepared(draft)), this.signal), this.signal);
        if (found.length !== drafts.length) {
          throw new CloudwardError('INTERNAL', `The target answered ${found.length} lookups for ${drafts.length} items`);
        }
        return found;
      } catch (error) {
        if (this.signal.aborted) throw error;
        const cause = toCloudwardError(error, 'TARGET_FAILED');
        if (mailboxFatal.has(cause.code)) throw cause;
        // A lookup is safe to repeat whatever went wrong; only the count is bounded.
        if (attempt >= this.host.retry.maxAttempts) return cause;
        const delay = retryDelay(this.host.retry, attempt + 1, cause);
        this.host.emitWait(this.mailboxId, cause.code === 'THROTTLED' ? 'throttled' : 'retry', delay, `Asking the target what it already has: ${cause.message}`);
        await this.host.clock.sleep(delay, this.signal);
      }
    }
  }

  private tooLarge(size: number): ErrorInfo {
    const capabilities = this.target.capabilities;
    const limitMb = (capabilities.maxItemBytes / 1_048_576).toFixed(0);
    const advice = capabilities.sizeLimitAdvice ? ` ${capabilities.sizeLimitAdvice}` : '';
    return {
      code: 'ITEM_TOO_LARGE',
      message: `${(size / 1_048_576).toFixed(1)} MB is over the target's ${limitMb} MB limit.${advice}`,
      retryable: false,
    };
  }

  private prepared(draft: Draft): PreparedItem {
    return {
      item: draft.item,
      mime: draft.mime,
      size: draft.size,
      contentHash: draft.contentHash,
      rowId: draft.rowId,
      targetFolder: draft.targetFolder,
    };
  }

  /** Records and settles an item that is not sent (skipped, unreadable, reconciled) in one transaction. */
  private settleAlone(
    item: Pick<SourceItem, 'key' | 'kind' | 'title'>,
    folder: FolderState,
    size: number,
    contentHash: string | undefined,
    dedupKey: string | undefined,
    error: ErrorInfo | undefined,
    state: Settlement['state'] = stateFor(error),
    targetId?: string,
  ): void {
    const { ledger } = this.host;
    const previous = this.phase?.enter('ledger');
    ledger.transaction(() => {
      const rowId = ledger.recordPending({
        mailboxId: this.mailboxId,
        folderId: folder.ref.folderId,
        sourceKey: item.key,
        kind: item.kind,
        title: item.title,
        size,
        contentHash,
        dedupKey,
        note: (item as { caveat?: string }).caveat,
      });
      ledger.settle([{ rowId, state, code: error?.code, reason: error?.message, retryable: error?.retryable, targetId }]);
    });
    if (previous) this.phase?.enter(previous);
    this.count(state, state === 'done' ? size : 0);
    this.host.emitItem(
      { folder: folder.label, sourceKey: item.key, kind: item.kind, state, size, ...(targetId ? { targetId } : {}), ...(error ? { error } : {}) },
      this.mailboxId,
    );
  }

  private unreadable(failure: UnreadableItem): void {
    const settled = this.folder({ path: failure.folderPath }).then((folder) => {
      this.settleAlone(failure, folder, 0, undefined, undefined, {
        code: 'ITEM_UNREADABLE',
        message: failure.reason,
        retryable: false,
      });
    });
    this.inflight.add(settled);
    void settled.finally(() => this.inflight.delete(settled));
  }

  private count(state: Settlement['state'], bytes: number): void {
    if (state === 'done') this.progress.itemsDone++;
    else if (state === 'skipped') this.progress.itemsSkipped++;
    else this.progress.itemsFailed++;
    this.progress.bytesDone += bytes;
    this.rate.add(this.host.clock.now(), 1, bytes);
    this.host.changed();
  }

  /** Rates and ETA, refreshed just before a progress event goes out. */
  refreshRates(): void {
    const { itemsPerSecond, bytesPerSecond } = this.rate.rates(this.host.clock.now());
    this.progress.itemsPerSecond = itemsPerSecond;
    this.progress.bytesPerSecond = bytesPerSecond;
    const settled = this.progress.itemsDone + this.progress.itemsSkipped + this.progress.itemsFailed;
    const total = this.progress.itemsTotal;
    this.progress.etaSeconds =
      total !== undefined && itemsPerSecond > 0 ? Math.max(0, (total - settled) / itemsPerSecond) : undefined;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const drafts = this.batch;
    const bytes = this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    const { ledger } = this.host;
    this.phase?.enter('ledger');
    ledger.transaction(() => {
      for (const draft of drafts) {
        draft.rowId = ledger.recordPending({
          mailboxId: this.mailboxId,
          folderId: draft.targetFolder.folderId,
          sourceKey: draft.item.key,
          kind: draft.item.kind,
          title: draft.item.title,
          size: draft.size,
          contentHash: draft.contentHash,
          dedupKey: draft.dedupKey,
          note: draft.item.caveat,
        });
      }
      // Counted as sent in the same commit: one commit fewer per batch. A kill while the batch still
      // waits for budget only makes the next run ask the target about it before sending.
      ledger.markSent(drafts.map((draft) => draft.rowId));
    });
    // Waiting for a request slot is waiting for the target; acquire() switches to 'wait' for budget or throttling.
    this.phase?.enter('write');
    const release = await this.acquire(bytes, true);
    const sending = this.send(drafts, 1, release).catch((error: unknown) => this.stop(toCloudwardError(error)));
    this.inflight.add(sending);
    void sending.finally(() => this.inflight.delete(sending));
  }

  private acquire(bytes: number, pulling = false): Promise<() => void> {
    return this.pacer.acquire(bytes, this.signal, (ms, reason) => {
      if (pulling) this.phase?.enter('wait');
      this.host.emitWait(this.mailboxId, reason, ms, reason === 'throttled' ? 'Server asked us to back off' : 'Keeping under the mailbox budget');
    });
  }

  private async send(drafts: Draft[], attempt: number, release: () => void): Promise<void> {
    if (attempt > 1) this.during('ledger', () => this.host.ledger.markSent(drafts.map((draft) => draft.rowId)));
    let outcomes;
    try {
      const started = this.phase ? performance.now() : 0;
      // The synchronous part of write() (building the request) is the target's work, whatever the mailbox awaits.
      const writing = this.during('write', () => this.target.write(drafts.map((draft) => this.prepared(draft)), this.signal));
      outcomes = await abortable(writing, this.signal);
      this.phase?.wrote(performance.now() - started);
      if (outcomes.length !== drafts.length) {
        throw new CloudwardError('INTERNAL', `The target answered ${outcomes.length} results for ${drafts.length} items`);
      }
    } catch (error) {
      release();
      const cause = toCloudwardError(error, 'TARGET_FAILED');
      if (mailboxFatal.has(cause.code)) throw cause;
      if (this.signal.aborted) return;
      if (cause.retryable && attempt < this.host.retry.maxAttempts) {
        await this.retryLater(drafts, attempt, cause);
        return;
      }
      this.settle(drafts.map((draft) => ({ draft, error: cause.toInfo() })));
      return;
    }
    release();
    const results: SendResult[] = [];
    const again: Draft[] = [];
    let hint: CloudwardError | undefined;
    for (const [index, draft] of drafts.entries()) {
      const outcome = outcomes[index];
      if (!outcome) continue;
      if (outcome.ok) {
        results.push({ draft, targetId: outcome.targetId, ...(outcome.note ? { note: outcome.note } : {}) });
      } else if (outcome.error.retryable && attempt < this.host.retry.maxAttempts && !this.signal.aborted) {
        again.push(draft);
        hint = new CloudwardError(outcome.error.code, outcome.error.message, outcome.error.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.error.retryAfterMs });
      } else {
        results.push({ draft, error: outcome.error });
      }
    }
    await this.verifyFirsts(results);
    this.settle(results);
    if (again.length > 0 && hint) await this.retryLater(again, attempt, hint);
  }

  private async retryLater(drafts: Draft[], attempt: number, cause: CloudwardError): Promise<void> {
    const delay = retryDelay(this.host.retry, attempt + 1, cause);
    if (cause.code === 'THROTTLED') this.pacer.pauseFor(delay);
    this.host.emitWait(this.mailboxId, cause.code === 'THROTTLED' ? 'throttled' : 'retry', delay, cause.message);
    try {
      await this.host.clock.sleep(delay, this.signal);
      const release = await this.acquire(drafts.reduce((sum, draft) => sum + draft.size, 0));
      await this.send(drafts, attempt + 1, release);
    } catch (error) {
      if (!this.signal.aborted) throw error;
    }
  }

  private async verifyFirsts(results: SendResult[]): Promise<void> {
    if (!this.host.verifyKinds || !this.target.verify) return;
    for (const result of results) {
      const kind = result.draft.item.kind;
      if (result.targetId === undefined || this.host.verifiedKinds.has(kind)) continue;
      this.host.verifiedKinds.add(kind);
      try {
        await abortable(this.target.verify(this.prepared(result.draft), result.targetId, this.signal), this.signal);
      } catch (error) {
        // Cancelled while reading back: nothing was found wrong; the items were written and are settled so.
        if (this.signal.aborted) {
          this.host.verifiedKinds.delete(kind);
          return;
        }
        const cause = toCloudwardError(error, 'VERIFY_FAILED');
        const failure = new CloudwardError('VERIFY_FAILED', `Verify after write failed for the first ${kind}: ${cause.message}`);
        result.error = failure.toInfo();
        delete result.targetId;
        this.settle([result]);
        results.splice(results.indexOf(result), 1);
        this.host.stopJob(failure);
        throw failure;
      }
    }
  }

  private settle(results: SendResult[]): void {
    if (results.length === 0) return;
    const rows = results.map(({ draft, targetId, error, note }) => ({
      rowId: draft.rowId,
      state: stateFor(error),
      code: error?.code,
      reason: error?.message,
      retryable: error?.retryable,
      targetId,
      note: error ? undefined : note,
    }));
    this.during('ledger', () => this.host.ledger.settle(rows));
    for (const { draft, targetId, error } of results) {
      const state = stateFor(error);
      this.unsettledSeqs.delete(draft.seq);
      this.inflightDedup.delete(`${draft.targetFolder.folderId}|${draft.dedupKey}`);
      this.count(state, state === 'done' ? draft.size : 0);
      this.host.emitItem(
        {
          folder: draft.targetFolder.path.join('/'),
          sourceKey: draft.item.key,
          kind: draft.item.kind,
          state,
          size: draft.size,
          ...(targetId ? { targetId } : {}),
          ...(error ? { error } : {}),
        },
        this.mailboxId,
      );
    }
    this.during('ledger', () => this.commitCheckpoints());
  }

  private stop(error: CloudwardError): void {
    this.fatal ??= error;
    this.abort.abort(error);
  }

  private async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
    if (this.fatal) throw this.fatal;
  }
}
