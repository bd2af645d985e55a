import { CloudwardError } from '../../../../contract/errors.js';
import { bodyOf, type HttpTransport } from '../../exchange/http-transport.js';
import { type GraphClient, userAgent } from '../graph-client.js';
import { errorForStatus, toError } from '../graph-errors.js';

export interface ImportSessionOptions {
  client: GraphClient;
  /** For the importUrl, which is not Graph: no bearer token, no Graph window. */
  transport: HttpTransport;
  /** The user (id or address) whose primary mailbox receives the items. */
  user: string;
  requestTimeoutMs: number;
  /** A session this close to its expirationDateTime is replaced before use. */
  renewBeforeMs?: number;
  now?: () => number;
}

export interface ImportedItemId {
  itemId: string;
  changeKey: string;
}

/**
 * The Graph mailbox import API (v1.0; GRAPH:api/resources/mailbox-import-export-api-overview):
 * primaryMailboxId from the user's exchange settings, an import session per mailbox, then one POST per
 * item to the session's pre-authenticated importUrl with a base64 FastTransfer stream. The importUrl
 * carries its own authtoken: sending our bearer token there would leak it to another host, so none is sent.
 */
export class GraphImportSession {
  private mailbox: string | undefined;
  private session: { url: string; expires: number } | undefined;

  constructor(private readonly options: ImportSessionOptions) {}

  /** GET /users/{id}/settings/exchange → primaryMailboxId. */
  async mailboxId(signal: AbortSignal): Promise<string> {
    if (this.mailbox) return this.mailbox;
    const settings = await this.options.client.request<{ primaryMailboxId?: unknown }>('GET', `/users/${encodeURIComponent(this.options.user)}/settings/exchange`, undefined, signal, 'the mailbox settings');
    if (typeof settings.primaryMailboxId !== 'string' || settings.primaryMailboxId === '') {
      throw new CloudwardError('TARGET_FAILED', `Graph gave no primaryMailboxId for ${this.options.user}`);
    }
    this.mailbox = settings.primaryMailboxId;
    return this.mailbox;
  }

  /** A live importUrl, from POST /admin/exchange/mailboxes/{id}/createImportSession when needed. */
  async importUrl(signal: AbortSignal): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    if (this.session && this.session.expires - (this.options.renewBeforeMs ?? 5 * 60_000) > now) return this.session.url;
    const mailbox = await this.mailboxId(signal);
    const answer = await this.options.client.request<{ importUrl?: unknown; expirationDateTime?: unknown }>('POST', `/admin/exchange/mailboxes/${encodeURIComponent(mailbox)}/createImportSession`, undefined, signal, 'an import session');
    const expires = typeof answer.expirationDateTime === 'string' ? Date.parse(answer.expirationDateTime) : Number.NaN;
    if (typeof answer.importUrl !== 'string' || !/^https?:\/\//.test(answer.importUrl) || Number.isNaN(expires)) {
      throw new CloudwardError('TARGET_FAILED', 'Graph answered createImportSession without an importUrl and its expiry');
    }
    this.session = { url: answer.importUrl, expires };
    return this.session.url;
  }

  /**
   * Imports one item (Mode "create") into a folder of the import API's own folder ids. A refused
   * authtoken (the session ended early) gets one new session; other errors carry the catalogue code.
   */
  async importItem(folderId: string, stream: Buffer, signal: AbortSignal, item?: string): Promise<ImportedItemId> {
    const body = `{"FolderId":${JSON.stringify(folderId)},"Mode":"create","Data":"${stream.toString('base64')}"}`;
    for (let attempt = 1; ; attempt += 1) {
      const url = await this.importUrl(signal);
      const answer = await this.options.transport.request({
        method: 'POST',
        url,
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': userAgent },
        body: bodyOf(body),
        signal,
        timeoutMs: this.options.requestTimeoutMs,
      });
      if (answer.status === 401 && attempt === 1) {
        this.session = undefined;
        continue;
      }
      if (answer.status >= 400) {
        const error = toError(errorForStatus(answer.status, answer.headers, answer.body, 'an item import'));
        throw item ? new CloudwardError(error.code, error.message, { retryable: error.retryable, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }), item, cause: error }) : error;
      }
      let parsed: { itemId?: unknown; changeKey?: unknown };
      try {
        parsed = JSON.parse(answer.body) as typeof parsed;
      } catch {
        throw new CloudwardError('TARGET_FAILED', 'The import service answered with something that is not JSON');
      }
      if (typeof parsed.itemId !== 'string') throw new CloudwardError('TARGET_FAILED', 'The import service answered without an itemId');
      return { itemId: parsed.itemId, changeKey: typeof parsed.changeKey === 'string' ? parsed.changeKey : '' };
    }
  }
}
