/**
 * Well-known folders, identified by role rather than by (often localized) name: a source says which
 * role a folder has; a target maps the role to its own well-known folder.
 */
export const specialFolders = [
  'inbox',
  'sent',
  'drafts',
  'deleted',
  'junk',
  'outbox',
  'archive',
  'contacts',
  'calendar',
  'tasks',
  'notes',
  'journal',
] as const;

export type SpecialFolder = (typeof specialFolders)[number];

/** The English name a target uses when it has to create a special folder by name. */
export const specialFolderNames: Record<SpecialFolder, string> = {
  inbox: 'Inbox',
  sent: 'Sent Items',
  drafts: 'Drafts',
  deleted: 'Deleted Items',
  junk: 'Junk Email',
  outbox: 'Outbox',
  archive: 'Archive',
  contacts: 'Contacts',
  calendar: 'Calendar',
  tasks: 'Tasks',
  notes: 'Notes',
  journal: 'Journal',
};
