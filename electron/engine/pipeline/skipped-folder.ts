import type { Ledger } from '../ledger/ledger.js';
import type { SourceFolder } from '../model/items.js';

/**
 * A folder the source says is not to be migrated (SourceFolder.skipped): recorded in the ledger with
 * the reason as its note, so the report lists it, and no target path, so nothing ever writes into it.
 * Returns its ledger folder id.
 */
export function recordSkippedFolder(ledger: Ledger, mailboxId: number, folder: SourceFolder, reason: string): number {
  const row = ledger.upsertFolder(mailboxId, folder.path, folder.special, folder.count);
  // The ledger has no setter for a note alone (setFolderTarget also sets a target, which this folder has none of).
  ledger.db.prepare('UPDATE folders SET note = ? WHERE id = ?').run(`not migrated: ${reason}`, row.id);
  return row.id;
}
