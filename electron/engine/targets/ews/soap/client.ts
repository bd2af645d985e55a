import { CloudwardError } from '../../../../contract/index.js';
import type { RequestWindow } from '../../exchange/request-window.js';
import type { EwsAuth } from '../auth/auth.js';
import { blockedAdvice, errorFromInfo, itemErrorFor, markRequestLevel, markUncertain, retryAfterMs } from '../errors.js';
import type { EwsTransport, HttpAnswer } from '../transport/transport.js';
import { envelope } from './envelope.js';
import { parseXml, responseMessagesIfAny, soapFault, type XElement } from './parse.js';
import type { XmlChunks } from './xml.js';

/** A stable User-Agent so admins can allow-list us (EwsAllowList is User-Agent based, ews-graph.md §3.4). */
export const userAgent = 'Cloudward/0.1 (EWS migration)';

export interface ClientOptions {
  mailbox: string;
  /** Base deadline per request, ms; large bodies get more (see timeoutFor). */
  requestTimeoutMs: number;
  maxItemMb: number;
  /** The server's budget on request bytes, paced exactly (exchange/request-window.ts); none: unpaced. */
  window?: RequestWindow | undefined;
}

/** One SOAP round trip: headers, deadline, HTTP status and SOAP fault → CloudwardError. */
export class EwsClient {
  constructor(
    readonly transport: EwsTransport,
    readonly auth: EwsAuth,
    readonly options: ClientOptions,
  ) {}

  /** At least 64 KB/s of upload on top of the base deadline, so a 100 MB item is not cut off at 100 s. */
  timeoutFor(bytes: number): number {
    return this.options.requestTimeoutMs + Math.ceil(bytes / 65_536) * 1000;
  }

  build(body: XmlChunks | string): XmlChunks {
    return envelope(body, this.auth.appOnly ? { impersonate: this.options.mailbox } : {});
  }

  async call(operation: string, body: XmlChunks | string, signal: AbortSignal): Promise<XElement> {
    const answer = await this.send(operation, this.build(body), signal);
    return this.interpret(operation, answer.status, answer.headers, answer.body);
  }

  /**
   * Posts a complete envelope with our headers. After a 401 the auth renews its token (MSAL
   * silently; a script's token by asking the person while this mailbox waits) and the request goes
   * once more; a second 401 with a fresh token is a real refusal.
   */
  async send(operation: string, request: XmlChunks, signal: AbortSignal): Promise<HttpAnswer> {
    for (let attempt = 1; ; attempt += 1) {
      // The wait for budget comes first (a token fetched before a long wait could be stale) and outside the
      // deadline; the window counts the request until its answer.
      const release = await this.options.window?.reserve(request.bytes, signal);
      let auth: Record<string, string>;
      let answer: HttpAnswer;
      try {
        auth = await this.auth.headers(signal);
        const headers = {
          ...auth,
          'User-Agent': userAgent,
          'X-AnchorMailbox': this.options.mailbox,
          SOAPAction: `"http://schemas.microsoft.com/exchange/services/2006/messages/${operation}"`,
        };
        answer = await this.transport.post(request, { signal, timeoutMs: this.timeoutFor(request.bytes), headers });
      } finally {
        release?.();
      }
      if (answer.status === 401 && attempt <= 2 && (await this.auth.renew(auth, signal))) continue;
      if (answer.status === 401) await this.auth.refused?.(answer.headers['www-authenticate']);
      return answer;
    }
  }

