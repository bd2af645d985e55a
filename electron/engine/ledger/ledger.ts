import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

import { CloudwardError, type ErrorCode } from '../../contract/error-catalogue.js';
import type { ItemKind, ItemState } from '../../contract/index.js';
import { migrations } from './schema.js';

export interface JobRow {
  id: number;
  source: string;
  target: string;
  created_at: number;
  /** The job's non-secret spec (JSON), so it can be resumed after a restart. */
  spec: string | null;
  source_identity: string | null;
  target_identity: string | null;
}

export interface RunRow {
  id: number;
  started_at: number;
  finished_at: number | null;
  outcome: string | null;
  heartbeat_at: number | null;
  owner: string | null;
}

/** How often a running job refreshes its run's heartbeat, and when an unfinished run counts as dead. */
export const runHeartbeatMs = 5_000;
export const runStaleMs = 20_000;

/** Who runs a job: this machine and process, so a dead run of this machine is known at once. */
export function runOwner(): string {
  return `${hostname()}:${process.pid}`;
}

/** What identifies a job or mailbox beyond its spec strings (see README, "Mailbox identity"). */
export interface Identity {
  readonly source: string;
  readonly target: string;
}
export interface MailboxRow {
  id: number;
  job_id: number;
  label: string;
  source: string;
  target: string;
  state: string;
  code: string | null;
  reason: string | null;
  source_total: number | null;
  note: string | null;
  source_identity: string | null;
  target_identity: string | null;
}
export interface FolderRow {
  id: number;
  mailbox_id: number;
  source_path: string;
  special: string | null;
  target_path: string | null;
  target_id: string | null;
  source_count: number | null;
  note: string | null;
}
export interface ItemRow {
  id: number;
  mailbox_id: number;
  folder_id: number;
  source_key: string;
  kind: ItemKind;
  title: string | null;
  size: number;
  content_hash: string | null;
  dedup_key: string | null;
  state: ItemState;
  code: string | null;
  reason: string | null;
  retryable: number;
  target_id: string | null;
  attempts: number;
  note: string | null;
}

export interface NewItem {
  mailboxId: number;
  folderId: number;
  sourceKey: string;
  kind: ItemKind;
  title: string | undefined;
  size: number;
  contentHash: string | undefined;
  dedupKey: string | undefined;
  /** A caveat the report shows although the item migrated (SourceItem.caveat). */
  note?: string | undefined;
}

export interface Settlement {
  rowId: number;
  state: Exclude<ItemState, 'pending'>;
  code?: ErrorCode | undefined;
  reason?: string | undefined;
  retryable?: boolean | undefined;
  targetId?: string | undefined;
  /** What the target could not keep of the item (ItemOutcome.note): appended to the source's caveat, never replacing it. */
  note?: string | undefined;
}

/** Folder paths are stored as JSON arrays so a "/" inside a folder name never splits it. */
export function encodePath(path: readonly string[]): string {
  return JSON.stringify(path);
}
export function decodePath(text: string): string[] {
  return JSON.parse(text) as string[];
}

/**
 * The single truth of progress. Every change is one SQLite transaction, committed (WAL) before the
 * caller announces it, so a crash or a kill loses nothing and a re-run re-sends nothing.
 */
export class Ledger {
  readonly db: Database.Database;
  readonly file: string;
  private readonly statements;

