import ews from 'ews-javascript-api';

import { CloudwardError, toCloudwardError } from '../../../../contract/index.js';
import { errorFromInfo, itemErrorFor } from '../errors.js';
import type { EwsClient } from '../soap/client.js';
import { XmlChunks } from '../soap/xml.js';

type Service = InstanceType<typeof ews.ExchangeService>;
type FolderIdValue = InstanceType<typeof ews.FolderId>;

const wellKnown: Record<string, number> = {
  inbox: ews.WellKnownFolderName.Inbox,
  sentitems: ews.WellKnownFolderName.SentItems,
  deleteditems: ews.WellKnownFolderName.DeletedItems,
  drafts: ews.WellKnownFolderName.Drafts,
  junkemail: ews.WellKnownFolderName.JunkEmail,
  outbox: ews.WellKnownFolderName.Outbox,
  contacts: ews.WellKnownFolderName.Contacts,
  calendar: ews.WellKnownFolderName.Calendar,
  tasks: ews.WellKnownFolderName.Tasks,
  notes: ews.WellKnownFolderName.Notes,
  journal: ews.WellKnownFolderName.Journal,
  msgfolderroot: ews.WellKnownFolderName.MsgFolderRoot,
};

interface XhrAnswer {
  status: number;
  responseText: string;
  headers: Record<string, string>;
  getResponseHeader(name: string): string | null;
  getAllResponseHeaders(): string;
}

/**
 * ews-javascript-api's HTTP seam (IXHRApi) over our own transport: its requests get our deadline,
 * User-Agent, auth and X-AnchorMailbox (the library applies neither Timeout nor UserAgent), and
 * our classification of 401/403/429/503/ErrorServerBusy, which we rethrow instead of its
 * non-Error SoapFaultDetails.
 */
class TransportXhr {
  readonly apiName = 'cloudward';
  lastError: CloudwardError | undefined;

  constructor(
    private readonly client: EwsClient,
    private readonly signal: AbortSignal,
  ) {}

  async xhr(options: { data?: unknown }): Promise<XhrAnswer> {
    const body = new XmlChunks().push(String(options.data ?? ''));
    const operation = /<m:(\w+)[\s>]/.exec(String(options.data ?? ''))?.[1] ?? 'EWS';
    let answer;
    try {
      answer = await this.client.send(operation, body, this.signal);
    } catch (error) {
      this.lastError = toCloudwardError(error, 'CONNECTION_LOST');
      throw this.lastError;
    }
    const reply: XhrAnswer = {
      status: answer.status,
      responseText: answer.body,
      headers: answer.headers,
      getResponseHeader: (name) => answer.headers[name.toLowerCase()] ?? null,
      getAllResponseHeaders: () => Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`).join('\r\n'),
    };
    if (answer.status === 200) return reply;
    try {
      this.client.interpret(operation, answer.status, answer.headers, answer.body);
    } catch (error) {
      this.lastError = toCloudwardError(error);
    }
    throw reply;
  }

  xhrStream(): Promise<never> {
    return Promise.reject(new CloudwardError('INTERNAL', 'streaming is not used'));
  }

  disconnect(): void {}
}

/** Folder operations through ews-javascript-api, which does these small requests well enough. */
export class FolderOperations {
  constructor(
    private readonly client: EwsClient,
    private readonly url: string,
  ) {}

  private service(signal: AbortSignal): { service: Service; xhr: TransportXhr } {
    const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013_SP1);
    service.Url = new ews.Uri(this.url);
    // Auth headers come from our transport; the library only needs some credentials object to proceed.
    service.Credentials = new ews.OAuthCredentials('cloudward', true);
    if (this.client.auth.appOnly) {
      service.ImpersonatedUserId = new ews.ImpersonatedUserId(ews.ConnectingIdType.SmtpAddress, this.client.options.mailbox);
    }
    const xhr = new TransportXhr(this.client, signal);
    service.XHRApi = xhr as unknown as Service['XHRApi'];
    return { service, xhr };
  }

  private folderId(targetId: string): FolderIdValue {
    if (targetId.startsWith('@')) {
      const name = wellKnown[targetId.slice(1)];
      if (name === undefined) throw new CloudwardError('INTERNAL', `No well-known folder ${targetId}`);
      return new ews.FolderId(name, new ews.Mailbox(this.client.options.mailbox));
    }
    return new ews.FolderId(targetId);
  }

  private async run<T>(signal: AbortSignal, what: string, action: (service: Service) => Promise<T>): Promise<T> {
    const { service, xhr } = this.service(signal);
    try {
      return await action(service);
    } catch (error) {
      if (xhr.lastError) throw xhr.lastError;
      if (error instanceof CloudwardError) throw error;
      // The library rejects with SoapFaultDetails / ServiceResponseException, not Error.
      const detail = error as { ErrorCode?: number; errorCode?: number; Response?: { ErrorCode?: number }; message?: string; Message?: string };
      const codeNumber = detail.Response?.ErrorCode ?? detail.ErrorCode ?? detail.errorCode;
      const code = typeof codeNumber === 'number' ? (ews.ServiceError[codeNumber] as string | undefined) : undefined;
      const message = detail.message ?? detail.Message ?? String(error);
      if (code) throw errorFromInfo(itemErrorFor(code, `${what}: ${message}`, undefined, this.client.options.maxItemMb, this.client.auth.kind), error);
      throw new CloudwardError('TARGET_FAILED', `${what} failed: ${message}`, { cause: error });
    }
  }

  /** Access check before the job: GetFolder msgfolderroot (a 403 here means EWS is blocked, ews-graph.md §3.6). */
  async probe(signal: AbortSignal): Promise<void> {
    await this.run(signal, 'GetFolder', (service) => ews.Folder.Bind(service, this.folderId('@msgfolderroot'), ews.PropertySet.IdOnly));
  }

  /** Children of `parentId` whose display name equals `name` (Exchange compares without case). */
  async findChild(parentId: string, name: string, signal: AbortSignal): Promise<{ id: string; name: string } | undefined> {
    return this.run(signal, 'FindFolder', async (service) => {
      const view = new ews.FolderView(10);
      view.PropertySet = new ews.PropertySet(ews.BasePropertySet.IdOnly, [ews.FolderSchema.DisplayName]);
      const results = await service.FindFolders(this.folderId(parentId), new ews.SearchFilter.IsEqualTo(ews.FolderSchema.DisplayName, name), view);
      const folder = results.Folders[0];
      return folder ? { id: folder.Id.UniqueId, name: folder.DisplayName } : undefined;
    });
  }

  async create(parentId: string, name: string, folderClass: string, signal: AbortSignal): Promise<string> {
    return this.run(signal, 'CreateFolder', async (service) => {
      const folder =
        folderClass === 'IPF.Contact'
          ? new ews.ContactsFolder(service)
          : folderClass === 'IPF.Appointment'
            ? new ews.CalendarFolder(service)
            : folderClass === 'IPF.Task'
              ? new ews.TasksFolder(service)
              : new ews.Folder(service);
      folder.DisplayName = name;
      if (folderClass === 'IPF.Note' || folderClass === 'IPF.StickyNote') folder.FolderClass = folderClass;
      await folder.Save(this.folderId(parentId));
      return folder.Id.UniqueId;
    });
  }
}
