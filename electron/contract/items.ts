export const itemKinds = [
  'mail',
  'contact',
  'distlist',
  'event',
  'task',
  'note',
  'journal',
  'autocomplete',
] as const;
export type ItemKind = (typeof itemKinds)[number];

export const itemStates = ['pending', 'done', 'skipped', 'failed'] as const;
export type ItemState = (typeof itemStates)[number];
