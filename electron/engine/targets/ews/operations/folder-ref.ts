import { escapeAttr } from '../soap/xml.js';

/** Target folder ids: an Exchange FolderId, or "@name" for a distinguished folder (FolderIds never start with "@"). */
export function folderIdXml(targetId: string, mailbox?: string): string {
  if (targetId.startsWith('@')) {
    const owner = mailbox === undefined ? '' : `<t:Mailbox><t:EmailAddress>${escapeAttr(mailbox)}</t:EmailAddress></t:Mailbox>`;
    return owner ? `<t:DistinguishedFolderId Id="${escapeAttr(targetId.slice(1))}">${owner}</t:DistinguishedFolderId>` : `<t:DistinguishedFolderId Id="${escapeAttr(targetId.slice(1))}"/>`;
  }
  return `<t:FolderId Id="${escapeAttr(targetId)}"/>`;
}

export function distinguished(name: string): string {
  return `@${name}`;
}
