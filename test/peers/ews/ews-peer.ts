/**
 * Loopback EWS peer: behaves like Exchange's /EWS/Exchange.asmx closely enough to prove Cloudward's EWS target.
 * Every request body is validated against Microsoft's types.xsd/messages.xsd (../shared/fixtures/ews-schema).
 * The public surface (types below + startEwsPeer) is what target tests code against; see README.md.
 */

/** An EWS operation name as it appears as the first child of soap:Body (CreateItem, GetFolder, ...). */
export type EwsOperationName = string;

/** How request validation relates to the answer. */
export type EwsValidationMode =
  /** Answer only after the schema check; an invalid request gets an ErrorSchemaValidation fault (Exchange's behaviour). */
  | 'strict'
  /** Answer at once, validate in background batches; errors still land in schemaErrors (call flushValidation()). */
  | 'deferred'
  /** No schema check (only for peer-internal benchmarks). */
  | 'off';

export interface EwsPeerAuth {
  /** Accepted bearer tokens; undefined = any non-empty bearer token. */
  readonly bearerTokens?: readonly string[];
  /** Accepted basic credentials; undefined = any user/password; [] = Basic off on an on-premises EWS directory. */
  readonly basic?: readonly { readonly user: string; readonly password: string }[];
  /**
   * Mailbox of a caller the peer cannot identify (an opaque bearer token, a Basic user without "@"), when no
   * X-AnchorMailbox names one. JWT tokens identify the caller by upn/preferred_username (delegated) or as an
   * app (idtyp=app / roles without scp); Basic callers by their user name.
   */
  readonly defaultMailbox?: string;
  /**
   * FullAccess grants (Add-MailboxPermission -AccessRights FullAccess): caller → mailboxes it may open ('*' = all).
   * Without a grant, a caller reaches only its own mailbox (ErrorAccessDenied otherwise).
   */
  readonly fullAccess?: Readonly<Record<string, readonly string[]>>;
  /** Delegated or Basic callers allowed to send ExchangeImpersonation (on-premises ApplicationImpersonation role). App-only tokens always may (full_access_as_app). */
  readonly impersonators?: readonly string[];
}

/** Per-mailbox upload budget, as Exchange Online's 150 MB / 5 min, scaled down for tests. */
export interface EwsBudget {
  readonly bytesPerWindow: number;
  readonly windowMs: number;
  /** BackOffMilliseconds sent in the fault; default: time until enough budget has left the window. */
  readonly backOffMs?: number;
}

export interface EwsConcurrencyLimit {
  readonly perMailbox: number;
  /** What an over-limit request gets: ErrorServerBusy fault (500), ErrorExceededConnectionCount fault (500) or HTTP 429. */
  readonly answer: 'ErrorServerBusy' | 'ErrorExceededConnectionCount' | '429';
  readonly backOffMs?: number;
  readonly retryAfterSeconds?: number;
}

/** Random transient failures, drawn from a PRNG seeded by EwsPeerOptions.seed (deterministic per run). */
export interface EwsRandomFailures {
  readonly rate429?: number;
  readonly rate503?: number;
  readonly rateServerBusy?: number;
  readonly retryAfterSeconds?: number;
  readonly backOffMs?: number;
  /** Only these operations are affected (default: all). */
  readonly operations?: readonly EwsOperationName[];
}

export interface EwsDropConnections {
  /** Drop every Nth request counted over the matching operations (1 = every request). */
  readonly everyNth: number;
  /** after-request: destroy the socket after reading the body, before any answer (work NOT done).
   *  after-commit: do the work (items stored), then destroy the socket without answering (the crash-after-write case).
   *  mid-response: do the work, send headers and half the body, then destroy. */
  readonly phase: 'after-request' | 'after-commit' | 'mid-response';
  readonly operations?: readonly EwsOperationName[];
}

/** Make chosen items inside a batch fail with a per-item ResponseMessage error (the rest of the batch succeeds). */
export interface EwsItemFailureRule {
  readonly code: string; // e.g. ErrorInternalServerTransientError, ErrorItemSave, ErrorMessageSizeExceeded
  readonly message?: string;
  /** 0-based index within the request's Items. */
  readonly indexInBatch?: number;
  /** 1-based count of items seen by CreateItem in this peer's lifetime (item 5 = the 5th item ever sent). */
  readonly nthItem?: number;
  /** Free predicate, e.g. on the MIME's Message-ID or subject. */
  readonly when?: (item: EwsItemFailureContext) => boolean;
  /** How many times the rule fires before it is spent (default unlimited); 1 = a transient failure that a retry fixes. */
  readonly times?: number;
  /**
   * Reject the WHOLE request with an HTTP 500 SOAP fault of `code` (ErrorInvalidRequest, ErrorSchemaValidation) when the
   * rule matches any item in it: nothing of the batch is stored (Exchange validates a request before it runs it,
   * EWSREF:createitem "Error response": request-level errors are returned as SOAP faults).
   */
  readonly requestLevel?: boolean;
}

