import type { EwsFolderKind, EwsItemFailureRule, EwsItemKind, EwsSimulation, PeerFolder, PeerItem } from './ews-peer.js';
import { ITEM_CLASS, itemValue, itemXml, MSGFLAG_READ, mimeHeaders, parseExtendedProperty, parseShape } from './item-fields.js';
import { MailboxStore, newChangeKey } from './mailbox-store.js';
import { errorMessage, operationResponse, soapFault, successMessage } from './responses.js';
import { deleteItem, updateItem } from './item-changes.js';
import { attr, attributes, child, children, childrenNamed, esc, serialize, text } from './soap-xml.js';

export interface OpContext {
  readonly el: Element;
  readonly mailbox: MailboxStore;
  readonly mailboxFor: (smtp: string) => MailboxStore;
  /** May the caller open this mailbox (its own, or FullAccess)? */
  readonly canOpen: (mailbox: MailboxStore) => boolean;
  /** The mailbox holding this item, occurrence or folder id (ids are unique across mailboxes, as Exchange's are). */
  readonly holderOf: (id: string) => MailboxStore | undefined;
  readonly simulation: EwsSimulation;
  readonly violation: (rule: string, detail: string) => void;
  /** 1-based lifetime count of items offered to CreateItem. */
  readonly nextItemNumber: () => number;
  readonly ruleUses: Map<EwsItemFailureRule, number>;
  readonly itemStored: (mailbox: string, item: PeerItem) => void;
}

export interface OpAnswer {
  readonly status: number;
  readonly body: string;
  readonly outcome: string;
}

export type Handler = (ctx: OpContext) => OpAnswer;

const ok = (body: string): OpAnswer => ({ status: 200, body, outcome: 'NoError' });

interface FolderRef {
  readonly mailbox: MailboxStore;
  readonly folder: PeerFolder | undefined;
  /** Set when the folder is in a mailbox the caller may not open. */
  readonly denied?: boolean;
}

/**
 * A DistinguishedFolderId names the caller's folder unless it has a <t:Mailbox> child
 * (EWSREF:distinguishedfolderid: "Mailbox ... identifies the mailbox that contains the folder"; without it, the
 * caller's or the impersonated user's mailbox). A FolderId is the folder wherever it lives. Another mailbox needs
 * FullAccess (EWSDOC:delegate-access-and-ews-in-exchange), else ErrorAccessDenied.
 */
function resolveFolder(ctx: OpContext, idEl: Element): FolderRef {
  let ref: FolderRef;
  if (idEl.localName === 'DistinguishedFolderId') {
    const smtp = text(child(child(idEl, 'Mailbox') ?? idEl, 'EmailAddress'));
    const mailbox = smtp ? ctx.mailboxFor(smtp) : ctx.mailbox;
    ref = { mailbox, folder: mailbox.folderByDistinguishedId(attr(idEl, 'Id') ?? '') };
  } else {
    const id = attr(idEl, 'Id') ?? '';
    const mailbox = ctx.holderOf(id) ?? ctx.mailbox;
    ref = { mailbox, folder: mailbox.folderById(id) };
  }
  return ctx.canOpen(ref.mailbox) ? ref : { mailbox: ref.mailbox, folder: undefined, denied: true };
}

const ACCESS_DENIED = 'Access is denied. Check credentials and try again.';

/** ErrorAccessDenied or ErrorFolderNotFound for a folder that did not resolve. */
function folderError(operation: string, ref: FolderRef, trailer?: string): string {
  const options = trailer === undefined ? {} : { trailer };
  return ref.denied ? errorMessage(operation, 'ErrorAccessDenied', ACCESS_DENIED, options) : errorMessage(operation, 'ErrorFolderNotFound', FOLDER_NOT_FOUND, options);
}

const FOLDER_NOT_FOUND = 'The specified folder could not be found in the store.';

