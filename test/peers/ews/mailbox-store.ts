import { createHash } from 'node:crypto';

import type { EwsFolderKind, PeerFolder, PeerItem, PeerMailbox } from './ews-peer.js';

interface WellKnown {
  readonly id: string;
  readonly name: string;
  readonly folderClass: string;
  readonly kind: EwsFolderKind;
  /** Under msgfolderroot (IPM subtree) or directly under root. */
  readonly ipm: boolean;
}

const WELL_KNOWN: readonly WellKnown[] = [
  { id: 'inbox', name: 'Inbox', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'sentitems', name: 'Sent Items', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'deleteditems', name: 'Deleted Items', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'drafts', name: 'Drafts', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'junkemail', name: 'Junk Email', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'outbox', name: 'Outbox', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'archive', name: 'Archive', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'contacts', name: 'Contacts', folderClass: 'IPF.Contact', kind: 'ContactsFolder', ipm: true },
  { id: 'calendar', name: 'Calendar', folderClass: 'IPF.Appointment', kind: 'CalendarFolder', ipm: true },
  { id: 'tasks', name: 'Tasks', folderClass: 'IPF.Task', kind: 'TasksFolder', ipm: true },
  { id: 'notes', name: 'Notes', folderClass: 'IPF.StickyNote', kind: 'Folder', ipm: true },
  { id: 'journal', name: 'Journal', folderClass: 'IPF.Journal', kind: 'Folder', ipm: true },
  { id: 'conversationhistory', name: 'Conversation History', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'syncissues', name: 'Sync Issues', folderClass: 'IPF.Note', kind: 'Folder', ipm: true },
  { id: 'searchfolders', name: 'Finder', folderClass: '', kind: 'Folder', ipm: false },
  { id: 'recoverableitemsroot', name: 'Recoverable Items', folderClass: '', kind: 'Folder', ipm: false },
  { id: 'quickcontacts', name: 'Quick Contacts', folderClass: 'IPF.Contact.MOC.QuickContacts', kind: 'ContactsFolder', ipm: false },
];

/** Path of folders outside the IPM subtree starts with this marker. */
export const NON_IPM = '(root)';

let idCounter = 0;

/** Exchange ids are opaque base64; these are too, and unique across mailboxes and peers in one process. */
function newId(prefix: string, mailbox: string): string {
  const raw = Buffer.concat([Buffer.from('AAMkAD', 'latin1'), createHash('sha1').update(`${prefix}:${mailbox}:${++idCounter}`).digest()]);
  return raw.toString('base64');
}

export function newChangeKey(): string {
  return Buffer.concat([Buffer.from([0x09, 0, 0, 0, 0x16, 0, 0, 0]), createHash('sha1').update(`ck:${++idCounter}`).digest()]).toString('base64');
}

export class MailboxStore implements PeerMailbox {
  readonly folders: PeerFolder[] = [];
  readonly items: PeerItem[] = [];
  /** UserConfiguration objects by `${folderId}|${name lower-case}` (Outlook autocomplete lives here). */
  readonly userConfigurations = new Map<string, { name: string; folderId: string; id: string; binaryData?: string; xmlData?: string }>();
  /** Occurrence ItemIds handed out by UpdateItem: id -> its series and InstanceIndex. */
  readonly occurrenceIds = new Map<string, { readonly masterId: string; readonly instanceIndex: number }>();
  private readonly byId = new Map<string, PeerFolder>();
  private readonly itemsById = new Map<string, PeerItem>();

  constructor(readonly smtp: string) {
    const root = this.addFolder(null, 'root', '', 'Folder', 'root', []);
    const top = this.addFolder(root, 'Top of Information Store', 'IPF.Note', 'Folder', 'msgfolderroot', []);
    for (const w of WELL_KNOWN) {
      this.addFolder(w.ipm ? top : root, w.name, w.folderClass, w.kind, w.id, w.ipm ? [w.name] : [NON_IPM, w.name]);
    }
  }

  addFolder(parent: PeerFolder | null, displayName: string, folderClass: string, kind: EwsFolderKind, distinguishedId?: string, path?: readonly string[]): PeerFolder {
    const folder: PeerFolder = {
      id: newId('folder', this.smtp),
      changeKey: newChangeKey(),
      parentId: parent ? parent.id : null,
      displayName,
      folderClass,
      kind,
      ...(distinguishedId ? { distinguishedId } : {}),
      path: path ?? [...(parent?.path ?? []), displayName],
    };
    this.folders.push(folder);
    this.byId.set(folder.id, folder);
    return folder;
  }

  folderById(id: string): PeerFolder | undefined {
    return this.byId.get(id);
  }

  folderByDistinguishedId(id: string): PeerFolder | undefined {
    return this.folders.find((f) => f.distinguishedId === id);
  }

  folderByPath(path: readonly string[]): PeerFolder | undefined {
    return this.folders.find((f) => f.path.length === path.length && f.path.every((p, i) => p.toLowerCase() === path[i]!.toLowerCase()));
  }

  childFolders(parent: PeerFolder): PeerFolder[] {
    return this.folders.filter((f) => f.parentId === parent.id);
  }

  itemsIn(folder: PeerFolder | readonly string[]): PeerItem[] {
    const f = Array.isArray(folder) ? this.folderByPath(folder as readonly string[]) : (folder as PeerFolder);
    return f ? this.items.filter((i) => i.folderId === f.id) : [];
  }

  newItemId(): string {
    return newId('item', this.smtp);
  }

  addItem(item: PeerItem): void {
    this.items.push(item);
    this.itemsById.set(item.id, item);
  }

  itemById(id: string): PeerItem | undefined {
    return this.itemsById.get(id);
  }

  deleteItem(id: string): boolean {
    const item = this.itemsById.get(id);
    if (!item) return false;
    this.itemsById.delete(id);
    this.items.splice(this.items.indexOf(item), 1);
    for (const [occurrenceId, occurrence] of this.occurrenceIds) if (occurrence.masterId === id) this.occurrenceIds.delete(occurrenceId);
    return true;
  }
}