/**
 * After the work is done (items stored), answer as something between client and store would: a proxy's 502/504, or an
 * HTTP 500 without a SOAP fault (issue 9 point 6: such answers can follow a committed write).
 */
export interface EwsFailAfterCommit {
  readonly status: 500 | 502 | 504;
  /** Every Nth request of the matching operations (1 = each). */
  readonly everyNth: number;
  readonly operations?: readonly EwsOperationName[];
  /** How many times it fires (default unlimited). */
  readonly times?: number;
}

/**
 * The documented throttling shape inside HTTP 200 (EWSDOC:ews-throttling-in-exchange, table of throttling errors):
 * every response message ErrorInternalServerError with an inner ErrorServerBusy (MessageXml InnerErrorResponseCode)
 * and BackOffMilliseconds; nothing is done.
 */
export interface EwsInnerServerBusy {
  readonly everyNth: number;
  readonly backOffMs: number;
  readonly operations?: readonly EwsOperationName[];
  readonly times?: number;
}

export interface EwsItemFailureContext {
  readonly mailbox: string;
  readonly indexInBatch: number;
  readonly nthItem: number;
  readonly kind: EwsItemKind;
  readonly subject?: string;
  readonly internetMessageId?: string;
}

export interface EwsSimulation {
  readonly budget: EwsBudget | null;
  readonly maxConcurrent: EwsConcurrencyLimit | null;
  readonly random: EwsRandomFailures | null;
  /** EWS blocked for the tenant (EWSEnabled=false / app not on EwsAllowedAppIDs): HTTP 403, empty body, every request. */
  readonly blockedTenant: boolean;
  /** Decoded item size limit in bytes (MIME bytes for messages, XML size otherwise): ErrorMessageSizeExceeded per item. */
  readonly maxItemBytes: number | null;
  /** Whole request limit in bytes (IIS maxAllowedContentLength): HTTP 413 before parsing. */
  readonly maxRequestBytes: number | null;
  /** Extra delay before answering, ms (number, or per operation). */
  readonly delayMs: number | ((operation: EwsOperationName) => number);
  readonly dropConnections: EwsDropConnections | null;
  readonly itemFailures: readonly EwsItemFailureRule[];
  readonly failAfterCommit: EwsFailAfterCommit | null;
  readonly innerServerBusy: EwsInnerServerBusy | null;
  /** How an over-long request is refused: HTTP 413, or IIS request filtering's 404.13 page (on-premises). Default '413'. */
  readonly tooLargeAnswer: '413' | '404.13';
}

export interface EwsPeerOptions {
  /** Serve https with a fresh self-signed cert (made with openssl in a temp dir); peer.ca holds the PEM. */
  readonly https?: boolean;
  readonly auth?: EwsPeerAuth;
  /** Default 'strict'. */
  readonly validation?: EwsValidationMode;
  /** Directory with ews-request.xsd & co. Default: <repo>/../shared/fixtures/ews-schema. */
  readonly schemaDir?: string;
  /** PRNG seed for random failures. Default 1. */
  readonly seed?: number;
  readonly simulate?: Partial<EwsSimulation>;
  /** Keep each request's full XML in peer.requests (default false: first 2 KB only). */
  readonly keepRequestBodies?: boolean;
}

export type EwsItemKind = 'Message' | 'Contact' | 'CalendarItem' | 'Task' | 'DistributionList' | 'PostItem' | 'Item';
export type EwsFolderKind = 'Folder' | 'ContactsFolder' | 'CalendarFolder' | 'TasksFolder' | 'SearchFolder';

export interface PeerFolder {
  readonly id: string;
  changeKey: string;
  readonly parentId: string | null;
  displayName: string;
  folderClass: string;
  readonly kind: EwsFolderKind;
  readonly distinguishedId?: string;
  /** Display names from below the root (msgfolderroot's children start the path): ['Inbox', 'Projects']. */
  readonly path: readonly string[];
}

/** One extended property as sent. tag is normalised to lower-case 0x hex of 4 digits (3591 and 0x0E07 -> '0x0e07'). */
export interface PeerExtendedProp {
  readonly tag?: string;
  readonly propertySetId?: string;
  readonly distinguishedPropertySetId?: string;
  readonly propertyName?: string;
  readonly propertyId?: number;
  readonly type: string;
  readonly value?: string;
  readonly values?: readonly string[];
}