function folderXml(mailbox: MailboxStore, f: PeerFolder, shapeEl: Element | undefined): string {
  const shape = parseShape(shapeEl);
  const all = shape.base === 'AllProperties';
  const dflt = all || shape.base === 'Default';
  const want = (uri: string, inDefault: boolean): boolean => shape.fieldUris.has(uri) || all || (inDefault && dflt);
  const parts = [`<t:FolderId Id="${f.id}" ChangeKey="${f.changeKey}"/>`];
  const parent = f.parentId ? mailbox.folderById(f.parentId) : undefined;
  if (want('folder:ParentFolderId', false) && parent) parts.push(`<t:ParentFolderId Id="${parent.id}" ChangeKey="${parent.changeKey}"/>`);
  if (want('folder:FolderClass', false)) parts.push(`<t:FolderClass>${esc(f.folderClass)}</t:FolderClass>`);
  if (want('folder:DisplayName', true)) parts.push(`<t:DisplayName>${esc(f.displayName)}</t:DisplayName>`);
  if (want('folder:TotalCount', true)) parts.push(`<t:TotalCount>${mailbox.itemsIn(f).length}</t:TotalCount>`);
  if (want('folder:ChildFolderCount', true)) parts.push(`<t:ChildFolderCount>${mailbox.childFolders(f).length}</t:ChildFolderCount>`);
  if (f.kind === 'Folder' && want('folder:UnreadCount', true)) {
    parts.push(`<t:UnreadCount>${mailbox.itemsIn(f).filter((i) => i.kind === 'Message' && !i.isRead).length}</t:UnreadCount>`);
  }
  return `<t:${f.kind}>${parts.join('')}</t:${f.kind}>`;
}

function compare(actual: string | undefined, constant: string, op: string): boolean {
  if (actual === undefined) return false;
  const an = Number(actual);
  const cn = Number(constant);
  const ad = Date.parse(actual);
  const cd = Date.parse(constant);
  let cmp: number;
  if (actual !== '' && constant !== '' && Number.isFinite(an) && Number.isFinite(cn)) cmp = an - cn;
  else if (/^\d{4}-\d\d-\d\dT/.test(actual) && Number.isFinite(ad) && Number.isFinite(cd)) cmp = ad - cd;
  // Exchange string restrictions ignore case.
  else cmp = actual.toLowerCase().localeCompare(constant.toLowerCase());
  switch (op) {
    case 'IsEqualTo': return cmp === 0;
    case 'IsNotEqualTo': return cmp !== 0;
    case 'IsGreaterThan': return cmp > 0;
    case 'IsGreaterThanOrEqualTo': return cmp >= 0;
    case 'IsLessThan': return cmp < 0;
    case 'IsLessThanOrEqualTo': return cmp <= 0;
    default: return false;
  }
}

/** Evaluate a t:SearchExpression against a value getter. */
function matches(expr: Element, valueOf: (path: Element) => string | undefined): boolean {
  const kids = children(expr);
  switch (expr.localName) {
    case 'And': return kids.every((k) => matches(k, valueOf));
    case 'Or': return kids.some((k) => matches(k, valueOf));
    case 'Not': return kids[0] ? !matches(kids[0], valueOf) : true;
    case 'Exists': return kids[0] ? valueOf(kids[0]) !== undefined : false;
    case 'Contains': {
      const value = valueOf(kids[0]!);
      const constant = attr(child(expr, 'Constant'), 'Value') ?? '';
      if (value === undefined) return false;
      const ignoreCase = (attr(expr, 'ContainmentComparison') ?? '').includes('IgnoreCase');
      const [v, c] = ignoreCase ? [value.toLowerCase(), constant.toLowerCase()] : [value, constant];
      const mode = attr(expr, 'ContainmentMode') ?? 'Substring';
      return mode === 'FullString' ? v === c : mode === 'Prefixed' ? v.startsWith(c) : v.includes(c);
    }
    default: {
      const path = kids[0];
      const constant = attr(child(child(expr, 'FieldURIOrConstant') ?? expr, 'Constant'), 'Value');
      return path !== undefined && constant !== undefined && compare(valueOf(path), constant, expr.localName);
    }
  }
}

