import { NS_MESSAGES, NS_SOAP, NS_TYPES, XmlChunks, escapeText } from './xml.js';

/** Exchange2013_SP1 is the lowest version that has everything we send and what ews-javascript-api uses. */
export const requestServerVersion = 'Exchange2013_SP1';

export interface EnvelopeOptions {
  /** App-only OAuth: every request names the mailbox it acts for (ExchangeImpersonation). */
  impersonate?: string;
}

/** Wraps a body (the `m:Operation` element) in a SOAP 1.1 envelope with the EWS headers. */
export function envelope(body: XmlChunks | string, options: EnvelopeOptions = {}): XmlChunks {
  const out = new XmlChunks();
  out.push(
    `<?xml version="1.0" encoding="utf-8"?>` +
      `<soap:Envelope xmlns:soap="${NS_SOAP}" xmlns:t="${NS_TYPES}" xmlns:m="${NS_MESSAGES}">` +
      `<soap:Header><t:RequestServerVersion Version="${requestServerVersion}"/>`,
  );
  if (options.impersonate !== undefined) {
    out.push(
      `<t:ExchangeImpersonation><t:ConnectingSID><t:SmtpAddress>${escapeText(options.impersonate)}</t:SmtpAddress></t:ConnectingSID></t:ExchangeImpersonation>`,
    );
  }
  out.push('</soap:Header><soap:Body>');
  if (typeof body === 'string') out.push(body);
  else out.append(body);
  out.push('</soap:Body></soap:Envelope>');
  return out;
}