  interpret(operation: string, status: number, headers: Record<string, string>, body: string): XElement {
    if (status === 200) return busyInside(parseXml(body), this.options.maxItemMb);
    if (status === 401) {
      const password = this.auth.kind === 'basic' || this.auth.kind === 'ntlm';
      const advice = password ? 'check the user name and password (a stored password it refused is forgotten, so the next run asks for it)' : 'check the token and its scopes';
      throw new CloudwardError('TARGET_AUTH_FAILED', `Exchange refused the login for ${this.options.mailbox} (HTTP 401, ${this.auth.kind}); ${advice}`);
    }
    if (status === 403) throw new CloudwardError('TARGET_BLOCKED', blockedAdvice);
    if (status === 429 || status === 503) {
      const wait = retryAfterMs(headers['retry-after']);
      throw new CloudwardError('THROTTLED', `Exchange asked us to slow down (HTTP ${status}${wait === undefined ? '' : `, retry after ${wait} ms`})`, wait === undefined ? {} : { retryAfterMs: wait });
    }
    if (status === 413) throw new CloudwardError('ITEM_TOO_LARGE', `The request is larger than the server accepts (HTTP 413); ${sizeAdvice}`);
    // On-premises IIS request filtering answers an oversized body with 404.13, not 413 (learn.microsoft.com
    // iis/configuration/system.webserver/security/requestfiltering/requestlimits: "404.13 Content Length Too Large").
    if (status === 404 && /404\.13|content length too large|exceeds the request content length/i.test(body)) {
      throw new CloudwardError('ITEM_TOO_LARGE', `The request is larger than the server accepts (IIS 404.13); ${sizeAdvice}`);
    }
    if (status === 500) {
      let fault;
      try {
        fault = soapFault(parseXml(body));
      } catch {
        fault = undefined;
      }
      if (fault) {
        const error = errorFromInfo(itemErrorFor(fault.responseCode ?? 'ErrorInternalServerError', fault.faultString, fault.backOffMs, this.options.maxItemMb, this.auth.kind));
        return requestLevelCodes.has(fault.responseCode ?? '') ? thrower(markRequestLevel(error)) : thrower(error);
      }
      // No SOAP fault: something between us and the store failed, possibly after the store committed.
      throw markUncertain(new CloudwardError('TARGET_FAILED', `Exchange failed on ${operation} (HTTP 500 without a SOAP fault); the items are checked before any resend`));
    }
    if (status === 502 || status === 504) {
      // A proxy or load balancer gave up waiting; the mailbox server may still have done the work.
      throw markUncertain(new CloudwardError('TARGET_FAILED', `A gateway in front of Exchange answered HTTP ${status} on ${operation}; the items are checked before any resend`));
    }
    if (status >= 500) throw new CloudwardError('TARGET_UNREACHABLE', `Exchange is unavailable (HTTP ${status} on ${operation})`);
    throw new CloudwardError('TARGET_REJECTED', `Exchange rejected ${operation} (HTTP ${status})`);
  }
}

const sizeAdvice = 'on-premises raise maxAllowedContentLength and maxReceivedMessageSize in the EWS web.config, online use Set-Mailbox -MaxReceiveSize';

/** Faults that refuse the whole request for its content: one bad item can cause them for a whole batch. */
const requestLevelCodes = new Set(['ErrorSchemaValidation', 'ErrorInvalidRequest', 'ErrorInvalidPropertySet', 'ErrorInvalidXmlDocument']);

function thrower(error: Error): never {
  throw error;
}

/**
 * Exchange's documented throttling shape inside HTTP 200: a response message ErrorInternalServerError whose
 * MessageXml names an inner ErrorServerBusy (EWSDOC:ews-throttling-in-exchange, "throttling ... HTTP 200 with
 * ErrorInternalServerError and an inner ErrorServerBusy", the table of throttling error codes). Such an answer did nothing: pause like ErrorServerBusy.
 */
function busyInside(root: XElement, maxItemMb: number): XElement {
  for (const message of responseMessagesIfAny(root)) {
    // The inner code is read from MessageXml (InnerErrorResponseCode), or from the text where a server only says it there.
    if (message.responseCode === 'ErrorInternalServerError' && (message.innerCode === 'ErrorServerBusy' || /\bErrorServerBusy\b/.test(message.messageText))) {
      throw errorFromInfo(itemErrorFor('ErrorServerBusy', message.innerText || message.messageText, message.backOffMs, maxItemMb));
    }
  }
  return root;
}
