import { createRequire } from 'node:module';

import type { PSTFolder } from 'pst-extractor';

import type { PstStore } from './pst-file.js';

// The exact copy of `long` that pst-extractor uses (as pst-file.ts does), so its streams accept our offsets.
const requireFromLibrary = createRequire(createRequire(import.meta.url).resolve('pst-extractor'));
const Long = requireFromLibrary('long') as typeof import('long').default;

/** PR_MESSAGE_SIZE ([MS-OXPROPS] 2.797): a message's size in the store, a column of every contents table. */
const prMessageSize = 0x0e08;
const ptypInteger32 = 0x0003;

interface RowStream {
  seekAndReadLong(location: unknown, bytes: number): { toNumber(): number };
  allData: Buffer | null;
  indexItems: { size: number }[];
  skipPoints: { toNumber(): number }[];
}
interface ContentsTableInternals {
  keyMap: Map<number, number>;
  columnDescriptors: { id: number; type: number; ibData: number; cbData: number; iBit: number }[];
  TCI_bm: number;
  TCI_1b: number;
  rowNodeInfo: { startOffset: number; length(): number; pstNodeInputStream: RowStream };
}

/**
 * The bytes of a folder's messages: the sum of PR_MESSAGE_SIZE over its contents table's rows, reading
 * one 4-byte cell per row (pst-extractor's getItems would decode every column of every row). Undefined,
 * meaning "size unknown", whenever the table is not laid out as expected: every row's id is checked
 * against the table's row index, so a misread layout (4 KB-page OSTs, damaged blocks) never yields a
 * wrong figure. Never reads a message.
 */
export function folderBytes(store: PstStore, folder: PSTFolder): number | undefined {
  try {
    store.activate();
    const f = folder as unknown as { initEmailsTable(): void; emailsTable: ContentsTableInternals | null };
    f.initEmailsTable();
    const table = f.emailsTable;
    if (!table) return undefined;
    if (table.keyMap.size === 0) return 0;
    const column = table.columnDescriptors.find((descriptor) => descriptor.id === prMessageSize && descriptor.type === ptypInteger32 && descriptor.cbData === 4);
    if (!column || table.TCI_bm <= 0) return undefined;
    const info = table.rowNodeInfo;
    const stream = info.pstNodeInputStream;
    const rowWidth = table.TCI_bm;
    // A row matrix over several blocks: rows never straddle one, and every block but the last is full.
    const blocks = stream.allData === null && stream.indexItems.length > 1 ? stream.indexItems : undefined;
    const rowsPerBlock = blocks ? Math.floor((blocks[0]?.size ?? 0) / rowWidth) : Number.POSITIVE_INFINITY;
    if (rowsPerBlock <= 0) return undefined;
    const read = (offset: number, bytes: number): number => stream.seekAndReadLong(Long.fromNumber(offset), bytes).toNumber() >>> 0;
    let total = 0;
    for (const [rowId, rowIndex] of table.keyMap) {
      let start: number;
      if (blocks) {
        const skip = stream.skipPoints[Math.floor(rowIndex / rowsPerBlock)];
        if (skip === undefined) return undefined;
        start = skip.toNumber() + (rowIndex % rowsPerBlock) * rowWidth;
      } else {
        start = info.startOffset + rowIndex * rowWidth;
        if ((rowIndex + 1) * rowWidth > info.length()) return undefined;
      }
      if (read(start, 4) !== rowId >>> 0) return undefined;
      const present = read(start + table.TCI_1b + Math.floor(column.iBit / 8), 1) & (1 << (7 - (column.iBit % 8)));
      if (!present) return undefined;
      total += read(start + column.ibData, 4);
    }
    return total;
  } catch {
    // A table that cannot be read leaves the size unknown; the count (from the folder) still stands.
    return undefined;
  }
}

/**
 * One folder's bytes where several files (or a repeated path) add to it: 0, which the preview shows as
 * "size unknown", as soon as any part with items could not say its size, never a partial sum.
 */
export function mergedBytes(known: { items: number; bytes: number } | undefined, items: number, bytes: number | undefined): number {
  if ((bytes === undefined && items > 0) || (known !== undefined && known.items > 0 && known.bytes === 0)) return 0;
  return (known?.bytes ?? 0) + (bytes ?? 0);
}
