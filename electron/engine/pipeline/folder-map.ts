import { specialFolderNames } from '../../contract/index.js';
import type { SourceFolder } from '../model/items.js';

/**
 * Maps source folder paths to target paths: a folder with a special role lands on the target's
 * well-known folder whatever its (localized) name ("Éléments supprimés" → Deleted Items), and its
 * subfolders follow it. Other folders keep their names below their mapped parent.
 */
export class FolderMap {
  private readonly mapped = new Map<string, readonly string[]>();

  map(folder: SourceFolder): readonly string[] {
    const key = JSON.stringify(folder.path);
    const known = this.mapped.get(key);
    if (known) return known;
    let result: readonly string[];
    if (folder.special !== undefined) {
      result = [specialFolderNames[folder.special]];
    } else if (folder.path.length === 0) {
      // Items at the very top of a store (some PSTs have them): a target's root is not a place a user
      // ever looks, so they get a folder named as Outlook shows the top.
      result = ['Top of Personal Folders'];
    } else if (folder.path.length === 1) {
      result = [...folder.path];
    } else {
      const parent = this.map({ path: folder.path.slice(0, -1) });
      result = [...parent, folder.path[folder.path.length - 1] ?? ''];
    }
    this.mapped.set(key, result);
    return result;
  }
}
