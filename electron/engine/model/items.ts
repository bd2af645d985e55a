import type {
  AutocompleteEntry,
  CalendarEvent,
  Contact,
  DistributionList,
  ItemKind,
  Note,
  SpecialFolder,
  Task,
} from '../../contract/index.js';
import type { MimeFacts } from './mime-facts.js';

/** A folder as the source sees it. `path` is the folder's names from the root, never joined with a delimiter. */
export interface SourceFolder {
  path: readonly string[];
  /** Role identified by the source's own means (entry ids, SPECIAL-USE), not by name. */
  special?: SpecialFolder;
  /** What the folder mainly holds, when the source knows (an Outlook folder's container class). */
  holds?: ItemKind;
  /** Items the source counts in this folder, when it can tell cheaply. */
  count?: number;
  /**
   * Set when the folder is not migrated, saying why (e.g. a PST's hidden system folder): the pipeline
   * records it for the report, never creates it on the target, and skips every item in it.
   */
  skipped?: string;
}

export interface MailFlags {
  seen: boolean;
  flagged: boolean;
  answered: boolean;
  draft: boolean;
  forwarded: boolean;
}

interface ItemBase {
  /** Stable across runs: PST node id, IMAP UIDVALIDITY+UID, or a path relative to the source root. */
  readonly key: string;
  readonly folder: SourceFolder;
  /** Best size known before loading; for mail the RFC 5322 byte length when known. */
  readonly size: number;
  /** A label for reports and file names: the subject, the contact's name. */
  readonly title?: string;
  /**
   * Something the report should say about this item although it migrated (e.g. "no Date header:
   * dated by its newest Received header"). Stored in the ledger with the item.
   */
  readonly caveat?: string;
  /**
   * Set when the item is not migrated, saying why (e.g. a PST item whose message class is Outlook's
   * own configuration, not user data): settled as skipped (NOT_USER_DATA) without being loaded.
   */
  readonly skip?: string;
}

export interface MailItem extends ItemBase {
  readonly kind: 'mail';
  readonly messageId?: string;
  /** When the sender sent it (Date header, PST submit time). */
  readonly sentAt?: Date;
  /** When it arrived in this mailbox (IMAP INTERNALDATE, PST delivery time). */
  readonly receivedAt?: Date;
  readonly flags: MailFlags;
  readonly keywords: readonly string[];
  readonly importance?: 'low' | 'normal' | 'high';
  readonly sensitivity?: 'normal' | 'personal' | 'private' | 'confidential';
  readonly categories: readonly string[];
  /** The RFC 5322 bytes; loaded only when the item is to be sent. */
  load(): Promise<Uint8Array>;
  /**
   * What the source knows about the MIME that load() returned, when it wrote that MIME itself (PST);
   * undefined for any other bytes. A target that would otherwise parse the MIME reads these instead.
   */
  facts?(mime: Uint8Array): MimeFacts | undefined;
}

export interface ContactItem extends ItemBase {
  readonly kind: 'contact';
  readonly contact: Contact;
}
export interface DistributionListItem extends ItemBase {
  readonly kind: 'distlist';
  readonly list: DistributionList;
}
export interface EventItem extends ItemBase {
  readonly kind: 'event';
  readonly event: CalendarEvent;
}
export interface TaskItem extends ItemBase {
  readonly kind: 'task';
  readonly task: Task;
}
export interface NoteItem extends ItemBase {
  readonly kind: 'note' | 'journal';
  readonly note: Note;
}
export interface AutocompleteItem extends ItemBase {
  readonly kind: 'autocomplete';
  readonly entry: AutocompleteEntry;
}

export type SourceItem =
  | MailItem
  | ContactItem
  | DistributionListItem
  | EventItem
  | TaskItem
  | NoteItem
  | AutocompleteItem;

/** What a source yields: folders first (so a target can prepare them), then items, interleaved per folder. */
export type SourceEntry = { type: 'folder'; folder: SourceFolder } | { type: 'item'; item: SourceItem };

/** An item whose content the pipeline has loaded and hashed, ready to send. */
export interface PreparedItem {
  readonly item: SourceItem;
  /** RFC 5322 bytes for mail; undefined for typed items. */
  readonly mime: Uint8Array | undefined;
  readonly size: number;
  /** sha256 of the content as sent, hex. */
  readonly contentHash: string;
  /** Ledger row id. */
  readonly rowId: number;
  /** Where the folder mapping put it. */
  readonly targetFolder: TargetFolderRef;
}

export interface TargetFolderRef {
  /** Ledger folder id. */
  readonly folderId: number;
  /** Target-side path after mapping (renames for reserved names and the like). */
  readonly path: readonly string[];
  readonly special?: SourceFolder['special'];
  /** The target's own id for the folder, once created. */
  readonly targetId: string;
}
