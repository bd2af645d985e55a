import { CloudwardError, specialFolderNames, type ItemKind, type SpecialFolder } from '../../../contract/index.js';
import type { SourceFolder } from '../../model/items.js';
import { cleanName } from '../exchange/folder-names.js';
import type { GraphClient } from './graph-client.js';

/**
 * Folders in Graph live in four separate trees: mailFolders (with well-known names, GRAPH:api/resources/mailfolder),
 * contactFolders (children of the default Contacts folder), calendars (flat) and To Do lists (flat).
 * A folder reference names its tree: `mail:<id>`, `contacts:<id>`, `calendar:<id>`, `todo:<id>`, or
 * `none:<kind>` for what Graph has no API for (notes, journal).
 */
export type FolderTree = 'mail' | 'contacts' | 'calendar' | 'todo' | 'none';

export interface FolderRef {
  readonly tree: FolderTree;
  /** Graph id, a well-known name (mail), or 'default'. */
  readonly id: string;
}

export function encodeFolder(ref: FolderRef): string {
  return `${ref.tree}:${ref.id}`;
}

export function decodeFolder(targetId: string): FolderRef {
  const colon = targetId.indexOf(':');
  const tree = targetId.slice(0, colon) as FolderTree;
  if (colon < 0 || !['mail', 'contacts', 'calendar', 'todo', 'none'].includes(tree)) throw new CloudwardError('INTERNAL', `Not a Graph folder reference: ${targetId}`);
  return { tree, id: targetId.slice(colon + 1) };
}

/** Special folders as Graph's well-known mail folder names (GRAPH:api/resources/mailfolder). */
const wellKnownMail: Partial<Record<SpecialFolder, string>> = {
  inbox: 'inbox',
  sent: 'sentitems',
  drafts: 'drafts',
  deleted: 'deleteditems',
  junk: 'junkemail',
  outbox: 'outbox',
  archive: 'archive',
};

export function treeFor(folder: SourceFolder): FolderTree {
  if (folder.special === 'contacts') return 'contacts';
  if (folder.special === 'calendar') return 'calendar';
  if (folder.special === 'tasks') return 'todo';
  if (folder.special === 'notes' || folder.special === 'journal') return 'none';
  const holds: ItemKind | undefined = folder.holds;
  if (holds === 'contact' || holds === 'distlist') return 'contacts';
  if (holds === 'event') return 'calendar';
  if (holds === 'task') return 'todo';
  if (holds === 'note' || holds === 'journal') return 'none';
  return 'mail';
}

/** The tree an item kind is written to; items of another kind in a folder go to that tree's default folder. */
export function treeForKind(kind: ItemKind): FolderTree {
  if (kind === 'contact' || kind === 'distlist') return 'contacts';
  if (kind === 'event') return 'calendar';
  if (kind === 'task') return 'todo';
  if (kind === 'mail') return 'mail';
  return 'none';
}

interface Listed {
  value?: { id: string; displayName?: string; name?: string; wellknownListName?: string }[];
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

export class GraphFolders {
  /** Source path → resolved folder. */
  private readonly resolved = new Map<string, { targetId: string; path: readonly string[] }>();
  /** parent + lower-case name → source path that took it (Exchange folder names ignore case). */
  private readonly claimed = new Map<string, string>();
  private defaultTodo: string | undefined;

  constructor(
    private readonly client: GraphClient,
    private readonly userPath: string,
    private readonly retrying: <T>(action: () => Promise<T>) => Promise<T>,
    private readonly signal: AbortSignal,
    private readonly onRename: (raw: string, used: string, reason: string) => void,
  ) {}

  async resolve(folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    const key = JSON.stringify(folder.path);
    const known = this.resolved.get(key);
    if (known) return known;
    const tree = treeFor(folder);
    const name = mappedPath[mappedPath.length - 1] ?? folder.path[folder.path.length - 1] ?? '(no name)';
    let result: { targetId: string; path: readonly string[] };
    if (tree === 'none') result = { targetId: encodeFolder({ tree, id: folder.special ?? folder.holds ?? 'notes' }), path: mappedPath };
    else if (tree === 'mail') result = await this.mailFolder(folder, mappedPath);
    else if (folder.special !== undefined && ['contacts', 'calendar', 'tasks'].includes(folder.special)) {
      result = { targetId: encodeFolder({ tree, id: 'default' }), path: [specialFolderNames[folder.special]] };
    } else if (tree === 'contacts') {
      const parentKey = JSON.stringify(folder.path.slice(0, -1));
      const parent = this.resolved.get(parentKey);
      const parentRef = parent ? decodeFolder(parent.targetId) : undefined;
      const parentId = parentRef?.tree === 'contacts' && parentRef.id !== 'default' ? parentRef.id : undefined;
      const id = await this.findOrCreate(parentId === undefined ? `${this.userPath}/contactFolders` : `${this.userPath}/contactFolders/${parentId}/childFolders`, 'displayName', name, key, false);
      result = { targetId: encodeFolder({ tree, id: id.id }), path: [...(parent?.path ?? ['Contacts']), id.name] };
    } else if (tree === 'calendar') {
      // Calendars are flat: a nested source calendar keeps its whole path in its name.
      const flat = mappedPath.filter((part) => part.toLowerCase() !== 'calendar').join(' - ') || name;
      const id = await this.findOrCreate(`${this.userPath}/calendars`, 'name', flat, key, false);
      result = { targetId: encodeFolder({ tree, id: id.id }), path: [id.name] };
    } else {
      const flat = mappedPath.filter((part) => part.toLowerCase() !== 'tasks').join(' - ') || name;
      const id = await this.findOrCreate(`${this.userPath}/todo/lists`, 'displayName', flat, key, false);
      result = { targetId: encodeFolder({ tree, id: id.id }), path: [id.name] };
    }
    this.resolved.set(key, result);
    return result;
  }

