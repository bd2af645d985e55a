import { DOMParser } from '@xmldom/xmldom';

import { CloudwardError } from '../../../../contract/index.js';
import { backOffMilliseconds } from '../../exchange/back-off.js';
import { NS_MESSAGES, NS_SOAP, NS_TYPES } from './xml.js';

// xmldom's own Element type; only the members we use.
export interface XElement {
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly childNodes: { readonly length: number; item(index: number): unknown };
  getAttribute(name: string): string | null;
}

/** Parses a whole response; a body that is not XML becomes a retryable TARGET_FAILED (a proxy's HTML page, a cut-off answer). */
export function parseXml(text: string): XElement {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => undefined, error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) },
  }).parseFromString(text, 'text/xml');
  const root = doc.documentElement as unknown as XElement | null;
  if (!root || errors.length > 0 || root.localName !== 'Envelope') {
    throw new CloudwardError('TARGET_FAILED', `The server's answer is not a SOAP message (${errors[0] ?? text.slice(0, 80).replace(/\s+/g, ' ')})`);
  }
  return root;
}

function isElement(node: unknown): node is XElement {
  return typeof node === 'object' && node !== null && (node as { nodeType?: number }).nodeType === 1;
}

export function children(node: XElement, local?: string, ns?: string): XElement[] {
  const out: XElement[] = [];
  for (let i = 0; i < node.childNodes.length; i += 1) {
    const child = node.childNodes.item(i);
    if (!isElement(child)) continue;
    if (local !== undefined && child.localName !== local) continue;
    if (ns !== undefined && child.namespaceURI !== ns) continue;
    out.push(child);
  }
  return out;
}

export function child(node: XElement, local: string, ns?: string): XElement | undefined {
  return children(node, local, ns)[0];
}

/** Depth-first search for the first element with this local name. */
export function find(node: XElement, local: string, ns?: string): XElement | undefined {
  for (const c of children(node)) {
    if (c.localName === local && (ns === undefined || c.namespaceURI === ns)) return c;
    const deeper = find(c, local, ns);
    if (deeper) return deeper;
  }
  return undefined;
}

export function findAll(node: XElement, local: string, ns?: string, out: XElement[] = []): XElement[] {
  for (const c of children(node)) {
    if (c.localName === local && (ns === undefined || c.namespaceURI === ns)) out.push(c);
    findAll(c, local, ns, out);
  }
  return out;
}

export function textOf(node: XElement | undefined): string | undefined {
  return node?.textContent ?? undefined;
}

export interface ResponseMessage {
  responseClass: 'Success' | 'Warning' | 'Error';
  responseCode: string;
  messageText: string;
  /** BackOffMilliseconds from MessageXml, when the server gave one. */
  backOffMs: number | undefined;
  /** InnerErrorResponseCode / InnerErrorMessageText from MessageXml (ErrorInternalServerError wraps the real cause). */
  innerCode: string | undefined;
  innerText: string;
  element: XElement;
}

function namedValue(node: XElement, name: string): string | undefined {
  for (const value of findAll(node, 'Value', NS_TYPES)) if (value.getAttribute('Name') === name) return value.textContent ?? '';
  return undefined;
}

function backOffFrom(node: XElement): number | undefined {
  for (const value of findAll(node, 'Value', NS_TYPES)) {
    if (value.getAttribute('Name') === 'BackOffMilliseconds') return backOffMilliseconds(value.textContent);
  }
  return undefined;
}

/** The `m:XResponseMessage` elements of a 200 answer, in order. */
export function responseMessages(root: XElement): ResponseMessage[] {
  const body = child(root, 'Body', NS_SOAP);
  const holder = body ? find(body, 'ResponseMessages', NS_MESSAGES) : undefined;
  if (!holder) throw new CloudwardError('TARGET_FAILED', 'The server answered without ResponseMessages');
  return children(holder).map((element) => ({
    responseClass: (element.getAttribute('ResponseClass') ?? 'Error') as ResponseMessage['responseClass'],
    responseCode: textOf(child(element, 'ResponseCode', NS_MESSAGES)) ?? 'ErrorInternalServerError',
    messageText: textOf(child(element, 'MessageText', NS_MESSAGES)) ?? '',
    backOffMs: backOffFrom(element),
    innerCode: namedValue(element, 'InnerErrorResponseCode'),
    innerText: namedValue(element, 'InnerErrorMessageText') ?? '',
    element,
  }));
}

/** responseMessages of an answer that may have none (an operation without ResponseMessages). */
export function responseMessagesIfAny(root: XElement): ResponseMessage[] {
  const body = child(root, 'Body', NS_SOAP);
  return body && find(body, 'ResponseMessages', NS_MESSAGES) ? responseMessages(root) : [];
}

export interface SoapFault {
  faultString: string;
  responseCode: string | undefined;
  backOffMs: number | undefined;
}

export function soapFault(root: XElement): SoapFault | undefined {
  const body = child(root, 'Body', NS_SOAP);
  const fault = body ? child(body, 'Fault', NS_SOAP) : undefined;
  if (!fault) return undefined;
  const detail = child(fault, 'detail') ?? fault;
  return {
    faultString: textOf(child(fault, 'faultstring')) ?? '',
    responseCode: textOf(find(detail, 'ResponseCode')) ?? textOf(child(fault, 'faultcode'))?.replace(/^.*:/, ''),
    backOffMs: backOffFrom(detail),
  };
}
