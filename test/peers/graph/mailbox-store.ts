import { randomUUID } from 'node:crypto';

/** What the Graph peer keeps per mailbox. Bodies are kept as posted, so tests assert on what was sent. */
export type FolderKind = 'mail' | 'contacts' | 'calendar' | 'todo';

export interface StoredFolder {
  readonly id: string;
  readonly kind: FolderKind;
  displayName: string;
  readonly parentId?: string;
  readonly wellKnown?: string;
}

export interface StoredAttachment {
  readonly id: string;
  readonly name: string;
  readonly contentType?: string;
  readonly size: number;
  readonly isInline: boolean;
  readonly contentId?: string;
  bytes: Buffer;
  /** Through an upload session (PUT ranges) rather than one POST. */
  readonly viaUploadSession: boolean;
}

interface StoredItemBase {
  readonly id: string;
  folderId: string;
  /** The JSON body as the client posted it (deep-inserted navigation properties included). */
  readonly posted: Record<string, unknown>;
  /** Extended properties, by normalised id (see normalisePropertyId). */
  readonly extended: Map<string, string>;
  readonly createdAt: Date;
}

export interface StoredMessage extends StoredItemBase {
  readonly kind: 'message';
  isDraft: boolean;
  isRead: boolean;
  receivedDateTime: string;
  sentDateTime: string | null;
  readonly attachments: StoredAttachment[];
}

export interface StoredContact extends StoredItemBase {
  readonly kind: 'contact';
}

export interface StoredEvent extends StoredItemBase {
  readonly kind: 'event';
  /** Patches applied to occurrences, by the occurrence's original start (ISO). */
  readonly exceptions: Map<string, Record<string, unknown>>;
  /** Original starts (ISO, UTC) of occurrences deleted from the series. */
  readonly cancelledOccurrences: string[];
}

export interface StoredTask extends StoredItemBase {
  readonly kind: 'task';
}

export type StoredItem = StoredMessage | StoredContact | StoredEvent | StoredTask;

/** `Integer 0x0E07` and `integer 0xe07` are one property; GUIDs and names compare without case too. */
export function normalisePropertyId(id: string): string {
  const parts = id.trim().split(/\s+/);
  return parts
    .map((part) => {
      if (/^0x[0-9a-f]+$/i.test(part)) return `0x${parseInt(part, 16).toString(16)}`;
      return part.toLowerCase();
    })
    .join(' ');
}

export const wellKnownMailFolders = [
  'archive',
  'clutter',
  'conflicts',
  'conversationhistory',
  'deleteditems',
  'drafts',
  'inbox',
  'junkemail',
  'localfailures',
  'msgfolderroot',
  'outbox',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'sentitems',
  'serverfailures',
  'syncissues',
] as const;

const wellKnownDisplay: Record<string, string> = {
  archive: 'Archive',
  deleteditems: 'Deleted Items',
  drafts: 'Drafts',
  inbox: 'Inbox',
  junkemail: 'Junk Email',
  outbox: 'Outbox',
  sentitems: 'Sent Items',
  conversationhistory: 'Conversation History',
};

export class GraphMailbox {
  readonly id = randomUUID();
  readonly folders: StoredFolder[] = [];
  readonly items: StoredItem[] = [];
  readonly root: StoredFolder;
  readonly defaultContacts: StoredFolder;
  readonly defaultCalendar: StoredFolder;
  readonly defaultTaskList: StoredFolder;

  constructor(readonly address: string) {
    this.root = this.addFolder('mail', 'Top of Information Store', undefined, 'msgfolderroot');
    for (const name of wellKnownMailFolders) {
      if (name === 'msgfolderroot') continue;
      const display = wellKnownDisplay[name];
      // Only the folders a mailbox shows are children of the root; the rest exist but are hidden (searchfolders, syncissues...).
      this.addFolder('mail', display ?? name, display ? this.root.id : undefined, name);
    }
    this.defaultContacts = this.addFolder('contacts', 'Contacts', undefined, 'contacts');
    this.defaultCalendar = this.addFolder('calendar', 'Calendar', undefined, 'calendar');
    this.defaultTaskList = this.addFolder('todo', 'Tasks', undefined, 'defaultList');
  }

  addFolder(kind: FolderKind, displayName: string, parentId: string | undefined, wellKnown?: string): StoredFolder {
    const folder: StoredFolder = { id: `${kind}-${randomUUID()}`, kind, displayName, ...(parentId ? { parentId } : {}), ...(wellKnown ? { wellKnown } : {}) };
    this.folders.push(folder);
    return folder;
  }

  /** A folder by id or (mail) well-known name. */
  folder(idOrName: string, kind?: FolderKind): StoredFolder | undefined {
    const lower = idOrName.toLowerCase();
    return this.folders.find((folder) => (folder.id === idOrName || (folder.wellKnown !== undefined && folder.wellKnown.toLowerCase() === lower && kind !== undefined)) && (kind === undefined || folder.kind === kind));
  }

  childrenOf(parentId: string | undefined, kind: FolderKind): StoredFolder[] {
    return this.folders.filter((folder) => folder.kind === kind && folder.parentId === parentId && !(kind === 'mail' && parentId === undefined));
  }

  /** Mail folder by display names from the top of the store (['Inbox', 'Projects']); other kinds from their own root. */
  folderByPath(path: readonly string[], kind: FolderKind = 'mail'): StoredFolder | undefined {
    let parent: string | undefined = kind === 'mail' ? this.root.id : undefined;
    let found: StoredFolder | undefined;
    for (const name of path) {
      found = this.folders.find((folder) => folder.kind === kind && folder.parentId === parent && folder.displayName.toLowerCase() === name.toLowerCase());
      if (!found) return undefined;
      parent = found.id;
    }
    return found;
  }

  get messages(): StoredMessage[] {
    return this.items.filter((item): item is StoredMessage => item.kind === 'message');
  }
  get contacts(): StoredContact[] {
    return this.items.filter((item): item is StoredContact => item.kind === 'contact');
  }
  get events(): StoredEvent[] {
    return this.items.filter((item): item is StoredEvent => item.kind === 'event');
  }
  get tasks(): StoredTask[] {
    return this.items.filter((item): item is StoredTask => item.kind === 'task');
  }

  messagesIn(path: readonly string[]): StoredMessage[] {
    const folder = this.folderByPath(path);
    return folder ? this.messages.filter((message) => message.folderId === folder.id) : [];
  }

  item(id: string): StoredItem | undefined {
    return this.items.find((item) => item.id === id);
  }
}
