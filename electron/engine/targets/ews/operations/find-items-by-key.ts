import { CloudwardError } from '../../../../contract/index.js';
import { errorFromInfo, itemErrorFor } from '../errors.js';
import { sourceKeyFieldUri, sourceKeyPropertyName } from '../mapping/common.js';
import type { EwsClient } from '../soap/client.js';
import { child, children, find, responseMessages } from '../soap/parse.js';
import { NS_TYPES } from '../soap/xml.js';
import { folderIdXml } from './folder-ref.js';

/** FindItem restricted to our source-key property: which of these hashes already exist in the folder. */
export function findItemsByKeyBody(folderTargetId: string, hashes: readonly string[], mailbox: string): string {
  const tests = hashes.map((hash) => `<t:IsEqualTo>${sourceKeyFieldUri}<t:FieldURIOrConstant><t:Constant Value="${hash}"/></t:FieldURIOrConstant></t:IsEqualTo>`);
  const restriction = tests.length === 1 ? tests[0] : `<t:Or>${tests.join('')}</t:Or>`;
  return (
    '<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>' +
    `<t:AdditionalProperties>${sourceKeyFieldUri}</t:AdditionalProperties></m:ItemShape>` +
    `<m:IndexedPageItemView MaxEntriesReturned="${Math.max(10, hashes.length * 2)}" Offset="0" BasePoint="Beginning"/>` +
    `<m:Restriction>${restriction}</m:Restriction>` +
    `<m:ParentFolderIds>${folderIdXml(folderTargetId, mailbox)}</m:ParentFolderIds></m:FindItem>`
  );
}

/** hash → item id for the hashes found. */
export async function findItemsByKey(client: EwsClient, folderTargetId: string, hashes: readonly string[], signal: AbortSignal): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (hashes.length === 0) return found;
  const root = await client.call('FindItem', findItemsByKeyBody(folderTargetId, hashes, client.options.mailbox), signal);
  const [message] = responseMessages(root);
  // No answer is not "absent": the caller must not write the items again on it.
  if (!message) throw new CloudwardError('TARGET_FAILED', 'Exchange answered the reconcile lookup without a result');
  if (message.responseCode !== 'NoError') throw errorFromInfo(itemErrorFor(message.responseCode, message.messageText, message.backOffMs, client.options.maxItemMb));
  const items = find(message.element, 'Items', NS_TYPES);
  for (const item of items ? children(items) : []) {
    const id = child(item, 'ItemId', NS_TYPES)?.getAttribute('Id');
    for (const property of children(item, 'ExtendedProperty', NS_TYPES)) {
      const uri = child(property, 'ExtendedFieldURI', NS_TYPES);
      if (uri?.getAttribute('PropertyName') !== sourceKeyPropertyName) continue;
      const value = child(property, 'Value', NS_TYPES)?.textContent ?? '';
      if (id && hashes.includes(value) && !found.has(value)) found.set(value, id);
    }
  }
  return found;
}
