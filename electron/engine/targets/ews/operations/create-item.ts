import type { ErrorInfo } from '../../../../contract/index.js';
import type { ItemOutcome } from '../../target.js';
import { itemErrorFor } from '../errors.js';
import type { EwsClient } from '../soap/client.js';
import { child, responseMessages } from '../soap/parse.js';
import { NS_TYPES, XmlChunks } from '../soap/xml.js';
import { folderIdXml } from './folder-ref.js';

/**
 * CreateItem, our own SOAP rather than ews-javascript-api's CreateItems: the library builds the whole
 * request as one string (4–5× the MIME size in memory, ews-graph.md §4), parses calendar dates in
 * the host's zone, and cannot hand back BackOffMilliseconds per item. Here the MIME goes out as
 * base64 chunks and every item's answer is read on its own.
 */
export function createItemBody(folderTargetId: string, items: readonly XmlChunks[], mailbox: string): XmlChunks {
  const out = new XmlChunks();
  // MessageDisposition is required for messages, SendMeetingInvitations for calendar items; both are
  // harmless for the other kinds, so every batch carries both and nothing is ever sent.
  out.push(`<m:CreateItem MessageDisposition="SaveOnly" SendMeetingInvitations="SendToNone"><m:SavedItemFolderId>${folderIdXml(folderTargetId, mailbox)}</m:SavedItemFolderId><m:Items>`);
  for (const item of items) out.append(item);
  out.push('</m:Items></m:CreateItem>');
  return out;
}

export async function createItems(client: EwsClient, folderTargetId: string, items: readonly XmlChunks[], signal: AbortSignal): Promise<ItemOutcome[]> {
  const root = await client.call('CreateItem', createItemBody(folderTargetId, items, client.options.mailbox), signal);
  const messages = responseMessages(root);
  return items.map((_, index): ItemOutcome => {
    const message = messages[index];
    if (!message) return { ok: false, error: { code: 'TARGET_FAILED', message: 'Exchange gave no answer for this item', retryable: true } satisfies ErrorInfo };
    if (message.responseClass === 'Error' || message.responseCode !== 'NoError') {
      return { ok: false, error: itemErrorFor(message.responseCode, message.messageText, message.backOffMs, client.options.maxItemMb, client.auth.kind) };
    }
    const holder = child(message.element, 'Items');
    const created = holder ? (child(holder, 'Message', NS_TYPES) ?? firstElement(holder)) : undefined;
    const id = created ? child(created, 'ItemId', NS_TYPES)?.getAttribute('Id') : undefined;
    if (!id) return { ok: false, error: { code: 'TARGET_FAILED', message: 'Exchange reported success without an item id', retryable: true } };
    return { ok: true, targetId: id };
  });
}

function firstElement(node: Parameters<typeof child>[0]) {
  for (let i = 0; i < node.childNodes.length; i += 1) {
    const candidate = node.childNodes.item(i) as { nodeType?: number };
    if (candidate.nodeType === 1) return candidate as Parameters<typeof child>[0];
  }
  return undefined;
}