function paging(el: Element, viewName: string): { offset: number; max: number } {
  const view = child(el, viewName);
  return { offset: Number(attr(view, 'Offset') ?? 0), max: Number(attr(view, 'MaxEntriesReturned') ?? 1000) };
}

function rootFolder(offset: number, shown: number, total: number, inner: string): string {
  const last = offset + shown >= total;
  return `<m:RootFolder IndexedPagingOffset="${offset + shown}" TotalItemsInView="${total}" IncludesLastItemInRange="${last}">${inner}</m:RootFolder>`;
}

const getFolder: Handler = (ctx) => {
  const ids = children(child(ctx.el, 'FolderIds')!);
  const shape = child(ctx.el, 'FolderShape');
  return ok(operationResponse('GetFolder', ids.map((idEl) => {
    const ref = resolveFolder(ctx, idEl);
    return ref.folder
      ? successMessage('GetFolder', `<m:Folders>${folderXml(ref.mailbox, ref.folder, shape)}</m:Folders>`)
      : folderError('GetFolder', ref, '<m:Folders/>');
  })));
};

const findFolder: Handler = (ctx) => {
  const deep = attr(ctx.el, 'Traversal') === 'Deep';
  const restrictionEl = child(ctx.el, 'Restriction');
  const restriction = restrictionEl ? children(restrictionEl)[0] : undefined;
  const shape = child(ctx.el, 'FolderShape');
  const { offset, max } = paging(ctx.el, 'IndexedPageFolderView');
  return ok(operationResponse('FindFolder', children(child(ctx.el, 'ParentFolderIds')!).map((idEl) => {
    const ref = resolveFolder(ctx, idEl);
    const { mailbox, folder } = ref;
    if (!folder) return folderError('FindFolder', ref);
    const collect = (f: PeerFolder): PeerFolder[] => mailbox.childFolders(f).flatMap((c) => (deep ? [c, ...collect(c)] : [c]));
    const found = collect(folder).filter((f) => !restriction || matches(restriction, (path) => {
      switch (attr(path, 'FieldURI')) {
        case 'folder:DisplayName': return f.displayName;
        case 'folder:FolderClass': return f.folderClass;
        default: return undefined;
      }
    }));
    const page = found.slice(offset, offset + max);
    return successMessage('FindFolder', rootFolder(offset, page.length, found.length, `<t:Folders>${page.map((f) => folderXml(mailbox, f, shape)).join('')}</t:Folders>`));
  })));
};

const FOLDER_KIND_CLASS: Record<string, [EwsFolderKind, string]> = {
  Folder: ['Folder', 'IPF.Note'],
  ContactsFolder: ['ContactsFolder', 'IPF.Contact'],
  CalendarFolder: ['CalendarFolder', 'IPF.Appointment'],
  TasksFolder: ['TasksFolder', 'IPF.Task'],
  SearchFolder: ['SearchFolder', 'IPF.Note'],
};

const createFolder: Handler = (ctx) => {
  const parentIdEl = children(child(ctx.el, 'ParentFolderId')!)[0]!;
  const parentRef = resolveFolder(ctx, parentIdEl);
  const { mailbox, folder: parent } = parentRef;
  return ok(operationResponse('CreateFolder', children(child(ctx.el, 'Folders')!).map((fEl) => {
    if (parentRef.denied) return folderError('CreateFolder', parentRef, '<m:Folders/>');
    if (!parent) return errorMessage('CreateFolder', 'ErrorParentFolderNotFound', 'Parent folder not found.', { trailer: '<m:Folders/>' });
    const name = text(child(fEl, 'DisplayName')) ?? '';
    // Exchange compares sibling folder names case-insensitively.
    if (mailbox.childFolders(parent).some((f) => f.displayName.toLowerCase() === name.toLowerCase())) {
      return errorMessage('CreateFolder', 'ErrorFolderExists', 'A folder with the specified name already exists.', { trailer: '<m:Folders/>' });
    }
    const [kind, defaultClass] = FOLDER_KIND_CLASS[fEl.localName] ?? ['Folder', 'IPF.Note'];
    const created = mailbox.addFolder(parent, name, text(child(fEl, 'FolderClass')) ?? defaultClass, kind);
    return successMessage('CreateFolder', `<m:Folders><t:${kind}><t:FolderId Id="${created.id}" ChangeKey="${created.changeKey}"/></t:${kind}></m:Folders>`);
  })));
};

