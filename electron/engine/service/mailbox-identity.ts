import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';

import type { Identity } from '../ledger/ledger.js';
import { parseImapSpec } from '../sources/imap/imap-address.js';
import { specPath, splitSpec } from '../specs/spec.js';

/**
 * What a mailbox IS, beyond the spec strings that reached it today. A technician moves the PST from D:\ to
 * a USB disk; the tenant blocks EWS and the job goes on with graph: into the same mailbox; the EWS URL
 * changes. In each case the same ledger rows continue (items settled stay settled; items in flight are
 * reconciled through the target), so nothing is sent twice.
 *
 * - A PST is its store's record key (PR_RECORD_KEY, [MS-PST] 2.4.3: unique per file and kept by Outlook across
 *   edits), or when a damaged store has none, a fingerprint of the file (size + hash of its first and last
 *   64 KiB). Never its path.
 * - An IMAP mailbox is its user at its host (port and TLS mode may change).
 * - Exchange is one store whatever the protocol: `exchange:<mailbox>` for ews: and graph: alike.
 * - Folders (eml:, dir:) are their absolute paths: a folder tree has no identity of its own.
 */
export async function sourceIdentity(spec: string): Promise<string> {
  const parts = splitSpec(spec);
  const scheme = parts?.scheme ?? '';
  if (scheme === 'pst') {
    // Loaded only for PST jobs, like the registry does: the PST reader is heavy.
    const { pstFiles } = await import('../sources/pst/pst-spec.js');
    const { PstStore } = await import('../sources/pst/pst-file.js');
    return `pst:${pstFiles(spec).map((file) => pstFingerprint(file, PstStore)).join(',')}`;
  }
  if (scheme === 'imap' || scheme === 'imaps') {
    try {
      const address = parseImapSpec(spec, { hostOnly: true });
      return `imap:${address.user.toLowerCase()}@${address.host.toLowerCase()}`;
    } catch {
      return spec;
    }
  }
  if (scheme === 'eml' || scheme === 'maildir') return `path:${resolve(specPath(spec))}`;
  return spec;
}

/** `mailbox` is the mailbox the target writes into (--target-mailbox, or a batch row's address). */
export function targetIdentity(spec: string, mailbox: string | undefined): string {
  const parts = splitSpec(spec);
  const scheme = parts?.scheme ?? '';
  if (scheme === 'ews' || scheme === 'graph') {
    const address = mailbox ?? (/^[^/@\s]+@[^/@\s]+$/.test(parts?.rest ?? '') ? parts?.rest : undefined);
    return address ? `exchange:${address.trim().toLowerCase()}` : spec;
  }
  if (scheme === 'dir') return `dir:${resolve(specPath(spec))}${mailbox ? `#${mailbox.toLowerCase()}` : ''}`;
  return mailbox ? `${spec}#${mailbox.toLowerCase()}` : spec;
}

export async function mailboxIdentity(sourceSpec: string, targetSpec: string, mailbox: string | undefined): Promise<Identity> {
  return { source: await sourceIdentity(sourceSpec), target: targetIdentity(targetSpec, mailbox) };
}

function pstFingerprint(file: string, PstStore: typeof import('../sources/pst/pst-file.js').PstStore): string {
  try {
    const store = PstStore.open(file);
    try {
      const key = store.recordKey();
      // recordKey() falls back to a hash of the path when the store has none: a path is what we must not use.
      const pathHash = createHash('sha256').update(file).digest('hex').slice(0, 32);
      if (key !== pathHash) return `key-${key}`;
    } finally {
      store.close();
    }
  } catch {
    // An unreadable PST still gets an identity; the job then reports why it cannot be read.
  }
  return `file-${fileFingerprint(file)}`;
}

/** Size plus a hash of the first and last 64 KiB: cheap on a 50 GB file, and the same wherever it lies. */
export function fileFingerprint(file: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const hash = createHash('sha256').update(String(size));
    const chunk = Buffer.alloc(Math.min(65_536, size));
    readSync(fd, chunk, 0, chunk.length, 0);
    hash.update(chunk);
    readSync(fd, chunk, 0, chunk.length, Math.max(0, size - chunk.length));
    hash.update(chunk);
    return hash.digest('hex').slice(0, 32);
  } catch {
    return createHash('sha256').update(resolve(file)).digest('hex').slice(0, 32);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