export interface PeerItem {
  readonly id: string;
  changeKey: string;
  folderId: string;
  folderPath: readonly string[];
  readonly kind: EwsItemKind;
  readonly itemClass: string;
  /** Decoded t:MimeContent, if sent. */
  readonly mime?: Buffer;
  readonly mimeCharacterSet?: string;
  extendedProps: readonly PeerExtendedProp[];
  isRead?: boolean;
  categories: readonly string[];
  /** t:Flag as sent (FlagStatus, StartDate, DueDate, CompleteDate). */
  readonly flag?: Readonly<Record<string, string>>;
  subject?: string;
  /** From t:InternetMessageId if sent, else the MIME Message-ID header. */
  readonly internetMessageId?: string;
  /** Text of every simple child element by local name (Subject, Start, FileAs, ...), as created and then updated by UpdateItem on its ItemId. */
  fields: Readonly<Record<string, string>>;
  /** The item element as sent to CreateItem (serialised); UpdateItem does not rewrite it. */
  readonly xml: string;
  /** CreateItem attributes (MessageDisposition, SendMeetingInvitations). */
  readonly createAttributes: Readonly<Record<string, string>>;
  readonly createdAt: number;
  /** Series only: InstanceIndexes deleted with DeleteItem on an OccurrenceItemId, ascending (empty otherwise). */
  readonly deletedOccurrences: readonly number[];
  /** Series only: occurrences changed with UpdateItem on an OccurrenceItemId, one entry per instance, in order of first change. */
  readonly exceptions: readonly PeerOccurrenceException[];
}

/** A modified occurrence of a recurring series (Exchange stores it as an exception of the master). */
export interface PeerOccurrenceException {
  /** 1-based InstanceIndex within the series. */
  readonly instanceIndex: number;
  /** The occurrence's own ItemId, as UpdateItem answered it. */
  readonly id: string;
  readonly changeKey: string;
  /** Changed properties by path (FieldURI such as 'calendar:Start'; 'contacts:EmailAddress[EmailAddress1]' for an
   *  IndexedFieldURI; 'extended:<attributes>' for an ExtendedFieldURI): the element's text as sent (its XML when it
   *  has child elements); null after DeleteItemField. Later changes overwrite earlier ones. */
  readonly changes: Readonly<Record<string, string | null>>;
}

export interface PeerMailbox {
  readonly smtp: string;
  readonly folders: readonly PeerFolder[];
  readonly items: readonly PeerItem[];
  folderByPath(path: readonly string[]): PeerFolder | undefined;
  folderByDistinguishedId(id: string): PeerFolder | undefined;
  itemsIn(folder: PeerFolder | readonly string[]): PeerItem[];
}

export interface EwsSchemaError {
  readonly operation: EwsOperationName;
  readonly error: string;
  readonly bodySnippet: string;
  readonly requestSeq: number;
}

/** A request the schema allows but a migration must never make (e.g. meeting invitations sent, mail sent). */
export interface EwsViolation {
  readonly operation: EwsOperationName;
  readonly rule: string;
  readonly detail: string;
  readonly requestSeq: number;
}

export interface EwsRequestRecord {
  readonly seq: number;
  readonly at: number;
  readonly operation: EwsOperationName;
  readonly mailbox: string | null;
  readonly bytes: number;
  /** HTTP status sent, or 0 if the connection was dropped. */
  status: number;
  /** Top-level answer: NoError, a fault code, 'HTTP 429', 'dropped', ... */
  outcome: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Full XML if keepRequestBodies, else the first 2 KB. */
  readonly body: string;
}

export interface EwsPeerStats {
  requests: number;
  byOperation: Record<EwsOperationName, number>;
  byStatus: Record<number, number>;
  throttled: { serverBusy: number; connectionCount: number; http429: number; http503: number; budget: number };
  dropped: number;
  blocked: number;
  unauthorized: number;
  itemsCreated: Record<string, number>;
  /** Request bytes per mailbox, cumulative. */
  bytesByMailbox: Record<string, number>;
  /** Accepted CreateItem/UploadItems bytes per mailbox over time: throughput = sum(bytes) / (last.at - first.at). */
  uploads: Record<string, { at: number; bytes: number }[]>;
  concurrentPeak: Record<string, number>;
  validation: { documents: number; batches: number; totalMs: number; maxBatchMs: number; maxBatchSize: number };
}

export interface EwsPeer {
  /** http(s)://127.0.0.1:PORT/EWS/Exchange.asmx */
  readonly url: string;
  readonly port: number;
  /** PEM of the self-signed certificate when https: true. */
  readonly ca?: string;
  readonly stats: EwsPeerStats;
  readonly schemaErrors: readonly EwsSchemaError[];
  readonly violations: readonly EwsViolation[];
  readonly requests: readonly EwsRequestRecord[];
  /** Change simulations at run time (shallow merge). */
  configure(simulation: Partial<EwsSimulation>): void;
  /** The token expires now: every later request with it gets 401 (MSAL or the person must supply a new one). */
  revokeToken(token: string): void;
  /** The mailbox's folders/items (created with its default folders on first use). */
  mailbox(smtp: string): PeerMailbox;
  mailboxes(): string[];
  /** Validate any XML against the EWS request schema (same validator the server uses). */
  validate(xml: string): Promise<{ valid: boolean; errors: string[] }>;
  /** Wait until every request received so far has been validated (deferred mode). */
  flushValidation(): Promise<void>;
  /** Throws with every schema error (after flushValidation()). */
  assertNoSchemaErrors(): Promise<void>;
  /** Throws with every violation (SendMeetingInvitations other than SendToNone, mail sent, ...). */
  assertNoViolations(): void;
  resetStats(): void;
  close(): Promise<void>;
}

export { startEwsPeer } from './peer-server.js';