const DEFAULT_FOLDER: Record<EwsItemKind, string> = {
  Message: 'drafts', Contact: 'contacts', CalendarItem: 'calendar', Task: 'tasks', DistributionList: 'contacts', PostItem: 'inbox', Item: 'drafts',
};

function simpleFields(itemEl: Element): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const c of children(itemEl)) if (children(c).length === 0 && c.localName !== 'MimeContent') fields[c.localName] = c.textContent ?? '';
  return fields;
}

/**
 * A task's CompleteDate, PercentComplete and Status each set the others, in the order Exchange processes them (the
 * request's order), and the last one wins (EWSREF:percentcomplete: 100 means Completed, 0 NotStarted;
 * EWSREF:completedate; EWSREF:status-taskstatustype: Completed stamps the completion now). So a completed task sent
 * with all three loses its own completion date (issue 9 point 10).
 */
function taskFields(itemEl: Element): Record<string, string> {
  const fields = simpleFields(itemEl);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const c of children(itemEl)) {
    const value = c.textContent ?? '';
    if (c.localName === 'CompleteDate') Object.assign(fields, { CompleteDate: value, Status: 'Completed', PercentComplete: '100' });
    else if (c.localName === 'PercentComplete') {
      const percent = Number(value);
      if (percent >= 100) Object.assign(fields, { Status: 'Completed', CompleteDate: now });
      else {
        delete fields.CompleteDate;
        fields.Status = percent <= 0 ? 'NotStarted' : 'InProgress';
      }
    } else if (c.localName === 'Status') {
      if (value === 'Completed') Object.assign(fields, { PercentComplete: '100', CompleteDate: now });
      else {
        delete fields.CompleteDate;
        if (value === 'NotStarted') fields.PercentComplete = '0';
      }
    }
  }
  return fields;
}

function ruleFires(ctx: OpContext, rule: EwsItemFailureRule, info: Parameters<NonNullable<EwsItemFailureRule['when']>>[0]): boolean {
  if (rule.times !== undefined && (ctx.ruleUses.get(rule) ?? 0) >= rule.times) return false;
  if (rule.indexInBatch !== undefined && rule.indexInBatch !== info.indexInBatch) return false;
  if (rule.nthItem !== undefined && rule.nthItem !== info.nthItem) return false;
  if (rule.when && !rule.when(info)) return false;
  ctx.ruleUses.set(rule, (ctx.ruleUses.get(rule) ?? 0) + 1);
  return true;
}

/** A request-level rule that matches any item of the batch: the whole request fails before anything is stored. */
function requestLevelRule(ctx: OpContext, itemEls: readonly Element[], mailbox: MailboxStore): EwsItemFailureRule | undefined {
  const rules = ctx.simulation.itemFailures.filter((r) => r.requestLevel);
  if (rules.length === 0) return undefined;
  return rules.find((rule) =>
    itemEls.some((itemEl, indexInBatch) => {
      const kind = (ITEM_CLASS[itemEl.localName as EwsItemKind] ? itemEl.localName : 'Item') as EwsItemKind;
      const mimeEl = child(itemEl, 'MimeContent');
      const headers = mimeEl ? mimeHeaders(Buffer.from((mimeEl.textContent ?? '').replace(/\s+/g, ''), 'base64')) : {};
      const subject = text(child(itemEl, 'Subject')) ?? headers.subject;
      const info = { mailbox: mailbox.smtp, indexInBatch, nthItem: 0, kind, ...(subject !== undefined ? { subject } : {}), ...(headers.messageId !== undefined ? { internetMessageId: headers.messageId } : {}) };
      return (rule.indexInBatch === undefined || rule.indexInBatch === indexInBatch) && (!rule.when || rule.when(info));
    }),
  );
}

