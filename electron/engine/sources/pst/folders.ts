import type { PSTFolder } from 'pst-extractor';

import type { ItemKind, SpecialFolder } from '../../../contract/index.js';
import { bagOf, binary, bool, int, multi, str, type PropertyBag } from './properties.js';
import type { PstStore } from './pst-file.js';
import { PR_ATTR_HIDDEN } from './user-data.js';

/** A folder of one PST, as we walk the tree below the IPM subtree ("Top of Personal Folders"). */
export interface PstFolderNode {
  nid: number;
  path: string[];
  special?: SpecialFolder;
  holds?: ItemKind;
  containerClass?: string;
  contentCount: number;
  folder: PSTFolder;
  /** Outlook hides this folder (PR_ATTR_HIDDEN on it or on a folder above): the path of the hidden one. */
  hiddenAt?: string[];
}

/** The node id an entry id points at: PST entry ids are flags(4) + provider UID(16) + NID(4). */
export function nidOfEntryId(entryId: Buffer | undefined): number | undefined {
  if (!entryId || entryId.length < 24) return undefined;
  return entryId.readUInt32LE(20);
}

/** MAPI properties that name special folders ([MS-OXOSFLD] 2.2). */
const storeRoles: [number, SpecialFolder][] = [
  [0x35e2, 'outbox'],
  [0x35e3, 'deleted'],
  [0x35e4, 'sent'],
];
const ipmRoles: [number, SpecialFolder][] = [
  [0x36d0, 'calendar'],
  [0x36d1, 'contacts'],
  [0x36d2, 'journal'],
  [0x36d3, 'notes'],
  [0x36d4, 'tasks'],
  [0x36d7, 'drafts'],
];
const inboxOnly = [0x36d0, 0x36d1, 0x36d2, 0x36d3, 0x36d4, 0x36d7, 0x36d8];

function rolesFrom(bag: PropertyBag, into: Map<number, SpecialFolder>): void {
  for (const [id, role] of ipmRoles) {
    const nid = nidOfEntryId(binary(bag, id));
    if (nid !== undefined && !into.has(nid)) into.set(nid, role);
  }
  // PR_ADDITIONAL_REN_ENTRYIDS: [0] conflicts, [1] sync issues, [2] local failures, [3] server failures, [4] junk.
  const additional = multi(bag, 0x36d8);
  const junk = additional[4];
  if (Buffer.isBuffer(junk)) {
    const nid = nidOfEntryId(junk);
    if (nid !== undefined && nid !== 0 && !into.has(nid)) into.set(nid, 'junk');
  }
}

export function holdsFor(containerClass: string | undefined): ItemKind | undefined {
  if (!containerClass) return undefined;
  const c = containerClass.toLowerCase();
  if (c.startsWith('ipf.appointment')) return 'event';
  if (c.startsWith('ipf.contact')) return 'contact';
  if (c.startsWith('ipf.task')) return 'task';
  if (c.startsWith('ipf.stickynote')) return 'note';
  if (c.startsWith('ipf.journal')) return 'journal';
  if (c.startsWith('ipf.note') || c.startsWith('ipf.imap') || c.startsWith('ipf')) return 'mail';
  return undefined;
}

const maxDepth = 64;

/**
 * An OST (an Exchange or Outlook.com mailbox cached offline) has no PR_IPM_SUBTREE_ENTRYID on its
 * store: its tree is "Root - Mailbox" / "IPM_SUBTREE", names Exchange gives these internal folders
 * in every language.
 */
