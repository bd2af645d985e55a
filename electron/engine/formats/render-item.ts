import ICAL from 'ical.js';

import type { SourceItem, MailItem } from '../model/items.js';
import { renderContact, renderDistributionList } from './vcard.js';
import { renderEvent, renderNote, renderTask } from './icalendar.js';

/**
 * Typed (non-mail) items as files a person can open: vCard 3.0 for contacts and distribution lists
 * (the version Outlook, Gmail and Apple Contacts all import), iCalendar for events, tasks, notes and
 * journal entries. Notes and journal entries become VJOURNAL: the one iCalendar component meant for
 * dated free text, and the one that keeps a journal entry's start/end and type (as CATEGORIES).
 */
export function renderTypedItem(item: Exclude<SourceItem, MailItem>): { extension: string; content: string } {
  switch (item.kind) {
    case 'contact':
      return { extension: '.vcf', content: renderContact(item.contact, item.key) };
    case 'distlist':
      return { extension: '.vcf', content: renderDistributionList(item.list, item.key) };
    case 'event':
      return { extension: '.ics', content: renderEvent(item.event) };
    case 'task':
      return { extension: '.ics', content: renderTask(item.task) };
    case 'note':
    case 'journal':
      return { extension: '.ics', content: renderNote(item.note, item.key) };
    case 'autocomplete': {
      const card = new ICAL.Component('vcard');
      card.addPropertyWithValue('version', '3.0');
      card.addPropertyWithValue('fn', item.entry.displayName ?? item.entry.address);
      card.addPropertyWithValue('email', item.entry.address);
      return { extension: '.vcf', content: card.toString() + '\r\n' };
    }
  }
}
