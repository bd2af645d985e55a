/**
 * Source keys and checkpoints, scoped per folder. The folder path is JSON so a name containing the
 * delimiter, ':' or '/' can never collide with another folder's key.
 */
export function folderScope(path: readonly string[]): string {
  return `imap:${JSON.stringify(path)}`;
}

export function folderKeyPrefix(path: readonly string[], uidValidity?: string): string {
  return uidValidity === undefined ? `${folderScope(path)}:` : `${folderScope(path)}:${uidValidity}:`;
}

export function mailKey(path: readonly string[], uidValidity: string, uid: number): string {
  return `${folderKeyPrefix(path, uidValidity)}${uid}`;
}

/** The UID at the end of a key under `prefix`, or undefined for a key of another shape. */
export function uidFromKey(key: string, prefix: string): number | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

export interface FolderCheckpoint {
  uidValidity: string;
  lastUid: number;
}

export function formatCheckpoint(checkpoint: FolderCheckpoint): string {
  return `${checkpoint.uidValidity}:${checkpoint.lastUid}`;
}

export function parseCheckpoint(value: string | undefined): FolderCheckpoint | undefined {
  const match = value === undefined ? null : /^(\d+):(\d+)$/.exec(value);
  if (!match) return undefined;
  return { uidValidity: match[1] ?? '', lastUid: Number(match[2]) };
}

/** Compact UID set for a command: 1:3,7,9:10. */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = sorted[0];
  let prev = start;
  for (let i = 1; i <= sorted.length; i++) {
    const uid = sorted[i];
    if (uid !== undefined && prev !== undefined && uid === prev + 1) {
      prev = uid;
      continue;
    }
    if (start !== undefined && prev !== undefined) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
    start = uid;
    prev = uid;
  }
  return parts.join(',');
}
