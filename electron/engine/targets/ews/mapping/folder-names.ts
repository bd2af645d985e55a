import type { ItemKind, SpecialFolder } from '../../../../contract/index.js';

/** Distinguished folder ids for source roles (ews-graph.md §2.2); 'archive' has none in the 2018 schema and is found by name. */
export const distinguishedFor: Partial<Record<SpecialFolder, string>> = {
  inbox: 'inbox',
  sent: 'sentitems',
  drafts: 'drafts',
  deleted: 'deleteditems',
  junk: 'junkemail',
  outbox: 'outbox',
  contacts: 'contacts',
  calendar: 'calendar',
  tasks: 'tasks',
  notes: 'notes',
  journal: 'journal',
};

export function folderClassFor(holds: ItemKind | undefined): string {
  switch (holds) {
    case 'contact':
    case 'distlist':
      return 'IPF.Contact';
    case 'event':
      return 'IPF.Appointment';
    case 'task':
      return 'IPF.Task';
    case 'note':
      return 'IPF.StickyNote';
    default:
      return 'IPF.Note';
  }
}
