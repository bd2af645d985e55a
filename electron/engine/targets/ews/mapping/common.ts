import { ewsSourceKeyFieldUri, ewsSourceKeyProperty, sourceKeyHash, sourceKeyPropertyName } from '../../exchange/source-key.js';
import { el, escapeAttr, escapeText, utcDateTime } from '../soap/xml.js';

// The source-key property is defined once for EWS and Graph (exchange/source-key.ts).
export { sourceKeyHash, sourceKeyPropertyName };
export const sourceKeyFieldUri = ewsSourceKeyFieldUri;
export const sourceKeyProperty = ewsSourceKeyProperty;

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
