import type { MailItem } from '../../../model/items.js';
import { XmlChunks, pushBase64 } from '../soap/xml.js';
import { categories, sourceKeyProperty, tagProperty } from './common.js';

/** MAPI tags (MS-OXPROPS) that make an imported MIME message a received item with its own dates. */
export const PR_MESSAGE_FLAGS = 0x0e07;
export const PR_MESSAGE_DELIVERY_TIME = 0x0e06;
export const PR_CLIENT_SUBMIT_TIME = 0x0039;
export const PR_FLAG_STATUS = 0x1090;
export const PR_LAST_VERB_EXECUTED = 0x1081;
export const PR_ICON_INDEX = 0x1080;
export const MSGFLAG_READ = 0x1;
export const MSGFLAG_UNSENT = 0x8;

export function messageFlags(item: MailItem): number {
  // Leaving MSGFLAG_UNSENT out is what makes the item "not a draft" (ews-graph.md §2.1); a source draft stays one.
  return (item.flags.seen ? MSGFLAG_READ : 0) | (item.flags.draft ? MSGFLAG_UNSENT : 0);
}

/** IMAP keywords that are labels rather than system flags ($Forwarded, $MDNSent, \Seen ...). */
export function labelKeywords(keywords: readonly string[]): string[] {
  return keywords.filter((keyword) => !keyword.startsWith('$') && !keyword.startsWith('\\') && !/^(junk|nonjunk|notjunk)$/i.test(keyword));
}

/** `<t:Message>` with MimeContent and the extended properties, in schema order (ItemType part only). */
export function messageXml(item: MailItem, mime: Uint8Array, keyHash: string): XmlChunks {
  const out = new XmlChunks();
  out.push('<t:Message><t:MimeContent CharacterSet="UTF-8">');
  pushBase64(out, mime);
  out.push('</t:MimeContent>');
  let tail = categories([...item.categories, ...labelKeywords(item.keywords)]);
  tail += tagProperty(PR_MESSAGE_FLAGS, 'Integer', messageFlags(item));
  const received = item.receivedAt ?? item.sentAt;
  if (received) tail += tagProperty(PR_MESSAGE_DELIVERY_TIME, 'SystemTime', received);
  if (item.sentAt) tail += tagProperty(PR_CLIENT_SUBMIT_TIME, 'SystemTime', item.sentAt);
  if (item.flags.flagged) tail += tagProperty(PR_FLAG_STATUS, 'Integer', 2);
  // Outlook's reply/forward icons: PR_ICON_INDEX 0x105 replied / 0x106 forwarded (MS-OXOMSG PidTagIconIndex) beside
  // PR_LAST_VERB_EXECUTED 102 / 104 (MS-OXOMSG PidTagLastVerbExecuted); Outlook draws the icon from the first.
  if (item.flags.answered) tail += tagProperty(PR_LAST_VERB_EXECUTED, 'Integer', 102) + tagProperty(PR_ICON_INDEX, 'Integer', 0x105);
  else if (item.flags.forwarded) tail += tagProperty(PR_LAST_VERB_EXECUTED, 'Integer', 104) + tagProperty(PR_ICON_INDEX, 'Integer', 0x106);
  tail += sourceKeyProperty(keyHash);
  out.push(`${tail}</t:Message>`);
  return out;
}