function exchangeSubtree(children: PSTFolder[]): PSTFolder | undefined {
  for (const child of children) {
    if (child.displayName !== 'Root - Mailbox') continue;
    try {
      return child.getSubFolders().find((grandchild) => grandchild.displayName === 'IPM_SUBTREE');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Walks the folder tree depth-first from the IPM subtree, naming special folders by the store's own
 * entry ids: Outbox, Deleted Items and Sent Items from the message store; Calendar, Contacts, Journal,
 * Notes, Tasks, Drafts and Junk from the PR_IPM_*_ENTRYID properties that Outlook keeps on the root
 * folder and on the Inbox; the Inbox is the folder below the subtree that carries those properties
 * (a PST's receive-folder table is empty in every file we have seen).
 */
export function* walkFolders(store: PstStore, onError: (path: string[], error: unknown) => void): Generator<PstFolderNode> {
  const root = store.rootFolder();
  const roles = new Map<number, SpecialFolder>();
  let subtreeNid: number | undefined;
  // Roles are a help, not a need: a damaged property leaves the folders without them.
  attempt(() => {
    const messageStore = bagOf(store.messageStore());
    for (const [id, role] of storeRoles) {
      const nid = nidOfEntryId(binary(messageStore, id));
      if (nid !== undefined) roles.set(nid, role);
    }
    subtreeNid = nidOfEntryId(binary(messageStore, 0x35e0));
  });
  attempt(() => rolesFrom(bagOf(root), roles));
  let top: PSTFolder = root;
  try {
    const children = root.getSubFolders();
    top =
      children.find((child) => child.descriptorNodeId.toNumber() === subtreeNid) ??
      children.find((child) => child.descriptorNodeId.toNumber() === 0x8022) ??
      exchangeSubtree(children) ??
      root;
  } catch (error) {
    onError([], error);
  }
  const charset = store.defaultCharset;
  const visited = new Set<number>();
  function* visit(folder: PSTFolder, path: string[], depth: number, hiddenAt?: string[]): Generator<PstFolderNode> {
    let children: PSTFolder[];
    try {
      store.activate();
      children = folder.getSubFolders();
    } catch (error) {
      onError(path, error);
      return;
    }
    // Inbox first: its properties name other special folders, which may come before it in the table.
    for (const child of children) {
      attempt(() => {
        const bag = bagOf(child, charset);
        if (inboxOnly.some((id) => bag.items?.has(id))) {
          const nid = child.descriptorNodeId.toNumber();
          if (!roles.has(nid)) roles.set(nid, 'inbox');
          rolesFrom(bag, roles);
        }
      });
    }
    for (const child of children) {
      const nid = child.descriptorNodeId.toNumber();
      if (visited.has(nid) || depth > maxDepth) continue;
      visited.add(nid);
      let node: PstFolderNode;
      try {
        node = describe(child, nid, path, hiddenAt);
      } catch (error) {
        onError([...path, `Folder ${nid.toString(16)}`], error);
        continue;
      }
      yield node;
      yield* visit(child, node.path, depth + 1, node.hiddenAt);
    }
  }
  function describe(child: PSTFolder, nid: number, path: string[], hiddenAbove: string[] | undefined): PstFolderNode {
    const bag = bagOf(child, charset);
    const name = str(bag, 0x3001) || `Folder ${nid.toString(16)}`;
    const containerClass = str(bag, 0x3613);
    const node: PstFolderNode = { nid, path: [...path, name], contentCount: int(bag, 0x3602) ?? 0, folder: child };
    const hiddenAt = hiddenAbove ?? (bool(bag, PR_ATTR_HIDDEN) === true ? node.path : undefined);
    if (hiddenAt) node.hiddenAt = hiddenAt;
    const role = roles.get(nid);
    if (role) node.special = role;
    if (containerClass) node.containerClass = containerClass;
    const holds = holdsFor(containerClass);
    if (holds) node.holds = holds;
    return node;
  }
  // Items kept directly in the top folder (it happens: see process-pst's fixtures) belong to the root.
  let topCount = 0;
  attempt(() => {
    topCount = int(bagOf(top, charset), 0x3602) ?? 0;
  });
  if (top !== root && topCount > 0) {
    yield { nid: top.descriptorNodeId.toNumber(), path: [], contentCount: topCount, folder: top };
  }
  yield* visit(top, [], 0);
}

function attempt(action: () => void): void {
  try {
    action();
  } catch {
    // Optional information that a damaged file does not have.
  }
}
