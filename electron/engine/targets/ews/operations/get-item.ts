import { errorFromInfo, itemErrorFor } from '../errors.js';
import type { EwsClient } from '../soap/client.js';
import { child, children, find, responseMessages, type XElement } from '../soap/parse.js';
import { NS_TYPES, escapeAttr } from '../soap/xml.js';

export function getItemBody(itemId: string, fieldUris: readonly string[], extendedTags: readonly string[]): string {
  const fields = fieldUris.map((uri) => `<t:FieldURI FieldURI="${uri}"/>`).join('');
  const extended = extendedTags.map((tag) => `<t:ExtendedFieldURI PropertyTag="${tag.split(':')[0]}" PropertyType="${tag.split(':')[1]}"/>`).join('');
  return (
    `<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties>${fields}${extended}</t:AdditionalProperties></m:ItemShape>` +
    `<m:ItemIds><t:ItemId Id="${escapeAttr(itemId)}"/></m:ItemIds></m:GetItem>`
  );
}

export interface ReadItem {
  element: XElement;
  field(local: string): string | undefined;
  /** Extended property by tag number, e.g. 0x0E07. */
  extended(tag: number): string | undefined;
}

/** GetItem for one item, back as a small accessor over the answer. */
export async function getItem(client: EwsClient, itemId: string, fieldUris: readonly string[], extendedTags: readonly string[], signal: AbortSignal): Promise<ReadItem> {
  const root = await client.call('GetItem', getItemBody(itemId, fieldUris, extendedTags), signal);
  const [message] = responseMessages(root);
  if (!message || message.responseCode !== 'NoError') {
    throw errorFromInfo(itemErrorFor(message?.responseCode ?? 'ErrorItemNotFound', message?.messageText ?? '', message?.backOffMs, client.options.maxItemMb));
  }
  const items = find(message.element, 'Items');
  const element = items ? children(items)[0] : undefined;
  if (!element) throw errorFromInfo(itemErrorFor('ErrorItemNotFound', 'GetItem returned no item', undefined, client.options.maxItemMb));
  return {
    element,
    field: (local) => find(element, local, NS_TYPES)?.textContent ?? undefined,
    extended: (tag) => {
      for (const property of children(element, 'ExtendedProperty', NS_TYPES)) {
        const raw = child(property, 'ExtendedFieldURI', NS_TYPES)?.getAttribute('PropertyTag');
        if (raw !== null && raw !== undefined && Number(raw) === tag) return child(property, 'Value', NS_TYPES)?.textContent ?? undefined;
      }
      return undefined;
    },
  };
}
