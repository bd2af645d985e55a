import { createHash } from 'node:crypto';

import { el, escapeAttr, escapeText, utcDateTime } from '../soap/xml.js';

/**
 * Our own named property, set on every item we create, carrying a hash of the source key. After a
 * crash, FindItem on it tells which items already reached Exchange (reconcile), so a resume never
 * writes one twice. PublicStrings keeps it readable by any MAPI client.
 */
export const sourceKeyPropertyName = 'CloudwardSourceKey';

export function sourceKeyHash(mailbox: string, sourceKey: string): string {
  return createHash('sha256').update(`${mailbox.toLowerCase()}\n${sourceKey}`).digest('hex');
}

export const sourceKeyFieldUri = `<t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="${sourceKeyPropertyName}" PropertyType="String"/>`;

export function sourceKeyProperty(hash: string): string {
  return `<t:ExtendedProperty>${sourceKeyFieldUri}<t:Value>${hash}</t:Value></t:ExtendedProperty>`;
}

export type PropertyType = 'Integer' | 'SystemTime' | 'String' | 'Boolean';

export function tagProperty(tag: number, type: PropertyType, value: string | number | boolean | Date): string {
  const text = value instanceof Date ? utcDateTime(value) : String(value);
  return `<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x${tag.toString(16).padStart(4, '0').toUpperCase()}" PropertyType="${type}"/><t:Value>${escapeText(text)}</t:Value></t:ExtendedProperty>`;
}

export function categories(values: readonly string[]): string {
  const unique = [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
  if (unique.length === 0) return '';
  return `<t:Categories>${unique.map((value) => el('t:String', value)).join('')}</t:Categories>`;
}

export function body(text: string | undefined, html?: string): string {
  if (html !== undefined && html !== '') return `<t:Body BodyType="HTML">${escapeText(html)}</t:Body>`;
  if (text === undefined || text === '') return '';
  return `<t:Body BodyType="Text">${escapeText(text)}</t:Body>`;
}

export function importance(value: 'low' | 'normal' | 'high' | undefined): string {
  return value === undefined ? '' : el('t:Importance', value === 'low' ? 'Low' : value === 'high' ? 'High' : 'Normal');
}

export function sensitivity(value: 'normal' | 'personal' | 'private' | 'confidential' | undefined): string {
  if (value === undefined) return '';
  return el('t:Sensitivity', value.charAt(0).toUpperCase() + value.slice(1));
}

export { escapeAttr };