const createItem: Handler = (ctx) => {
  const createAttributes = attributes(ctx.el);
  const disposition = createAttributes.MessageDisposition;
  const invitations = createAttributes.SendMeetingInvitations;
  const savedIn = child(ctx.el, 'SavedItemFolderId');
  const target = savedIn ? resolveFolder(ctx, children(savedIn)[0]!) : undefined;
  const itemEls = children(child(ctx.el, 'Items')!);
  if (disposition && disposition !== 'SaveOnly') ctx.violation('mail-sent', `CreateItem MessageDisposition="${disposition}": a migration never sends mail`);
  const fatal = requestLevelRule(ctx, itemEls, target?.mailbox ?? ctx.mailbox);
  if (fatal) return { status: 500, body: soapFault(fatal.code, fatal.message ?? 'The request is invalid.'), outcome: fatal.code };
  const messages = itemEls.map((itemEl, indexInBatch) => {
    const kind = (ITEM_CLASS[itemEl.localName as EwsItemKind] ? itemEl.localName : 'Item') as EwsItemKind;
    const fail = (code: string, text: string): string => errorMessage('CreateItem', code, text, { trailer: '<m:Items/>' });
    const nthItem = ctx.nextItemNumber();
    if (kind === 'Message' && !disposition) return fail('ErrorMessageDispositionRequired', 'MessageDisposition attribute is required.');
    if (kind === 'CalendarItem') {
      if (!invitations) return fail('ErrorSendMeetingInvitationsRequired', 'SendMeetingInvitations attribute is required for calendar items.');
      if (invitations !== 'SendToNone') ctx.violation('meeting-invitations-sent', `CreateItem SendMeetingInvitations="${invitations}": a migration must use SendToNone`);
    }
    const mimeEl = child(itemEl, 'MimeContent');
    const mime = mimeEl ? Buffer.from((mimeEl.textContent ?? '').replace(/\s+/g, ''), 'base64') : undefined;
    const headers = mime ? mimeHeaders(mime) : {};
    const extendedProps = childrenNamed(itemEl, 'ExtendedProperty').map(parseExtendedProperty).filter((p) => p !== undefined);
    const subject = text(child(itemEl, 'Subject')) ?? headers.subject;
    const internetMessageId = text(child(itemEl, 'InternetMessageId')) ?? headers.messageId;
    const xml = serialize(itemEl);
    const size = mime ? mime.length : Buffer.byteLength(xml);
    const limit = ctx.simulation.maxItemBytes;
    if (limit !== null && size > limit) {
      return fail('ErrorMessageSizeExceeded', 'The message exceeds the maximum supported size.');
    }
    const info = {
      mailbox: (target?.mailbox ?? ctx.mailbox).smtp, indexInBatch, nthItem, kind,
      ...(subject !== undefined ? { subject } : {}), ...(internetMessageId !== undefined ? { internetMessageId } : {}),
    };
    const rule = ctx.simulation.itemFailures.find((r) => !r.requestLevel && ruleFires(ctx, r, info));
    if (rule) return fail(rule.code, rule.message ?? `Simulated failure ${rule.code}.`);
    const mailbox = target?.mailbox ?? ctx.mailbox;
    const folder = target ? target.folder : mailbox.folderByDistinguishedId(DEFAULT_FOLDER[kind]);
    if (target?.denied) return fail('ErrorAccessDenied', ACCESS_DENIED);
    if (!folder) return fail('ErrorFolderNotFound', FOLDER_NOT_FOUND);
    const flagsProp = extendedProps.find((p) => p.tag === '0x0e07');
    const isReadText = text(child(itemEl, 'IsRead'));
    if (flagsProp && isReadText !== undefined && (Number(flagsProp.value) & MSGFLAG_READ ? 'true' : 'false') !== isReadText) {
      ctx.violation('isread-contradicts-message-flags', `t:IsRead=${isReadText} but PR_MESSAGE_FLAGS=${flagsProp.value}`);
    }
    const isRead = flagsProp ? (Number(flagsProp.value) & MSGFLAG_READ) !== 0 : isReadText === 'true';
    const flagEl = child(itemEl, 'Flag');
    const categoriesEl = child(itemEl, 'Categories');
    const item: PeerItem = {
      id: mailbox.newItemId(),
      changeKey: newChangeKey(),
      folderId: folder.id,
      folderPath: folder.path,
      kind,
      itemClass: text(child(itemEl, 'ItemClass')) ?? ITEM_CLASS[kind],
      ...(mime ? { mime, mimeCharacterSet: attr(mimeEl, 'CharacterSet') ?? 'UTF-8' } : {}),
      extendedProps,
      ...(kind === 'Message' ? { isRead } : {}),
      categories: categoriesEl ? childrenNamed(categoriesEl, 'String').map((s) => s.textContent ?? '') : [],
      ...(flagEl ? { flag: Object.fromEntries(children(flagEl).map((c) => [c.localName, c.textContent ?? ''])) } : {}),
      ...(subject !== undefined ? { subject } : {}),
      ...(internetMessageId !== undefined ? { internetMessageId } : {}),
      fields: kind === 'Task' ? taskFields(itemEl) : simpleFields(itemEl),
      xml,
      createAttributes,
      createdAt: Date.now(),
      deletedOccurrences: [],
      exceptions: [],
    };
    mailbox.addItem(item);
    ctx.itemStored(mailbox.smtp, item);
    return successMessage('CreateItem', `<m:Items><t:${kind}><t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/></t:${kind}></m:Items>`);
  });
  return ok(operationResponse('CreateItem', messages));
};