  /** The default To Do list's id ("Tasks", wellknownListName defaultList: GRAPH:api/resources/todotasklist). */
  async defaultTaskList(): Promise<string> {
    if (this.defaultTodo) return this.defaultTodo;
    const lists = await this.retrying(() => this.client.request<Listed>('GET', `${this.userPath}/todo/lists`, undefined, this.signal, 'listing To Do lists'));
    const found = (lists.value ?? []).find((list) => list.wellknownListName === 'defaultList');
    if (!found) throw new CloudwardError('TARGET_FAILED', 'The mailbox has no default To Do list');
    this.defaultTodo = found.id;
    return found.id;
  }

  private async mailFolder(folder: SourceFolder, mappedPath: readonly string[]): Promise<{ targetId: string; path: readonly string[] }> {
    const special = folder.special === undefined ? undefined : wellKnownMail[folder.special];
    if (special && folder.special) return { targetId: encodeFolder({ tree: 'mail', id: special }), path: [specialFolderNames[folder.special]] };
    let parent = { id: 'msgfolderroot', path: [] as readonly string[] };
    const parentSource = folder.path.length > 1 ? this.resolved.get(JSON.stringify(folder.path.slice(0, -1))) : undefined;
    if (parentSource && decodeFolder(parentSource.targetId).tree === 'mail') parent = { id: decodeFolder(parentSource.targetId).id, path: parentSource.path };
    else {
      for (const [index, segment] of mappedPath.slice(0, -1).entries()) {
        const role = index === 0 ? roleByName(segment) : undefined;
        const known = role === undefined ? undefined : wellKnownMail[role];
        if (known && role) parent = { id: known, path: [specialFolderNames[role]] };
        else {
          const made = await this.findOrCreate(`${this.userPath}/mailFolders/${parent.id}/childFolders`, 'displayName', segment, JSON.stringify(mappedPath.slice(0, index + 1)), parent.id === 'msgfolderroot');
          parent = { id: made.id, path: [...parent.path, made.name] };
        }
      }
    }
    const name = mappedPath[mappedPath.length - 1] ?? folder.path[folder.path.length - 1] ?? '(no name)';
    const made = await this.findOrCreate(`${this.userPath}/mailFolders/${parent.id}/childFolders`, 'displayName', name, JSON.stringify(folder.path), parent.id === 'msgfolderroot' && folder.special === undefined);
    return { targetId: encodeFolder({ tree: 'mail', id: made.id }), path: [...parent.path, made.name] };
  }

  /**
   * Find-then-create as one retried step: a create whose answer was lost is found on the next try, and
   * a 409 ErrorFolderExists (someone made it meanwhile) is answered by finding it.
   */
  private async findOrCreate(collection: string, nameProperty: 'displayName' | 'name', rawName: string, sourceKey: string, topLevel: boolean): Promise<{ id: string; name: string }> {
    const decision = cleanName(rawName, topLevel);
    let name = decision.name;
    const notes = decision.note ? [decision.note] : [];
    for (let n = 2; ; n += 1) {
      const claim = `${collection}\n${name.toLowerCase()}`;
      const owner = this.claimed.get(claim);
      if (owner === undefined || owner === sourceKey) {
        this.claimed.set(claim, sourceKey);
        break;
      }
      name = `${decision.name} (${n})`;
      if (n === 2) notes.push('another folder has the same name apart from upper/lower case');
    }
    if (notes.length > 0) this.onRename(rawName, name, notes.join('; '));
    const find = async () => {
      const filter = encodeURIComponent(`${nameProperty} eq ${quote(name)}`);
      const listed = await this.client.request<Listed>('GET', `${collection}?$filter=${filter}`, undefined, this.signal, `looking up folder "${name}"`);
      const hit = (listed.value ?? []).find((entry) => (entry[nameProperty] ?? '').toLowerCase() === name.toLowerCase());
      return hit ? { id: hit.id, name: hit[nameProperty] ?? name } : undefined;
    };
    return this.retrying(async () => {
      const found = await find();
      if (found) return found;
      try {
        const created = await this.client.request<{ id: string }>('POST', collection, { [nameProperty]: name }, this.signal, `creating folder "${name}"`);
        return { id: created.id, name };
      } catch (error) {
        if (error instanceof CloudwardError && error.code === 'TARGET_REJECTED' && /ErrorFolderExists|409/.test(error.message)) {
          const again = await find();
          if (again) return again;
        }
        throw error;
      }
    });
  }
}

function roleByName(name: string): SpecialFolder | undefined {
  const lower = name.toLowerCase();
  return (Object.keys(specialFolderNames) as SpecialFolder[]).find((role) => specialFolderNames[role].toLowerCase() === lower);
}
