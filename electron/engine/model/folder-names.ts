import type { SpecialFolder } from '../../contract/index.js';

/**
 * Names that mean a special folder when a source has nothing better (no SPECIAL-USE, no entry ids):
 * English, Dutch, French and German as clients and servers create them. Compared case-insensitively.
 */
const names: Record<SpecialFolder, readonly string[]> = {
  inbox: ['inbox', 'postvak in', 'boîte de réception', 'boite de reception', 'posteingang'],
  sent: ['sent', 'sent items', 'sent messages', 'sent mail', 'verzonden', 'verzonden items', 'verzonden berichten', 'éléments envoyés', 'elements envoyes', 'messages envoyés', 'envoyés', 'gesendet', 'gesendete elemente', 'gesendete objekte', 'gesendete nachrichten'],
  drafts: ['drafts', 'draft', 'concepten', 'concept', 'brouillons', 'brouillon', 'entwürfe', 'entwuerfe', 'entwurf'],
  deleted: ['trash', 'deleted', 'deleted items', 'deleted messages', 'bin', 'prullenbak', 'verwijderde items', 'verwijderde berichten', 'éléments supprimés', 'elements supprimes', 'messages supprimés', 'corbeille', 'papierkorb', 'gelöschte elemente', 'geloeschte elemente', 'gelöschte objekte', 'gelöscht'],
  junk: ['junk', 'junk email', 'junk e-mail', 'junk mail', 'spam', 'bulk mail', 'ongewenste e-mail', 'ongewenste mail', 'courrier indésirable', 'courrier indesirable', 'indésirables', 'pourriel', 'junk-e-mail', 'spamverdacht', 'unerwünscht'],
  outbox: ['outbox', 'postvak uit', "boîte d'envoi", "boite d'envoi", 'postausgang'],
  archive: ['archive', 'archives', 'archief', 'archiv'],
  contacts: ['contacts', 'contactpersonen', 'kontakte'],
  calendar: ['calendar', 'agenda', 'calendrier', 'kalender'],
  tasks: ['tasks', 'taken', 'tâches', 'taches', 'aufgaben'],
  notes: ['notes', 'notities', 'notizen'],
  journal: ['journal', 'logboek'],
};

const byName = new Map<string, SpecialFolder>();
for (const [role, list] of Object.entries(names) as [SpecialFolder, readonly string[]][]) {
  for (const name of list) byName.set(name, role);
}

/** The special role a folder name suggests, if any. Only top-level folders should be matched by name. */
export function specialFolderByName(name: string): SpecialFolder | undefined {
  return byName.get(name.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('en'));
}

/** Roles a folder of mail can have: an IMAP folder called "Calendar" still holds mail. */
export const mailRoles: ReadonlySet<SpecialFolder> = new Set(['inbox', 'sent', 'drafts', 'deleted', 'junk', 'outbox', 'archive']);