function findStoredItem(ctx: OpContext, id: string): { mailbox: MailboxStore; item: PeerItem } | undefined {
  const mailbox = ctx.holderOf(id);
  const item = mailbox && ctx.canOpen(mailbox) ? mailbox.itemById(id) : undefined;
  return mailbox && item ? { mailbox, item } : undefined;
}

const getItem: Handler = (ctx) => {
  const shape = parseShape(child(ctx.el, 'ItemShape'));
  return ok(operationResponse('GetItem', children(child(ctx.el, 'ItemIds')!).map((idEl) => {
    const found = findStoredItem(ctx, attr(idEl, 'Id') ?? '');
    if (!found) return errorMessage('GetItem', 'ErrorItemNotFound', 'The specified object was not found in the store.', { trailer: '<m:Items/>' });
    return successMessage('GetItem', `<m:Items>${itemXml(found.item, found.mailbox.folderById(found.item.folderId), shape, true)}</m:Items>`);
  })));
};

const findItem: Handler = (ctx) => {
  const shape = parseShape(child(ctx.el, 'ItemShape'));
  const restrictionEl = child(ctx.el, 'Restriction');
  const restriction = restrictionEl ? children(restrictionEl)[0] : undefined;
  const { offset, max } = paging(ctx.el, 'IndexedPageItemView');
  return ok(operationResponse('FindItem', children(child(ctx.el, 'ParentFolderIds')!).map((idEl) => {
    const ref = resolveFolder(ctx, idEl);
    const { mailbox, folder } = ref;
    if (!folder) return folderError('FindItem', ref);
    const found = mailbox.itemsIn(folder).filter((item) => !restriction || matches(restriction, (path) => itemValue(item, path)));
    const page = found.slice(offset, offset + max);
    // FindItem never returns MimeContent (Exchange refuses it there).
    return successMessage('FindItem', rootFolder(offset, page.length, found.length, `<t:Items>${page.map((i) => itemXml(i, folder, shape, false)).join('')}</t:Items>`));
  })));
};

function userConfigKey(ctx: OpContext, nameEl: Element): { key: string; name: string; folder: PeerFolder | undefined; mailbox: MailboxStore } {
  const { mailbox, folder } = resolveFolder(ctx, children(nameEl)[0]!);
  const name = attr(nameEl, 'Name') ?? '';
  return { key: `${folder?.id}|${name.toLowerCase()}`, name, folder, mailbox };
}

const NOT_FOUND = 'The specified object was not found in the store.';

