import type { AutocompleteEntry } from '../../contract/index.js';
import { buildRow, resolveEntries, rowWeight, setRowWeight } from './entries.js';
import { type AutocompleteFile, type AutocompleteRow, STREAM_MAJOR } from './stream-format.js';

export interface MergeResult {
  readonly file: AutocompleteFile;
  /** Incoming entries that became new rows. */
  readonly added: number;
  /** Incoming entries whose address was already there (their weight kept if higher). */
  readonly matched: number;
  /** Incoming entries left out: only an X.500 address with no SMTP address known for it. */
  readonly unresolved: number;
}

/** Rows keyed by SMTP address (lower case); rows without one are keyed by their own identity. */
function keyOf(entry: { address: string; unresolved: boolean }, fallback: number): string {
  return entry.unresolved ? `\u0000row:${fallback}` : entry.address.toLowerCase();
}

/**
 * Merges incoming rows into existing ones by SMTP address: an address already present keeps its existing
 * row (it belongs to the new mailbox) and the higher of the two weights; new addresses are appended; rows
 * end sorted by weight, highest first, as Outlook keeps them. X.500-only rows are rewritten to SMTP when
 * the same data knows the address, and otherwise dropped from the incoming side (useless in a new tenant)
 * and counted.
 */
export function mergeRows(existing: readonly AutocompleteRow[], incoming: readonly AutocompleteRow[]): { rows: AutocompleteRow[]; added: number; matched: number; unresolved: number } {
  const rows: AutocompleteRow[] = [];
  const byKey = new Map<string, number>();
  const place = (row: AutocompleteRow, key: string): void => {
    byKey.set(key, rows.length);
    rows.push(row);
  };
  // Resolved together: an X.500 address one side holds may be known (with its SMTP address) on the other.
  const resolved = resolveEntries([...existing, ...incoming]);
  resolved.slice(0, existing.length).forEach((entry, index) => {
    const key = keyOf(entry, index);
    const at = byKey.get(key);
    if (at === undefined) place(existing[index]!, key);
    else rows[at] = setRowWeight(rows[at]!, Math.max(rowWeight(rows[at]!), rowWeight(existing[index]!)));
  });
  let added = 0;
  let matched = 0;
  let unresolved = 0;
  for (const entry of resolved.slice(existing.length)) {
    if (entry.unresolved) {
      unresolved += 1;
      continue;
    }
    const source = incoming[entry.row - existing.length]!;
    const row = entry.rewritten ? buildRow({ address: entry.address, ...(entry.displayName ? { displayName: entry.displayName } : {}), weight: rowWeight(source) }) : source;
    const key = keyOf(entry, -1);
    const at = byKey.get(key);
    if (at === undefined) {
      place(row, key);
      added += 1;
    } else {
      matched += 1;
      const weight = rowWeight(row);
      if (weight > rowWeight(rows[at]!)) rows[at] = setRowWeight(rows[at]!, weight);
    }
  }
  // Stable sort: equal weights keep their order.
  const sorted = rows.map((row, index) => ({ row, index, weight: rowWeight(row) })).sort((a, b) => b.weight - a.weight || a.index - b.index);
  return { rows: sorted.map((item) => item.row), added, matched, unresolved };
}

/** An empty version-12 stream, as a mailbox without an autocomplete list would get. */
export function emptyStream(now: Date = new Date()): AutocompleteFile {
  return { major: STREAM_MAJOR, minor: 0, rows: [], extraInfo: new Uint8Array(0), metadata: fileTime(now), trailing: new Uint8Array(0) };
}

/** Merges entries (from any source) into an existing stream; the footer's FILETIME becomes `now`. */
export function mergeAutocomplete(existing: AutocompleteFile | undefined, incoming: readonly (AutocompleteEntry | AutocompleteRow)[], now: Date = new Date()): MergeResult {
  const base = existing ?? emptyStream(now);
  const rows = incoming.map((item) => ('properties' in item ? item : buildRow(item)));
  const merged = mergeRows(base.rows, rows);
  return {
    file: { ...base, rows: merged.rows, metadata: fileTime(now), trailing: new Uint8Array(0) },
    added: merged.added,
    matched: merged.matched,
    unresolved: merged.unresolved,
  };
}

/** FILETIME: 100 ns ticks since 1601-01-01, little-endian. */
export function fileTime(date: Date): Uint8Array {
  const ticks = (BigInt(date.getTime()) + 11_644_473_600_000n) * 10_000n;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, ticks, true);
  return out;
}
