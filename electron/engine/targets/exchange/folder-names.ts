/**
 * Names Exchange Online keeps for its own folders at the top of the mailbox. A source folder that is
 * not that folder but carries its name would be merged into it (Exchange compares names without
 * case), so it gets a suffix instead.
 */
export const reservedTopLevelNames = new Set(
  [
    'Inbox',
    'Sent Items',
    'Deleted Items',
    'Drafts',
    'Junk Email',
    'Outbox',
    'Archive',
    'Calendar',
    'Contacts',
    'Tasks',
    'Notes',
    'Journal',
    'Conversation History',
    'RSS Feeds',
    'RSS Subscriptions',
    'Sync Issues',
    'Conflicts',
    'Local Failures',
    'Server Failures',
    'Recoverable Items',
    'Clutter',
    'Files',
    'Yammer Root',
    'ExternalContacts',
    'PersonMetadata',
    'Social Activity Notifications',
    'Quick Step Settings',
    'Conversation Action Settings',
    'Scheduled',
    'Outbound',
  ].map((name) => name.toLowerCase()),
);

export const reservedSuffix = ' (migrated)';

export interface NameDecision {
  name: string;
  /** Why the name differs from the source's, for the report. */
  note?: string;
}

/** A single folder name made acceptable to Exchange; "/" is the path separator in many clients and tools. */
export function cleanName(raw: string, topLevel: boolean): NameDecision {
  const notes: string[] = [];
  let name = raw.replace(/\//g, '_');
  if (name !== raw) notes.push('"/" replaced by "_"');
  // eslint-disable-next-line no-control-regex
  const withoutControls = name.replace(/[\u0000-\u001F]/g, '').trim();
  if (withoutControls !== name) notes.push('control characters or outer spaces removed');
  name = withoutControls === '' ? '(no name)' : withoutControls;
  if (name.length > 255) {
    name = name.slice(0, 255);
    notes.push('shortened to 255 characters');
  }
  if (topLevel && reservedTopLevelNames.has(name.toLowerCase())) {
    name = `${name}${reservedSuffix}`;
    notes.push('name is reserved for an Exchange folder');
  }
  return notes.length === 0 ? { name } : { name, note: notes.join('; ') };
}