const createUserConfiguration: Handler = (ctx) => {
  const conf = child(ctx.el, 'UserConfiguration')!;
  const { key, name, folder, mailbox } = userConfigKey(ctx, child(conf, 'UserConfigurationName')!);
  if (!folder) return ok(operationResponse('CreateUserConfiguration', [errorMessage('CreateUserConfiguration', 'ErrorFolderNotFound', FOLDER_NOT_FOUND)]));
  if (mailbox.userConfigurations.has(key)) {
    return ok(operationResponse('CreateUserConfiguration', [errorMessage('CreateUserConfiguration', 'ErrorItemSave', 'An object with the same name already exists.')]));
  }
  const binaryData = text(child(conf, 'BinaryData'));
  const xmlData = text(child(conf, 'XmlData'));
  mailbox.userConfigurations.set(key, { name, folderId: folder.id, id: mailbox.newItemId(), ...(binaryData !== undefined ? { binaryData } : {}), ...(xmlData !== undefined ? { xmlData } : {}) });
  return ok(operationResponse('CreateUserConfiguration', [successMessage('CreateUserConfiguration', '')]));
};

const updateUserConfiguration: Handler = (ctx) => {
  const conf = child(ctx.el, 'UserConfiguration')!;
  const { key, mailbox } = userConfigKey(ctx, child(conf, 'UserConfigurationName')!);
  const existing = mailbox.userConfigurations.get(key);
  if (!existing) return ok(operationResponse('UpdateUserConfiguration', [errorMessage('UpdateUserConfiguration', 'ErrorItemNotFound', NOT_FOUND)]));
  const binaryData = text(child(conf, 'BinaryData'));
  const xmlData = text(child(conf, 'XmlData'));
  if (binaryData !== undefined) existing.binaryData = binaryData;
  if (xmlData !== undefined) existing.xmlData = xmlData;
  return ok(operationResponse('UpdateUserConfiguration', [successMessage('UpdateUserConfiguration', '')]));
};

const getUserConfiguration: Handler = (ctx) => {
  const { key, mailbox } = userConfigKey(ctx, child(ctx.el, 'UserConfigurationName')!);
  const conf = mailbox.userConfigurations.get(key);
  if (!conf) return ok(operationResponse('GetUserConfiguration', [errorMessage('GetUserConfiguration', 'ErrorItemNotFound', NOT_FOUND)]));
  const folder = mailbox.folderById(conf.folderId)!;
  const props = text(child(ctx.el, 'UserConfigurationProperties')) ?? 'All';
  const wants = (p: string): boolean => props.includes('All') || props.includes(p);
  const inner =
    `<t:UserConfigurationName Name="${esc(conf.name)}"><t:FolderId Id="${folder.id}" ChangeKey="${folder.changeKey}"/></t:UserConfigurationName>` +
    (wants('Id') ? `<t:ItemId Id="${conf.id}" ChangeKey="${newChangeKey()}"/>` : '') +
    (wants('XmlData') && conf.xmlData !== undefined ? `<t:XmlData>${conf.xmlData}</t:XmlData>` : '') +
    (wants('BinaryData') && conf.binaryData !== undefined ? `<t:BinaryData>${conf.binaryData}</t:BinaryData>` : '');
  return ok(operationResponse('GetUserConfiguration', [successMessage('GetUserConfiguration', `<m:UserConfiguration>${inner}</m:UserConfiguration>`)]));
};

export const HANDLERS: Record<string, Handler> = {
  GetFolder: getFolder,
  FindFolder: findFolder,
  CreateFolder: createFolder,
  CreateItem: createItem,
  GetItem: getItem,
  FindItem: findItem,
  DeleteItem: deleteItem,
  UpdateItem: updateItem,
  CreateUserConfiguration: createUserConfiguration,
  UpdateUserConfiguration: updateUserConfiguration,
  GetUserConfiguration: getUserConfiguration,
};

export function notImplemented(operation: string): OpAnswer {
  return {
    status: 500,
    body: soapFault('ErrorInvalidRequest', `The EWS peer does not implement ${operation}.`),
    outcome: 'ErrorInvalidRequest',
  };
}
