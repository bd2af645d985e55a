import { esc, NS } from './soap-xml.js';

/** Exchange Online's answer header (attributes as EXO sends them). */
const SERVER_VERSION =
  `<h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="8293" MinorBuildNumber="27" Version="V2018_01_08" ` +
  `xmlns:h="${NS.t}" xmlns="${NS.t}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>`;

export function envelope(bodyContent: string): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Header>${SERVER_VERSION}</s:Header>` +
    `<s:Body xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${bodyContent}</s:Body></s:Envelope>`
  );
}

/** `<m:OpResponse>` with one ResponseMessage per request element, in request order. */
export function operationResponse(operation: string, messages: readonly string[]): string {
  return envelope(
    `<m:${operation}Response xmlns:m="${NS.m}" xmlns:t="${NS.t}"><m:ResponseMessages>${messages.join('')}</m:ResponseMessages></m:${operation}Response>`,
  );
}

export function successMessage(operation: string, content: string): string {
  return `<m:${operation}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${content}</m:${operation}ResponseMessage>`;
}

export interface ErrorMessageOptions {
  /** Element Exchange still includes after the error (e.g. `<m:Items/>` for CreateItem). */
  readonly trailer?: string;
  readonly backOffMs?: number;
}

export function errorMessage(operation: string, code: string, text: string, options: ErrorMessageOptions = {}): string {
  const messageXml =
    options.backOffMs !== undefined ? `<m:MessageXml><t:Value Name="BackOffMilliseconds">${options.backOffMs}</t:Value></m:MessageXml>` : '';
  return (
    `<m:${operation}ResponseMessage ResponseClass="Error"><m:MessageText>${esc(text)}</m:MessageText>` +
    `<m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${messageXml}` +
    `${options.trailer ?? ''}</m:${operation}ResponseMessage>`
  );
}

/** A SOAP fault as Exchange sends it with HTTP 500 (ErrorServerBusy, ErrorSchemaValidation, ...). */
export function soapFault(code: string, text: string, messageXml = ''): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${NS.t}">a:${code}</faultcode><faultstring xml:lang="en-US">${esc(text)}</faultstring><detail>` +
    `<e:ResponseCode xmlns:e="${NS.e}">${code}</e:ResponseCode><e:Message xmlns:e="${NS.e}">${esc(text)}</e:Message>` +
    (messageXml ? `<t:MessageXml xmlns:t="${NS.t}">${messageXml}</t:MessageXml>` : '') +
    `</detail></s:Fault></s:Body></s:Envelope>`
  );
}

export const SERVER_BUSY_TEXT = 'The server cannot service this request right now. Try again later.';

export function serverBusyFault(backOffMs: number): string {
  return soapFault('ErrorServerBusy', SERVER_BUSY_TEXT, `<t:Value Name="BackOffMilliseconds">${Math.max(0, Math.round(backOffMs))}</t:Value>`);
}

export function connectionCountFault(): string {
  return soapFault('ErrorExceededConnectionCount', 'You have exceeded the available concurrent connections for your account.  Try again once your other requests have completed.');
}

export function schemaValidationFault(violation: string, line: number, position: number): string {
  return soapFault(
    'ErrorSchemaValidation',
    'The request failed schema validation.',
    `<t:LineNumber>${line}</t:LineNumber><t:LinePosition>${position}</t:LinePosition><t:Violation>${esc(violation)}</t:Violation>`,
  );
}

/**
 * HTTP 200 whose every response message is ErrorInternalServerError with an inner ErrorServerBusy and a
 * BackOffMilliseconds (EWSDOC:ews-throttling-in-exchange, throttling error table; the inner error travels in MessageXml).
 */
export function innerServerBusyAnswer(operation: string, count: number, backOffMs: number): string {
  const message =
    `<m:${operation}ResponseMessage ResponseClass="Error"><m:MessageText>An internal server error occurred. The operation failed., ${SERVER_BUSY_TEXT}</m:MessageText>` +
    `<m:ResponseCode>ErrorInternalServerError</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey><m:MessageXml>` +
    `<t:Value Name="InnerErrorMessageText">${esc(SERVER_BUSY_TEXT)}</t:Value><t:Value Name="InnerErrorResponseCode">ErrorServerBusy</t:Value>` +
    `<t:Value Name="InnerErrorDescriptiveLinkKey">0</t:Value><t:Value Name="BackOffMilliseconds">${Math.round(backOffMs)}</t:Value></m:MessageXml>` +
    `</m:${operation}ResponseMessage>`;
  return operationResponse(operation, Array.from({ length: count }, () => message));
}
