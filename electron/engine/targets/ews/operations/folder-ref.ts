import { escapeAttr } from '../soap/xml.js';

/**
 * Target folder ids: an Exchange FolderId, or "@name" for a distinguished folder (FolderIds never start with "@").
 * A DistinguishedFolderId always names the target mailbox: without <t:Mailbox> (and without impersonation) it
 * means the CALLER's folder, and X-AnchorMailbox only routes (EWSREF:distinguishedfolderid), so an admin login
 * would fill the admin's own Inbox (issue 9 point 1).
 */
export function folderIdXml(targetId: string, mailbox: string | undefined): string {
  if (targetId.startsWith('@')) {
    const owner = mailbox === undefined ? '' : `<t:Mailbox><t:EmailAddress>${escapeAttr(mailbox)}</t:EmailAddress></t:Mailbox>`;
    return owner ? `<t:DistinguishedFolderId Id="${escapeAttr(targetId.slice(1))}">${owner}</t:DistinguishedFolderId>` : `<t:DistinguishedFolderId Id="${escapeAttr(targetId.slice(1))}"/>`;
  }
  return `<t:FolderId Id="${escapeAttr(targetId)}"/>`;
}

export function distinguished(name: string): string {
  return `@${name}`;
}