  private constructor(db: Database.Database, file: string) {
    this.db = db;
    this.file = file;
    this.statements = {
      item: db.prepare<[number, string], ItemRow>('SELECT * FROM items WHERE mailbox_id = ? AND source_key = ?'),
      insertItem: db.prepare(
        `INSERT INTO items (mailbox_id, folder_id, source_key, kind, title, size, content_hash, dedup_key, note, state, updated_at)
         VALUES (@mailboxId, @folderId, @sourceKey, @kind, @title, @size, @contentHash, @dedupKey, @note, 'pending', @now)
         ON CONFLICT (mailbox_id, source_key) DO UPDATE SET
           folder_id = excluded.folder_id, kind = excluded.kind, title = excluded.title, size = excluded.size,
           content_hash = excluded.content_hash, dedup_key = excluded.dedup_key, note = excluded.note, state = 'pending',
           code = NULL, reason = NULL, retryable = 0, updated_at = excluded.updated_at
         RETURNING id`,
      ),
      duplicate: db.prepare<[number, number, string, string], ItemRow>(
        `SELECT * FROM items WHERE mailbox_id = ? AND folder_id = ? AND dedup_key = ? AND source_key <> ?
           AND state = 'done' LIMIT 1`,
      ),
      markSent: db.prepare('UPDATE items SET attempts = attempts + 1, updated_at = ? WHERE id = ?'),
      settle: db.prepare(
        `UPDATE items SET state = @state, code = @code, reason = @reason, retryable = @retryable,
           target_id = COALESCE(@targetId, target_id),
           note = CASE WHEN @note IS NULL OR instr(COALESCE(note, ''), @note) > 0 THEN note
                       WHEN note IS NULL OR note = '' THEN @note ELSE note || char(10) || @note END,
           updated_at = @now WHERE id = @rowId`,
      ),
      checkpoint: db.prepare<[number, string], { value: string }>(
        'SELECT value FROM checkpoints WHERE mailbox_id = ? AND scope = ?',
      ),
      saveCheckpoint: db.prepare(
        `INSERT INTO checkpoints (mailbox_id, scope, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (mailbox_id, scope) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
  }

  /** Opens (creating if needed) a ledger file; ':memory:' gives a throw-away ledger for benchmarks. */
  static open(file: string): Ledger {
    let db: Database.Database;
    try {
      if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a commit survives a process kill; only a power loss may lose the last ones.
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new CloudwardError('LEDGER_FAILED', `Cannot open the ledger ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const ledger = new Ledger(Ledger.migrate(db, file), file);
    return ledger;
  }

  private static migrate(db: Database.Database, file: string): Database.Database {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      db.close();
      throw new CloudwardError(
        'LEDGER_FAILED',
        `The ledger ${file} was written by a newer Cloudward (schema ${current}, this one knows ${migrations.length})`,
      );
    }
    for (let version = current; version < migrations.length; version++) {
      db.transaction(() => {
        db.exec(migrations[version] ?? '');
        db.pragma(`user_version = ${version + 1}`);
      })();
    }
    return db;
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  // ---- jobs, runs, mailboxes -------------------------------------------------------------------

  /**
   * The job for this pair. With an identity, a job known by the same identity continues even when its
   * spec strings changed (the PST moved to another drive, the EWS URL changed, ews: became graph:); its
   * spec strings are then brought up to date.
   */
  findOrCreateJob(source: string, target: string, identity?: Identity): JobRow {
    return this.transaction(() => {
      const byIdentity = identity
        ? this.db
            .prepare<[string, string], JobRow>('SELECT * FROM jobs WHERE source_identity = ? AND target_identity = ? ORDER BY id LIMIT 1')
            .get(identity.source, identity.target)
        : undefined;
      const found = byIdentity ?? this.db.prepare<[string, string], JobRow>('SELECT * FROM jobs WHERE source = ? AND target = ?').get(source, target);
      if (found) {
        if (identity && (found.source !== source || found.target !== target || found.source_identity !== identity.source || found.target_identity !== identity.target)) {
          const clash = this.db.prepare<[string, string, number], { id: number }>('SELECT id FROM jobs WHERE source = ? AND target = ? AND id <> ?').get(source, target, found.id);
          // Another job already holds these spec strings: keep the old ones rather than break UNIQUE.
          if (!clash) this.db.prepare('UPDATE jobs SET source = ?, target = ? WHERE id = ?').run(source, target, found.id);
          this.db.prepare('UPDATE jobs SET source_identity = ?, target_identity = ? WHERE id = ?').run(identity.source, identity.target, found.id);
          return this.db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?').get(found.id) as JobRow;
        }
        return found;
      }
      return this.db
        .prepare<[string, string, number, string | null, string | null], JobRow>(
          'INSERT INTO jobs (source, target, created_at, source_identity, target_identity) VALUES (?, ?, ?, ?, ?) RETURNING *',
        )
        .get(source, target, Date.now(), identity?.source ?? null, identity?.target ?? null) as JobRow;
    });
  }

  job(jobId: number): JobRow | undefined {
    return this.db.prepare<[number], JobRow>('SELECT * FROM jobs WHERE id = ?').get(jobId);
  }

  /** Stores the job's non-secret spec (JSON) so the job can be resumed after a restart. */
  setJobSpec(jobId: number, spec: string): void {
    this.db.prepare('UPDATE jobs SET spec = ? WHERE id = ?').run(spec, jobId);
  }

  jobs(): JobRow[] {
    return this.db.prepare<[], JobRow>('SELECT * FROM jobs ORDER BY id').all();
  }

  mailbox(mailboxId: number): MailboxRow | undefined {
    return this.db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE id = ?').get(mailboxId);
  }

  /** Runs begun and never finished: the process died (power cut, kill) while the job ran. */
  lastRun(jobId: number): RunRow | undefined {
    return this.db
      .prepare<[number], RunRow>('SELECT id, started_at, finished_at, outcome, heartbeat_at, owner FROM runs WHERE job_id = ? ORDER BY id DESC LIMIT 1')
      .get(jobId);
  }

  /**
   * An unfinished run whose heartbeat is fresh: the job runs in some process right now. A run of this
   * machine whose process is gone is dead at once (a kill -9 and an immediate re-run must not wait).
   */
  static isLive(run: RunRow | undefined, now = Date.now()): boolean {
    if (run === undefined || run.finished_at !== null || run.heartbeat_at === null || now - run.heartbeat_at >= runStaleMs) return false;
    const owner = /^(.*):(\d+)$/.exec(run.owner ?? '');
    if (owner && owner[1] === hostname()) {
      const pid = Number(owner[2]);
      if (pid === process.pid) return true;
      try {
        process.kill(pid, 0);
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    }
    return true;
  }

  startRun(jobId: number, owner?: string): number {
    const now = Date.now();
    const row = this.db
      .prepare<[number, number, number, string | null], { id: number }>('INSERT INTO runs (job_id, started_at, heartbeat_at, owner) VALUES (?, ?, ?, ?) RETURNING id')
      .get(jobId, now, now, owner ?? null);
    return row?.id ?? 0;
  }

  /** A living run says so now and then (see runHeartbeatMs); a stale one was interrupted. */
  heartbeat(runId: number): void {
    this.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(Date.now(), runId);
  }

  finishRun(runId: number, outcome: string, itemsDone: number, bytesDone: number): void {
    this.db
      .prepare('UPDATE runs SET finished_at = ?, outcome = ?, items_done = ?, bytes_done = ? WHERE id = ?')
      .run(Date.now(), outcome, itemsDone, bytesDone, runId);
  }

  runs(jobId: number): { started_at: number; finished_at: number | null; outcome: string | null; items_done: number; bytes_done: number }[] {
    return this.db
      .prepare<[number], { started_at: number; finished_at: number | null; outcome: string | null; items_done: number; bytes_done: number }>(
        'SELECT started_at, finished_at, outcome, items_done, bytes_done FROM runs WHERE job_id = ? ORDER BY id',
      )
      .all(jobId);
  }

  /** Like findOrCreateJob: a mailbox known by its identity continues under new spec strings. */
  findOrCreateMailbox(jobId: number, label: string, source: string, target: string, identity?: Identity): MailboxRow {
    return this.transaction(() => {
      const byIdentity = identity
        ? this.db
            .prepare<[number, string, string], MailboxRow>(
              'SELECT * FROM mailboxes WHERE job_id = ? AND source_identity = ? AND target_identity = ? ORDER BY id LIMIT 1',
            )
            .get(jobId, identity.source, identity.target)
        : undefined;
      const found =
        byIdentity ??
        this.db.prepare<[number, string, string], MailboxRow>('SELECT * FROM mailboxes WHERE job_id = ? AND source = ? AND target = ?').get(jobId, source, target);
      if (found) {
        if (identity && (found.source !== source || found.target !== target || found.source_identity !== identity.source || found.target_identity !== identity.target)) {
          const clash = this.db
            .prepare<[number, string, string, number], { id: number }>('SELECT id FROM mailboxes WHERE job_id = ? AND source = ? AND target = ? AND id <> ?')
            .get(jobId, source, target, found.id);
          if (!clash) this.db.prepare('UPDATE mailboxes SET source = ?, target = ? WHERE id = ?').run(source, target, found.id);
          this.db.prepare('UPDATE mailboxes SET source_identity = ?, target_identity = ? WHERE id = ?').run(identity.source, identity.target, found.id);
          return this.db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE id = ?').get(found.id) as MailboxRow;
        }
        return found;
      }
      return this.db
        .prepare<[number, string, string, string, string | null, string | null], MailboxRow>(
          'INSERT INTO mailboxes (job_id, label, source, target, source_identity, target_identity) VALUES (?, ?, ?, ?, ?, ?) RETURNING *',
        )
        .get(jobId, label, source, target, identity?.source ?? null, identity?.target ?? null) as MailboxRow;
    });
  }

  mailboxes(jobId: number): MailboxRow[] {
    return this.db.prepare<[number], MailboxRow>('SELECT * FROM mailboxes WHERE job_id = ? ORDER BY id').all(jobId);
  }

  setMailboxState(mailboxId: number, state: string, code?: string, reason?: string): void {
    this.db
      .prepare('UPDATE mailboxes SET state = ?, code = ?, reason = ? WHERE id = ?')
      .run(state, code ?? null, reason ?? null, mailboxId);
  }

  /** Notes a target left when it finished the mailbox (Target.finishMailbox), replacing earlier ones. */
  setMailboxNote(mailboxId: number, note: string | undefined): void {
    this.db.prepare('UPDATE mailboxes SET note = ? WHERE id = ?').run(note ?? null, mailboxId);
  }

  setMailboxTotal(mailboxId: number, total: number): void {
    this.db.prepare('UPDATE mailboxes SET source_total = ? WHERE id = ?').run(total, mailboxId);
  }

  // ---- folders ---------------------------------------------------------------------------------

  upsertFolder(mailboxId: number, sourcePath: readonly string[], special: string | undefined, count: number | undefined): FolderRow {
    return this.db
      .prepare<[number, string, string | null, number | null], FolderRow>(
        `INSERT INTO folders (mailbox_id, source_path, special, source_count) VALUES (?, ?, ?, ?)
         ON CONFLICT (mailbox_id, source_path) DO UPDATE SET
           special = COALESCE(excluded.special, special), source_count = COALESCE(excluded.source_count, source_count)
         RETURNING *`,
      )
      .get(mailboxId, encodePath(sourcePath), special ?? null, count ?? null) as FolderRow;
  }

  setFolderTarget(folderId: number, targetPath: readonly string[], targetId: string, note?: string): void {
    this.db
      .prepare('UPDATE folders SET target_path = ?, target_id = ?, note = COALESCE(?, note) WHERE id = ?')
      .run(encodePath(targetPath), targetId, note ?? null, folderId);
  }

  folders(mailboxId: number): FolderRow[] {
    return this.db.prepare<[number], FolderRow>('SELECT * FROM folders WHERE mailbox_id = ? ORDER BY id').all(mailboxId);
  }

  // ---- items -----------------------------------------------------------------------------------

  item(mailboxId: number, sourceKey: string): ItemRow | undefined {
    return this.statements.item.get(mailboxId, sourceKey);
  }

  /** Records an item as pending (new, or again after a failure) and returns its row id. */
  recordPending(item: NewItem): number {
    const row = this.statements.insertItem.get({
      mailboxId: item.mailboxId,
      folderId: item.folderId,
      sourceKey: item.sourceKey,
      kind: item.kind,
      title: item.title ?? null,
      size: item.size,
      contentHash: item.contentHash ?? null,
      dedupKey: item.dedupKey ?? null,
      note: item.note ?? null,
      now: Date.now(),
    }) as { id: number };
    return row.id;
  }

  /** An item already done in the same folder with the same content identity, other than this one. */
  findDuplicate(mailboxId: number, folderId: number, dedupKey: string, sourceKey: string): ItemRow | undefined {
    return this.statements.duplicate.get(mailboxId, folderId, dedupKey, sourceKey);
  }

  /** Counts an attempt before sending, so a crash leaves "sent, answer unknown" visible (attempts > 0, pending). */
  markSent(rowIds: readonly number[]): void {
    const now = Date.now();
    this.transaction(() => {
      for (const id of rowIds) this.statements.markSent.run(now, id);
    });
  }

  settle(settlements: readonly Settlement[]): void {
    const now = Date.now();
    this.transaction(() => {
      for (const s of settlements) {
        this.statements.settle.run({
          rowId: s.rowId,
          state: s.state,
          code: s.code ?? null,
          reason: s.reason ?? null,
          retryable: s.retryable === true ? 1 : 0,
          targetId: s.targetId ?? null,
          note: s.note ?? null,
          now,
        });
      }
    });
  }

  /** Keys started but not settled, or failed in a way a retry can help. */
  unsettledKeys(mailboxId: number, prefix: string): string[] {
    return this.db
      .prepare<{ mailboxId: number; prefix: string }, { source_key: string }>(
        `SELECT source_key FROM items WHERE mailbox_id = @mailboxId AND substr(source_key, 1, length(@prefix)) = @prefix
           AND (state = 'pending' OR (state = 'failed' AND retryable = 1)) ORDER BY id`,
      )
      .all({ mailboxId, prefix })
      .map((row) => row.source_key);
  }

  items(mailboxId: number, state?: ItemState): ItemRow[] {
    if (state === undefined) {
      return this.db.prepare<[number], ItemRow>('SELECT * FROM items WHERE mailbox_id = ? ORDER BY id').all(mailboxId);
    }
    return this.db
      .prepare<[number, string], ItemRow>('SELECT * FROM items WHERE mailbox_id = ? AND state = ? ORDER BY id')
      .all(mailboxId, state);
  }

  /** Per-folder counts by state, for status and reports. */
  folderCounts(mailboxId: number): { folder_id: number; state: ItemState; items: number; bytes: number }[] {
    return this.db
      .prepare<[number], { folder_id: number; state: ItemState; items: number; bytes: number }>(
        `SELECT folder_id, state, COUNT(*) AS items, COALESCE(SUM(size), 0) AS bytes
           FROM items WHERE mailbox_id = ? GROUP BY folder_id, state`,
      )
      .all(mailboxId);
  }

  /** Items of a job by state; duplicates are counted apart because they are expected, not a problem. */
  jobCounts(jobId: number): { done: number; skipped: number; duplicates: number; leftOut: number; failed: number; pending: number; bytes: number } {
    const rows = this.db
      .prepare<[number], { state: string; duplicate: number; leftOut: number; n: number; bytes: number }>(
        `SELECT i.state AS state, COALESCE(i.code = 'DUPLICATE', 0) AS duplicate, COALESCE(i.code = 'NOT_USER_DATA', 0) AS leftOut,
                COUNT(*) AS n, COALESCE(SUM(i.size), 0) AS bytes
           FROM items i JOIN mailboxes m ON m.id = i.mailbox_id WHERE m.job_id = ? GROUP BY 1, 2, 3`,
      )
      .all(jobId);
    // Duplicates and what is not user data (NOT_USER_DATA) are skipped on purpose: expected, not issues.
    const counts = { done: 0, skipped: 0, duplicates: 0, leftOut: 0, failed: 0, pending: 0, bytes: 0 };
    for (const row of rows) {
      if (row.state === 'done') {
        counts.done += row.n;
        counts.bytes += row.bytes;
      } else if (row.state === 'skipped') {
        counts.skipped += row.n;
        if (row.duplicate) counts.duplicates += row.n;
        if (row.leftOut) counts.leftOut += row.n;
      } else if (row.state === 'failed') counts.failed += row.n;
      else counts.pending += row.n;
    }
    return counts;
  }

  /** Items settled done per time bucket (ms since the epoch, bucket start), for a throughput chart. */
  throughput(mailboxId: number, bucketMs: number): { at: number; items: number; bytes: number }[] {
    return this.db
      .prepare<[number, number, number], { at: number; items: number; bytes: number }>(
        `SELECT (updated_at / ?) * ? AS at, COUNT(*) AS items, COALESCE(SUM(size), 0) AS bytes
           FROM items WHERE mailbox_id = ? AND state = 'done' GROUP BY 1 ORDER BY 1`,
      )
      .all(bucketMs, bucketMs, mailboxId);
  }

  /** Skipped or failed items of a mailbox, a page at a time, with the total. */
  issues(mailboxId: number, state: 'skipped' | 'failed' | undefined, offset: number, limit: number): { rows: (ItemRow & { folder_path: string })[]; total: number } {
    const where = state ? 'i.state = @state' : "i.state IN ('skipped', 'failed')";
    const rows = this.db
      .prepare<{ mailboxId: number; state: string | null; offset: number; limit: number }, ItemRow & { folder_path: string }>(
        `SELECT i.*, f.source_path AS folder_path FROM items i JOIN folders f ON f.id = i.folder_id
           WHERE i.mailbox_id = @mailboxId AND ${where} ORDER BY i.id LIMIT @limit OFFSET @offset`,
      )
      .all({ mailboxId, state: state ?? null, offset, limit });
    const total = this.db
      .prepare<{ mailboxId: number; state: string | null }, { n: number }>(`SELECT COUNT(*) AS n FROM items i WHERE i.mailbox_id = @mailboxId AND ${where}`)
      .get({ mailboxId, state: state ?? null });
    return { rows, total: total?.n ?? 0 };
  }

  // ---- checkpoints -----------------------------------------------------------------------------

  checkpoint(mailboxId: number, scope: string): string | undefined {
    return this.statements.checkpoint.get(mailboxId, scope)?.value;
  }

  saveCheckpoint(mailboxId: number, scope: string, value: string): void {
    this.statements.saveCheckpoint.run(mailboxId, scope, value, Date.now());
  }
}
