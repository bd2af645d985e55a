import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { migrations } from '../../../electron/engine/ledger/schema.js';

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'cw-ledger-')), 'ledger.sqlite');

describe('ledger', () => {
  it('creates the schema in WAL mode and records its version', () => {
    const file = tempFile();
    const ledger = Ledger.open(file);
    expect(ledger.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(ledger.schemaVersion).toBe(migrations.length);
    ledger.close();
  });

  it('brings an older ledger forward and refuses one from a newer Cloudward', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma('user_version = 0');
    raw.close();
    const ledger = Ledger.open(file);
    expect(ledger.schemaVersion).toBe(migrations.length);
    ledger.close();
    const newer = new Database(file);
    newer.pragma(`user_version = ${migrations.length + 1}`);
    newer.close();
    expect(() => Ledger.open(file)).toThrow(/newer Cloudward/);
  });

  it('finds the same job and mailbox again for the same source and target', () => {
    const ledger = Ledger.open(':memory:');
    const job = ledger.findOrCreateJob('eml:/a', 'dir:/b');
    expect(ledger.findOrCreateJob('eml:/a', 'dir:/b').id).toBe(job.id);
    expect(ledger.findOrCreateJob('eml:/a', 'dir:/c').id).not.toBe(job.id);
    const mailbox = ledger.findOrCreateMailbox(job.id, 'info@', 'eml:/a', 'dir:/b');
    expect(ledger.findOrCreateMailbox(job.id, 'info@', 'eml:/a', 'dir:/b').id).toBe(mailbox.id);
  });

  it('keeps one row per source key and walks it through pending, failed and done', () => {
    const ledger = Ledger.open(':memory:');
    const job = ledger.findOrCreateJob('s', 't');
    const mailbox = ledger.findOrCreateMailbox(job.id, 'm', 's', 't');
    const folder = ledger.upsertFolder(mailbox.id, ['Inbox', 'a/b'], 'inbox', 3);
    expect(JSON.parse(folder.source_path)).toEqual(['Inbox', 'a/b']);
    const item = { mailboxId: mailbox.id, folderId: folder.id, sourceKey: 'k1', kind: 'mail' as const, title: 'Hello', size: 10, contentHash: 'h', dedupKey: 'd' };
    const id = ledger.recordPending(item);
    ledger.markSent([id]);
    expect(ledger.item(mailbox.id, 'k1')).toMatchObject({ state: 'pending', attempts: 1 });
    ledger.settle([{ rowId: id, state: 'failed', code: 'THROTTLED', reason: 'busy', retryable: true }]);
    expect(ledger.unsettledKeys(mailbox.id, 'k')).toEqual(['k1']);
    expect(ledger.recordPending(item)).toBe(id);
    expect(ledger.item(mailbox.id, 'k1')).toMatchObject({ state: 'pending', code: null, attempts: 1 });
    ledger.settle([{ rowId: id, state: 'done', targetId: 'T1' }]);
    expect(ledger.item(mailbox.id, 'k1')).toMatchObject({ state: 'done', target_id: 'T1' });
    expect(ledger.unsettledKeys(mailbox.id, 'k')).toEqual([]);
    expect(ledger.findDuplicate(mailbox.id, folder.id, 'd', 'k2')?.source_key).toBe('k1');
    expect(ledger.findDuplicate(mailbox.id, folder.id, 'd', 'k1')).toBeUndefined();
    expect(ledger.jobCounts(job.id)).toMatchObject({ done: 1, failed: 0, pending: 0, bytes: 10 });
  });

  it('rejects a state outside pending, done, skipped and failed', () => {
    const ledger = Ledger.open(':memory:');
    const job = ledger.findOrCreateJob('s', 't');
    const mailbox = ledger.findOrCreateMailbox(job.id, 'm', 's', 't');
    const folder = ledger.upsertFolder(mailbox.id, ['x'], undefined, undefined);
    const id = ledger.recordPending({ mailboxId: mailbox.id, folderId: folder.id, sourceKey: 'k', kind: 'mail', title: undefined, size: 1, contentHash: undefined, dedupKey: undefined });
    expect(() => ledger.settle([{ rowId: id, state: 'lost' as 'done' }])).toThrow(/CHECK constraint/);
    // The failed transaction left the row as it was.
    expect(ledger.item(mailbox.id, 'k')?.state).toBe('pending');
  });

  it('keeps checkpoints per mailbox and scope across reopening', () => {
    const file = tempFile();
    let ledger = Ledger.open(file);
    const job = ledger.findOrCreateJob('s', 't');
    const mailbox = ledger.findOrCreateMailbox(job.id, 'm', 's', 't');
    ledger.saveCheckpoint(mailbox.id, 'INBOX', '42:100');
    ledger.saveCheckpoint(mailbox.id, 'INBOX', '42:180');
    ledger.close();
    ledger = Ledger.open(file);
    expect(ledger.checkpoint(mailbox.id, 'INBOX')).toBe('42:180');
    expect(ledger.checkpoint(mailbox.id, 'Sent')).toBeUndefined();
    ledger.close();
  });

  it('says clearly when the ledger file cannot be opened', () => {
    const file = tempFile();
    Ledger.open(file).close();
    // A folder where a file is: ENOTDIR.
    expect(() => Ledger.open(join(file, 'ledger.sqlite'))).toThrow(/Cannot open the ledger/);
  });
});
