import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  t: 'http://schemas.microsoft.com/exchange/services/2006/types',
  m: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  e: 'http://schemas.microsoft.com/exchange/services/2006/errors',
} as const;

export interface ParsedRequest {
  readonly operation: Element | null;
  readonly header: Element | null;
  readonly parseErrors: string[];
}

export function parseRequest(xml: string): ParsedRequest {
  const parseErrors: string[] = [];
  // An empty body (or one the peer did not keep, such as an over-long request) is no document at all.
  if (xml.trim() === '') return { operation: null, header: null, parseErrors: ['empty request body'] };
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m: string) => parseErrors.push(m), fatalError: (m: string) => parseErrors.push(m) },
  }).parseFromString(xml, 'text/xml');
  const env = doc.documentElement;
  if (!env || env.localName !== 'Envelope') return { operation: null, header: null, parseErrors };
  const header = childNS(env, NS.soap, 'Header') ?? child(env, 'Header');
  const body = childNS(env, NS.soap, 'Body') ?? child(env, 'Body');
  return { operation: body ? (children(body)[0] ?? null) : null, header: header ?? null, parseErrors };
}

export function children(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

export function child(el: Element, localName: string): Element | undefined {
  return children(el).find((c) => c.localName === localName);
}

export function childNS(el: Element, ns: string, localName: string): Element | undefined {
  return children(el).find((c) => c.localName === localName && c.namespaceURI === ns);
}

export function childrenNamed(el: Element, localName: string): Element[] {
  return children(el).filter((c) => c.localName === localName);
}

/** First descendant with this local name (depth-first). */
export function descendant(el: Element, localName: string): Element | undefined {
  for (const c of children(el)) {
    if (c.localName === localName) return c;
    const d = descendant(c, localName);
    if (d) return d;
  }
  return undefined;
}

export function text(el: Element | undefined): string | undefined {
  return el ? (el.textContent ?? '') : undefined;
}

export function attr(el: Element | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  return el.getAttribute(name) ?? undefined;
}

export function attributes(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < el.attributes.length; i++) {
    const a = el.attributes.item(i);
    if (a && !a.name.startsWith('xmlns')) out[a.name] = a.value;
  }
  return out;
}

export function serialize(el: Element): string {
  return new XMLSerializer().serializeToString(el);
}

export function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
