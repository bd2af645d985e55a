import type { ItemKind, SpecialFolder } from '../../../contract/index.js';
import { walkFolders } from './folders.js';
import { bagOf, int, str } from './properties.js';
import { PstStore } from './pst-file.js';
import { kindOfClass, messageNids } from './pst-source.js';

export interface PstFolderInspection {
  path: string[];
  special?: SpecialFolder;
  containerClass?: string;
  /** Items by kind, counted from the folder's contents table. */
  items: Partial<Record<ItemKind, number>>;
  /** Rows whose item could not be read. */
  unreadable: number;
}

export interface PstInspection {
  file: string;
  size: number;
  format: 'ANSI' | 'Unicode' | 'OST';
  encryption: 'none' | 'compressible' | 'high';
  /** The store carries a password checksum (PR_PST_PASSWORD); it protects nothing and we read the file anyway. */
  passwordProtected: boolean;
  displayName?: string;
  folders: PstFolderInspection[];
  totals: Partial<Record<ItemKind, number>> & { unreadable: number };
}

/** What `cloudward pst inspect <file>` reports. Throws CloudwardError SOURCE_UNREADABLE for a file we cannot read. */
export async function inspectPst(file: string): Promise<PstInspection> {
  const store = PstStore.open(file);
  try {
    const messageStore = bagOf(store.messageStore(), store.defaultCharset);
    const password = int(messageStore, 0x67ff) ?? 0;
    const inspection: PstInspection = {
      file,
      size: store.size,
      format: store.header.format,
      encryption: store.header.encryption,
      passwordProtected: password !== 0,
      folders: [],
      totals: { unreadable: 0 },
    };
    const displayName = str(messageStore, 0x3001);
    if (displayName) inspection.displayName = displayName;
    for (const node of walkFolders(store, () => undefined)) {
      const folder: PstFolderInspection = { path: node.path, items: {}, unreadable: 0 };
      if (node.special) folder.special = node.special;
      if (node.containerClass) folder.containerClass = node.containerClass;
      try {
        for (const nid of messageNids(store, node.folder)) {
          try {
            const kind = kindOfClass(str(bagOf(store.message(nid)), 0x001a));
            folder.items[kind] = (folder.items[kind] ?? 0) + 1;
            inspection.totals[kind] = (inspection.totals[kind] ?? 0) + 1;
          } catch {
            folder.unreadable++;
            inspection.totals.unreadable++;
          }
        }
      } catch {
        folder.unreadable++;
        inspection.totals.unreadable++;
      }
      inspection.folders.push(folder);
    }
    return inspection;
  } finally {
    store.close();
  }
}
