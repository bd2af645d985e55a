import iconv from 'iconv-lite';

import type { SpecialFolder } from '../../../contract/index.js';
import { mailRoles, specialFolderByName } from '../../model/folder-names.js';

/**
 * A raw IMAP mailbox name (as LISTed) becomes path segments: split on the server's delimiter first,
 * then each segment decoded from modified UTF-7, so a delimiter hidden inside an encoded run never
 * splits a name. Segments are never joined again; the raw name is kept for SELECT.
 */
export function splitMailboxName(raw: string, delimiter: string | null | undefined, utf8: boolean): string[] {
  const segments = delimiter ? raw.split(delimiter) : [raw];
  return segments.map((segment) => (utf8 ? segment : decodeModifiedUtf7(segment)));
}

/** RFC 3501 §5.1.3 modified UTF-7; a malformed name is kept as the server sent it. */
export function decodeModifiedUtf7(name: string): string {
  if (!name.includes('&')) return name;
  try {
    return iconv.decode(Buffer.from(name, 'latin1'), 'utf-7-imap');
  } catch {
    return name;
  }
}

const specialUseRoles: Record<string, SpecialFolder> = {
  '\\inbox': 'inbox',
  '\\sent': 'sent',
  '\\drafts': 'drafts',
  '\\trash': 'deleted',
  '\\junk': 'junk',
  '\\archive': 'archive',
};

/** SPECIAL-USE (RFC 6154) attribute to role; \All and \Flagged are views, not roles. */
export function roleFromSpecialUse(attribute: string | undefined): SpecialFolder | undefined {
  return attribute === undefined ? undefined : specialUseRoles[attribute.toLowerCase()];
}

/** Role by common name, for servers without SPECIAL-USE. Only top level or directly under INBOX. */
export function roleFromName(path: readonly string[]): SpecialFolder | undefined {
  if (path.length === 1 && path[0]?.toUpperCase() === 'INBOX') return 'inbox';
  const topLevel = path.length === 1 || (path.length === 2 && path[0]?.toUpperCase() === 'INBOX');
  if (!topLevel) return undefined;
  const role = specialFolderByName(path[path.length - 1] ?? '');
  return role !== undefined && mailRoles.has(role) ? role : undefined;
}

/**
 * Assigns each role at most once: first every SPECIAL-USE attribute, then common names for the roles
 * still free (a server with both "Sent" flagged \Sent and a stray "Sent Items" keeps the flagged one).
 */
export function assignRoles(folders: { path: readonly string[]; specialUse?: string }[]): (SpecialFolder | undefined)[] {
  const roles: (SpecialFolder | undefined)[] = folders.map(() => undefined);
  const taken = new Set<SpecialFolder>();
  folders.forEach((folder, index) => {
    const role = roleFromSpecialUse(folder.specialUse);
    if (role !== undefined && !taken.has(role)) {
      roles[index] = role;
      taken.add(role);
    }
  });
  folders.forEach((folder, index) => {
    if (roles[index] !== undefined) return;
    const role = roleFromName(folder.path);
    if (role !== undefined && !taken.has(role)) {
      roles[index] = role;
      taken.add(role);
    }
  });
  return roles;
}
