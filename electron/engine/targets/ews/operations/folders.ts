import { CloudwardError } from '../../../../contract/index.js';
import { errorFromInfo, itemErrorFor } from '../errors.js';
import type { EwsClient } from '../soap/client.js';
import { child, children, find, responseMessages, type ResponseMessage, type XElement } from '../soap/parse.js';
import { escapeAttr, escapeText, NS_TYPES } from '../soap/xml.js';
import { folderIdXml } from './folder-ref.js';

/** CreateFolder's element per folder class (EWSREF:createfolder: Folder, CalendarFolder, ContactsFolder, TasksFolder). */
const folderElement: Record<string, string> = { 'IPF.Contact': 't:ContactsFolder', 'IPF.Appointment': 't:CalendarFolder', 'IPF.Task': 't:TasksFolder' };

const displayName = '<t:FieldURI FieldURI="folder:DisplayName"/>';

export function getFolderBody(targetId: string, mailbox: string): string {
  return `<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape><m:FolderIds>${folderIdXml(targetId, mailbox)}</m:FolderIds></m:GetFolder>`;
}

export function findFolderBody(parentId: string, name: string, mailbox: string): string {
  return (
    `<m:FindFolder Traversal="Shallow"><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>${displayName}</t:AdditionalProperties></m:FolderShape>` +
    '<m:IndexedPageFolderView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/>' +
    `<m:Restriction><t:IsEqualTo>${displayName}<t:FieldURIOrConstant><t:Constant Value="${escapeAttr(name)}"/></t:FieldURIOrConstant></t:IsEqualTo></m:Restriction>` +
    `<m:ParentFolderIds>${folderIdXml(parentId, mailbox)}</m:ParentFolderIds></m:FindFolder>`
  );
}

export function createFolderBody(parentId: string, name: string, folderClass: string, mailbox: string): string {
  const element = folderElement[folderClass] ?? 't:Folder';
  // Schema order of BaseFolderType: FolderClass before DisplayName. Typed folders carry their class already.
  const classXml = folderClass === 'IPF.Note' || folderClass === 'IPF.StickyNote' ? `<t:FolderClass>${escapeText(folderClass)}</t:FolderClass>` : '';
  return `<m:CreateFolder><m:ParentFolderId>${folderIdXml(parentId, mailbox)}</m:ParentFolderId><m:Folders><${element}>${classXml}<t:DisplayName>${escapeText(name)}</t:DisplayName></${element}></m:Folders></m:CreateFolder>`;
}

/**
 * Folder operations in our own SOAP, like every other request: ews-javascript-api did these three small
 * requests before, and loading it cost ~48 MB of every run's memory for them (issue 15). Only NTLM still loads it.
 */
export class FolderOperations {
  constructor(private readonly client: EwsClient) {}

  private async one(operation: string, body: string, signal: AbortSignal): Promise<ResponseMessage> {
    const [message] = responseMessages(await this.client.call(operation, body, signal));
    if (!message) throw new CloudwardError('TARGET_FAILED', `Exchange answered ${operation} without a result`);
    if (message.responseClass === 'Error' || message.responseCode !== 'NoError') {
      const { maxItemMb } = this.client.options;
      throw errorFromInfo(itemErrorFor(message.responseCode, `${operation}: ${message.messageText}`, message.backOffMs, maxItemMb, this.client.auth.kind));
    }
    return message;
  }

  /** Access check before the job: GetFolder msgfolderroot (a 403 here means EWS is blocked, ews-graph.md §3.6). */
  async probe(signal: AbortSignal): Promise<void> {
    await this.one('GetFolder', getFolderBody('@msgfolderroot', this.client.options.mailbox), signal);
  }

  /** Children of `parentId` whose display name equals `name` (Exchange compares without case). */
  async findChild(parentId: string, name: string, signal: AbortSignal): Promise<{ id: string; name: string } | undefined> {
    const message = await this.one('FindFolder', findFolderBody(parentId, name, this.client.options.mailbox), signal);
    const folders = find(message.element, 'Folders', NS_TYPES);
    const first = folders ? children(folders)[0] : undefined;
    const id = first ? folderIdOf(first) : undefined;
    return first && id ? { id, name: child(first, 'DisplayName', NS_TYPES)?.textContent ?? name } : undefined;
  }

  async create(parentId: string, name: string, folderClass: string, signal: AbortSignal): Promise<string> {
    const message = await this.one('CreateFolder', createFolderBody(parentId, name, folderClass, this.client.options.mailbox), signal);
    const folders = child(message.element, 'Folders');
    const created = folders ? children(folders)[0] : undefined;
    const id = created ? folderIdOf(created) : undefined;
    if (!id) throw new CloudwardError('TARGET_FAILED', 'Exchange reported CreateFolder success without a folder id');
    return id;
  }
}

function folderIdOf(folder: XElement): string | undefined {
  return child(folder, 'FolderId', NS_TYPES)?.getAttribute('Id') ?? undefined;
}
