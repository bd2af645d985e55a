/**
 * The ledger's schema as forward-only migrations. A ledger file written by an older Cloudward is
 * brought up to date on open; a ledger from a newer Cloudward is refused rather than damaged.
 */
export const migrations: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (source, target)
  );
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT,
    items_done INTEGER NOT NULL DEFAULT 0,
    bytes_done INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id),
    label TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    code TEXT,
    reason TEXT,
    source_total INTEGER,
    UNIQUE (job_id, source, target)
  );
  CREATE TABLE folders (
    id INTEGER PRIMARY KEY,
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
    source_path TEXT NOT NULL,
    special TEXT,
    target_path TEXT,
    target_id TEXT,
    source_count INTEGER,
    note TEXT,
    UNIQUE (mailbox_id, source_path)
  );
  CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
    folder_id INTEGER NOT NULL REFERENCES folders(id),
    source_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    size INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT,
    dedup_key TEXT,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'skipped', 'failed')),
    code TEXT,
    reason TEXT,
    retryable INTEGER NOT NULL DEFAULT 0,
    target_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    UNIQUE (mailbox_id, source_key)
  );
  CREATE INDEX items_dedup ON items (mailbox_id, folder_id, dedup_key);
  CREATE INDEX items_state ON items (mailbox_id, state);
  CREATE TABLE checkpoints (
    mailbox_id INTEGER NOT NULL REFERENCES mailboxes(id),
    scope TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, scope)
  );
  `,
  // 2: per-item notes (items that migrated with a caveat), mailbox notes, and preflight findings per domain and run.
  `
  ALTER TABLE items ADD COLUMN note TEXT;
  ALTER TABLE mailboxes ADD COLUMN note TEXT;
  CREATE TABLE preflight_runs (
    id INTEGER PRIMARY KEY,
    domain TEXT NOT NULL,
    phase TEXT,
    options TEXT,
    started_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX preflight_runs_domain ON preflight_runs (domain, started_at);
  CREATE TABLE preflight_findings (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES preflight_runs(id),
    check_id TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'warn', 'fail', 'skip')),
    title TEXT NOT NULL,
    evidence TEXT NOT NULL,
    fix TEXT,
    UNIQUE (run_id, check_id)
  );
  `,
  // 3: the job service. A job's non-secret spec (JSON) so it can be resumed after a restart; what identifies a
  // job and a mailbox beyond its spec strings (a PST's own record key, a target's mailbox and kind of store),
  // so a moved file or a changed endpoint continues the same rows; settle times for throughput charts.
  `
  ALTER TABLE jobs ADD COLUMN spec TEXT;
  ALTER TABLE jobs ADD COLUMN source_identity TEXT;
  ALTER TABLE jobs ADD COLUMN target_identity TEXT;
  ALTER TABLE mailboxes ADD COLUMN source_identity TEXT;
  ALTER TABLE mailboxes ADD COLUMN target_identity TEXT;
  CREATE INDEX jobs_identity ON jobs (source_identity, target_identity);
  CREATE INDEX mailboxes_identity ON mailboxes (job_id, source_identity, target_identity);
  CREATE INDEX items_settled ON items (mailbox_id, state, updated_at);
  `,
  // 4: who runs a job now. A run refreshes heartbeat_at while it lives, so an unfinished run with a fresh
  // heartbeat is running in another process (the app and a terminal share one ledger), and only a stale one
  // was interrupted (PC shut down, process killed).
  `
  ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER;
  ALTER TABLE runs ADD COLUMN owner TEXT;
  `,
];
