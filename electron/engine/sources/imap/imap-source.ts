import { ImapFlow, type FetchMessageObject, type ListResponse } from 'imapflow';

import { CloudwardError } from '../../../contract/index.js';
import type { Logger } from '../../log/logger.js';
import type { MailFlags, MailItem, SourceEntry, SourceFolder } from '../../model/items.js';
import type { Source, SourceContext, SourceFolderPreview } from '../source.js';
import type { ImapAddress } from './imap-address.js';
import { toImapError } from './imap-errors.js';
import { assignRoles, splitMailboxName } from './folder-names.js';
import {
  folderKeyPrefix,
  folderScope,
  formatCheckpoint,
  mailKey,
  parseCheckpoint,
  uidFromKey,
  uidSet,
} from './item-keys.js';
import type { ImapLogin } from './login-format.js';
import { previewStatusQuery, statusBytes } from './folder-sizes.js';
import { type Clock, realClock } from '../../pipeline/pacer.js';
import { retryDelay } from '../../pipeline/retry-policy.js';
import { SerialLock } from '../../pipeline/serial-lock.js';

export interface ImapSourceOptions {
  readonly address: ImapAddress;
  /** Resolved lazily in open(): the keychain or a prompt may be slow. */
  readonly login: () => Promise<ImapLogin>;
  /** The server refused the login's password: forget it where it was kept (the next run asks again). */
  readonly loginRefused?: () => Promise<void>;
  /** PEM of the one server certificate (or CA) to trust: --source-ca. */
  readonly ca?: Buffer;
  /** Courier/Oracle virtual shared folders: the folder under which this user's mailbox lives. */
  readonly userRoot?: string;
  /** imap:// without STARTTLS. Off by default: a password never crosses the network in clear. */
  readonly allowPlaintext?: boolean;
  readonly log?: Logger;
  readonly tuning?: Partial<ImapTuning>;
  /** The pipeline's clock for reconnect waits; a test may inject its own. */
  readonly clock?: Clock;
}

export interface ImapTuning {
  /** Socket inactivity timeout. */
  socketTimeoutMs: number;
  /** A server back-off up to this long is waited out; a longer one ends the run with THROTTLED. */
  maxThrottleWaitMs: number;
  reconnectAttempts: number;
  /** UIDs per metadata FETCH. */
  pageSize: number;
  /** Messages up to this size are fetched with their page; larger ones stream in chunks in load(). */
  inlineBodyBytes: number;
  /** Upper bound of small messages' bodies per FETCH; the source holds two such runs at most. */
  pageBodyBytes: number;
  /** Partial FETCH size for large messages. */
  chunkBytes: number;
}

const defaultTuning: ImapTuning = {
  socketTimeoutMs: 120_000,
  maxThrottleWaitMs: 60_000,
  reconnectAttempts: 6,
  pageSize: 250,
  inlineBodyBytes: 1024 * 1024,
  // 1 MB of bodies per FETCH, not 4: the pipeline holds a page while the target writes the one before, so
  // this is most of the bytes in flight (issue 15: RSS); one round trip per MB costs nothing measurable.
  pageBodyBytes: 1024 * 1024,
  chunkBytes: 1024 * 1024,
};

interface ImapFolder {
  readonly folder: SourceFolder;
  /** The folder's bytes where the listing asked STATUS for SIZE (the preview: folder-sizes.ts), else 0. */
  readonly bytes: number;
  /** The decoded name imapflow selects by (it re-encodes to modified UTF-7). */
  readonly selectPath: string;
  readonly selectable: boolean;
}

interface MessageMeta {
  uid: number;
  size: number;
  flags: Set<string>;
  internalDate: Date | undefined;
  messageId: string | undefined;
  sentAt: Date | undefined;
  subject: string | undefined;
}

const retryableCodes = new Set(['CONNECTION_LOST', 'TIMEOUT', 'THROTTLED']);

/**
 * An IMAP mailbox as a Source: folders by LIST (roles by SPECIAL-USE, then by name), mail by
 * UID FETCH BODY.PEEK[] on a read-only (EXAMINE) selection, so nothing is ever marked read.
 * Incremental per folder (UIDVALIDITY + last UID checkpoints); survives dropped connections,
 * BYE and server back-off by reconnecting and resuming after the last UID it handed out.
 */
export class ImapSource implements Source {
  readonly label: string;
  private readonly tuning: ImapTuning;
  private readonly lock = new SerialLock();
  private client: ImapFlow | undefined;
  private auth: ImapLogin | undefined;
  private selected: { path: string; uidValidity: string } | undefined;
  private closed = false;

  constructor(private readonly options: ImapSourceOptions) {
    this.tuning = { ...defaultTuning, ...options.tuning };
    const { address } = options;
    this.label = `${address.scheme}://${address.user}@${address.host}:${address.port}`;
  }

  async open(): Promise<void> {
    this.auth = await this.options.login();
    try {
      await this.connect();
    } catch (error) {
      if (error instanceof CloudwardError && error.code === 'SOURCE_AUTH_FAILED') await this.options.loginRefused?.().catch(() => undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    try {
      if (client.usable) await client.logout();
    } catch {
      // the server may already be gone; closing is best effort
    }
    client.close();
  }

  /** Message counts and sizes per folder (LIST-STATUS or STATUS, SIZE where the server has STATUS=SIZE). */
  async preview(signal?: AbortSignal): Promise<SourceFolderPreview[]> {
    const folders = await this.listFolders(signal, previewStatusQuery);
    return folders.filter((folder) => folder.selectable).map((folder) => ({ path: folder.folder.path, items: folder.folder.count ?? 0, bytes: folder.bytes }));
  }

  async estimate(): Promise<{ items: number; bytes?: number } | undefined> {
    const folders = await this.listFolders();
    let items = 0;
    for (const folder of folders) items += folder.folder.count ?? 0;
    return { items };
  }

  async *entries(context: SourceContext): AsyncIterable<SourceEntry> {
    const folders = await this.listFolders(context.signal);
    for (const folder of folders) yield { type: 'folder', folder: folder.folder };
    for (const folder of folders) {
      if (!folder.selectable) continue;
      yield* this.folderEntries(folder, context);
    }
  }

  private async *folderEntries(folder: ImapFolder, context: SourceContext): AsyncIterable<SourceEntry> {
    const path = folder.folder.path;
    const scope = folderScope(path);
    for (;;) {
      let uidValidity: string;
      try {
        uidValidity = await this.retrying('SELECT', context.signal, () => this.select(folder.selectPath));
      } catch (error) {
        const failure = toImapError(error, `${this.label} SELECT`);
        if (retryableCodes.has(failure.code) || failure.code === 'CANCELLED') throw failure;
        // One folder the server will not open (deleted meanwhile, broken on disk) is reported; the others go on.
        context.reportUnreadable({ key: scope, folderPath: path, kind: 'mail', reason: `folder cannot be opened: ${failure.message}` });
        return;
      }
      const checkpoint = parseCheckpoint(context.checkpoint(scope));
      const sameValidity = checkpoint?.uidValidity === uidValidity;
      const after = sameValidity ? checkpoint.lastUid : 0;
      if (checkpoint && !sameValidity) {
        this.options.log?.info({ folder: path, old: checkpoint.uidValidity, now: uidValidity }, 'UIDVALIDITY changed: rescanning folder');
      }
      const prefix = folderKeyPrefix(path, uidValidity);
      // Items a previous run handed out below the checkpoint but never settled (failed, retryable).
      const again = sameValidity
        ? context
            .unsettledKeys(prefix)
            .map((key) => uidFromKey(key, prefix))
            .filter((uid): uid is number => uid !== undefined && uid <= after)
        : [];
      const newer = await this.retrying('UID SEARCH', context.signal, () =>
        this.inFolder(folder.selectPath, uidValidity, async (client) => {
          const found = await client.search({ uid: `${after + 1}:*` }, { uid: true });
          // "n:*" always matches the highest UID, even below n.
          return (found || []).filter((uid) => uid > after);
        }),
      );
      const uids = [...new Set([...again, ...newer.sort((a, b) => a - b)])];
      const outcome = yield* this.pages(folder, uidValidity, uids, after, context);
      if (outcome !== 'uidvalidity-changed') return;
    }
  }

  /**
   * Walks `uids` a page at a time; a dropped connection resumes after the last UID handed out. Within a
   * page, the bodies of small messages come in runs of at most pageBodyBytes; the next run is fetched
   * while one is handed out, so the source holds two runs, whatever the page's messages weigh.
   */
  private async *pages(
    folder: ImapFolder,
    uidValidity: string,
    uids: number[],
    checkpointFloor: number,
    context: SourceContext,
  ): AsyncGenerator<SourceEntry, 'done' | 'uidvalidity-changed'> {
    const path = folder.folder.path;
    const scope = folderScope(path);
    let next = 0;
    let highest = checkpointFloor;
    while (next < uids.length) {
      if (context.signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
      const page = uids.slice(next, next + this.tuning.pageSize);
      let listed: MessageMeta[];
      try {
        listed = await this.retrying('FETCH', context.signal, () => this.fetchMeta(folder, uidValidity, page, context));
      } catch (error) {
        if (error instanceof UidValidityChanged) return 'uidvalidity-changed';
        throw error;
      }
      const runs: { start: number; end: number; inline: number[] }[] = [];
      for (let start = 0; start < listed.length; ) {
        const run = this.bodyRun(listed, start);
        runs.push({ start, ...run });
        start = run.end;
      }
      const fetchRun = (index: number): Promise<Map<number, Buffer>> => {
        const run = runs[index];
        if (!run || run.inline.length === 0) return Promise.resolve(new Map());
        const fetching = this.retrying('FETCH', context.signal, () => this.fetchBodies(folder, uidValidity, run.inline, context));
        // Awaited below; until then (or if the consumer stops early) its failure must not go unhandled.
        fetching.catch(() => undefined);
        return fetching;
      };
      let pending = fetchRun(0);
      for (const [index, run] of runs.entries()) {
        if (context.signal.aborted) throw new CloudwardError('CANCELLED', 'The job was cancelled');
        let bodies: Map<number, Buffer>;
        try {
          bodies = await pending;
        } catch (error) {
          if (error instanceof UidValidityChanged) return 'uidvalidity-changed';
          throw error;
        }
        // The next run is read while this one is converted and written (reading is most of a mailbox's
        // wall time): two runs in memory at most.
        pending = fetchRun(index + 1);
        for (const meta of listed.slice(run.start, run.end)) {
          if (meta.size > this.tuning.inlineBodyBytes) {
            yield { type: 'item', item: this.mailItem(folder, uidValidity, meta, undefined) };
            continue;
          }
          const body = bodies.get(meta.uid);
          // No body: refused (reported by fetchBodies) or expunged meanwhile (nothing left to migrate).
          if (body !== undefined) yield { type: 'item', item: this.mailItem(folder, uidValidity, meta, body) };
          bodies.delete(meta.uid);
        }
      }
      next += page.length;
      const last = page[page.length - 1] ?? highest;
      if (last > highest) {
        highest = last;
        context.saveCheckpoint(scope, formatCheckpoint({ uidValidity, lastUid: highest }));
      }
    }
    return 'done';
  }

  /** From `start`, the messages up to the next pageBodyBytes of small bodies; large ones ride along (they stream in load()). */
  private bodyRun(listed: readonly MessageMeta[], start: number): { end: number; inline: number[] } {
    const inline: number[] = [];
    let bytes = 0;
    let end = start;
    for (; end < listed.length; end++) {
      const meta = listed[end]!;
      if (meta.size > this.tuning.inlineBodyBytes) continue;
      if (inline.length > 0 && bytes + meta.size > this.tuning.pageBodyBytes) break;
      inline.push(meta.uid);
      bytes += meta.size;
    }
    return { end, inline };
  }

  /** One page's metadata: sizes first (cheap), so settled messages are skipped, then flags, dates and envelope of the rest. */
  private fetchMeta(folder: ImapFolder, uidValidity: string, page: number[], context: SourceContext): Promise<MessageMeta[]> {
    return this.inFolder(folder.selectPath, uidValidity, async (client) => {
      const wanted: number[] = [];
      for await (const message of client.fetch(uidSet(page), { uid: true, size: true }, { uid: true })) {
        if (!context.isSettled(mailKey(folder.folder.path, uidValidity, message.uid))) wanted.push(message.uid);
      }
      const meta: MessageMeta[] = [];
      const query = { uid: true, flags: true, internalDate: true, size: true, envelope: true } as const;
      await this.fetchEach(client, folder, uidValidity, wanted, context, async (uids) => {
        const done = meta.length;
        try {
          for await (const message of client.fetch(uidSet(uids), query, { uid: true })) meta.push(toMeta(message));
        } catch (error) {
          meta.length = done;
          throw error;
        }
      });
      return meta.sort((a, b) => a.uid - b.uid);
    });
  }

  /** The bodies of `uids` (small messages) in one FETCH. */
  private fetchBodies(folder: ImapFolder, uidValidity: string, uids: number[], context: SourceContext): Promise<Map<number, Buffer>> {
    return this.inFolder(folder.selectPath, uidValidity, async (client) => {
      const bodies = new Map<number, Buffer>();
      await this.fetchEach(client, folder, uidValidity, uids, context, async (some) => {
        const got: number[] = [];
        try {
          for await (const message of client.fetch(uidSet(some), { uid: true, source: true }, { uid: true })) {
            if (!message.source) continue;
            bodies.set(message.uid, message.source);
            got.push(message.uid);
          }
        } catch (error) {
          for (const uid of got) bodies.delete(uid);
          throw error;
        }
      });
      return bodies;
    });
  }

  /**
   * A server that refuses one message (NO, unparsable answer) must not sink the folder: a refused batch
   * is retried one message at a time and each refusal becomes a per-item failure with its reason.
   */
  private async fetchEach(
    client: ImapFlow,
    folder: ImapFolder,
    uidValidity: string,
    uids: number[],
    context: SourceContext,
    fetch: (uids: number[]) => Promise<void>,
  ): Promise<void> {
    if (uids.length === 0) return;
    try {
      await fetch(uids);
      return;
    } catch (error) {
      if (retryableCodes.has(toImapError(error, this.label).code) || !client.usable) throw error;
    }
    for (const uid of uids) {
      try {
        await fetch([uid]);
      } catch (error) {
        const failure = toImapError(error, this.label);
        if (retryableCodes.has(failure.code) || !client.usable) throw error;
        context.reportUnreadable({ key: mailKey(folder.folder.path, uidValidity, uid), folderPath: folder.folder.path, kind: 'mail', reason: failure.message });
      }
    }
  }

  private mailItem(folder: ImapFolder, uidValidity: string, meta: MessageMeta, body: Buffer | undefined): MailItem {
    const key = mailKey(folder.folder.path, uidValidity, meta.uid);
    const flags = mailFlags(meta.flags);
    const keywords = [...meta.flags].filter((flag) => !flag.startsWith('\\') && flag.toLowerCase() !== '$forwarded');
    const item: MailItem = {
      kind: 'mail',
      key,
      folder: folder.folder,
      size: meta.size,
      flags,
      keywords,
      categories: [],
      load: () =>
        body !== undefined
          ? Promise.resolve(body)
          : this.retrying('FETCH BODY', undefined, () => this.loadLarge(folder, uidValidity, meta, key)).catch((error: unknown) => {
              if (error instanceof UidValidityChanged) {
                throw new CloudwardError('ITEM_UNREADABLE', `${this.label}: UIDVALIDITY of ${folder.selectPath} changed; the next run rescans it`, { item: key });
              }
              throw error;
            }),
      ...(meta.subject !== undefined ? { title: meta.subject } : {}),
      ...(meta.messageId !== undefined ? { messageId: meta.messageId } : {}),
      ...(meta.sentAt !== undefined ? { sentAt: meta.sentAt } : {}),
      ...(meta.internalDate !== undefined ? { receivedAt: meta.internalDate } : {}),
      // No Date header: INTERNALDATE, the server's delivery time (RFC 3501 2.3.3), already dates its
      // delivery (receivedAt), so it does not land with the migration day; the report says so.
      ...(meta.sentAt === undefined && meta.internalDate !== undefined
        ? { caveat: `no Date header: dated by the server's delivery time (INTERNALDATE ${meta.internalDate.toISOString()})` }
        : {}),
    };
    return item;
  }

  /**
   * BODY.PEEK[]<offset.chunk> into one buffer of the announced size: a 100 MB message is in memory
   * once, plus one chunk, never concatenated from pieces.
   */
  private loadLarge(folder: ImapFolder, uidValidity: string, meta: MessageMeta, key: string): Promise<Uint8Array> {
    return this.inFolder(folder.selectPath, uidValidity, async (client) => {
      let buffer = Buffer.allocUnsafe(meta.size);
      let offset = 0;
      for (;;) {
        const answer = await client.fetchOne(
          String(meta.uid),
          { uid: true, source: { start: offset, maxLength: this.tuning.chunkBytes } },
          { uid: true },
        );
        if (!answer) {
          throw new CloudwardError('ITEM_UNREADABLE', `Message UID ${meta.uid} in ${folder.selectPath} is gone from the server`, { item: key });
        }
        const chunk = answer.source ?? Buffer.alloc(0);
        if (offset + chunk.length > buffer.length) {
          // The server's RFC822.SIZE was short; grow once rather than lose bytes.
          const grown = Buffer.allocUnsafe(Math.max(offset + chunk.length, buffer.length * 2));
          buffer.copy(grown, 0, 0, offset);
          buffer = grown;
        }
        chunk.copy(buffer, offset);
        offset += chunk.length;
        if (chunk.length < this.tuning.chunkBytes) break;
      }
      return offset === buffer.length ? buffer : buffer.subarray(0, offset);
    });
  }

  private async listFolders(signal?: AbortSignal, statusQuery: { messages: true; size?: true } = { messages: true }): Promise<ImapFolder[]> {
    const entries = await this.retrying('LIST', signal, () =>
      this.lock.run(async () => (await this.connected()).list({ statusQuery })),
    );
    const utf8 = this.client?.enabled.has('UTF8=ACCEPT') ?? false;
    const root = this.userRootSegments(entries);
    const found: { entry: ListResponse; path: string[] }[] = [];
    for (const entry of entries) {
      if (entry.flags.has('\\NonExistent')) continue;
      let path = splitMailboxName(entry.pathAsListed ?? entry.path, entry.delimiter, utf8);
      if (root) {
        if (path.length < root.length || !root.every((segment, i) => segment === path[i])) continue;
        path = path.length === root.length ? ['INBOX'] : path.slice(root.length);
      }
      found.push({ entry, path });
    }
    const roles = assignRoles(found.map(({ entry, path }) => ({ path, specialUse: entry.specialUse })));
    return found.map(({ entry, path }, index): ImapFolder => {
      const role = roles[index];
      const count = entry.status?.messages;
      const folder: SourceFolder = {
        path,
        holds: 'mail',
        ...(role !== undefined ? { special: role } : {}),
        ...(count !== undefined ? { count } : {}),
      };
      return { folder, bytes: statusBytes(entry.status), selectPath: entry.path, selectable: !entry.flags.has('\\Noselect') };
    });
  }

  private userRootSegments(entries: ListResponse[]): string[] | undefined {
    const userRoot = this.options.userRoot;
    if (userRoot === undefined || userRoot === '') return undefined;
    const delimiter = entries.find((entry) => entry.delimiter)?.delimiter ?? '/';
    const segments = userRoot.split(delimiter).filter((segment) => segment !== '');
    if (segments.length === 0) return undefined;
    if (!entries.some((entry) => splitMailboxName(entry.pathAsListed ?? entry.path, entry.delimiter, false).slice(0, segments.length).join('\u0000') === segments.join('\u0000'))) {
      throw new CloudwardError('SOURCE_UNREADABLE', `${this.label}: no folder lies under UserRoot "${userRoot}"`);
    }
    return segments;
  }

  /** Selects read-only (EXAMINE) and returns UIDVALIDITY. */
  private select(path: string): Promise<string> {
    return this.lock.run(async () => {
      const client = await this.connected();
      const mailbox = await client.mailboxOpen(path, { readOnly: true });
      const uidValidity = String(mailbox.uidValidity);
      this.selected = { path, uidValidity };
      return uidValidity;
    });
  }

  /** Runs `task` with `path` selected, after checking UIDVALIDITY did not change under us. */
  private inFolder<T>(path: string, uidValidity: string, task: (client: ImapFlow) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      const client = await this.connected();
      if (this.selected?.path !== path || client.mailbox === false) {
        const mailbox = await client.mailboxOpen(path, { readOnly: true });
        this.selected = { path, uidValidity: String(mailbox.uidValidity) };
      }
      if (this.selected.uidValidity !== uidValidity) throw new UidValidityChanged();
      return task(client);
    });
  }

  private async connected(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    await this.connect();
    if (!this.client) throw new CloudwardError('CONNECTION_LOST', `${this.label}: not connected`);
    return this.client;
  }

  private async connect(): Promise<void> {
    if (this.closed) throw new CloudwardError('CANCELLED', `${this.label}: the source is closed`);
    if (!this.auth) throw new CloudwardError('INTERNAL', `${this.label}: open() was not called`);
    const old = this.client;
    this.client = undefined;
    this.selected = undefined;
    if (old) old.close();
    const { address } = this.options;
    const client = new ImapFlow({
      host: address.host,
      port: address.port,
      secure: address.secure,
      // imap://: STARTTLS is required unless plaintext was allowed explicitly.
      doSTARTTLS: address.secure ? undefined : this.options.allowPlaintext ? undefined : true,
      auth: this.auth,
      logger: false,
      disableAutoIdle: true,
      socketTimeout: this.tuning.socketTimeoutMs,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      tls: this.options.ca ? { ca: this.options.ca } : {},
      clientInfo: { name: 'Cloudward' },
    });
    // A dropped socket after connect() is reported through the next command; keep it from crashing.
    client.on('error', (error: unknown) => this.options.log?.warn({ err: toImapError(error, this.label).message }, 'IMAP connection error'));
    try {
      await client.connect();
    } catch (error) {
      client.close();
      throw toImapError(error, this.label);
    }
    this.client = client;
  }

  /**
   * Runs `operation`, reconnecting after a dropped connection, BYE or timeout, and waiting out a
   * server back-off up to maxThrottleWaitMs; what is left after that is thrown as a CloudwardError.
   */
  private async retrying<T>(what: string, signal: AbortSignal | undefined, operation: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation();
      } catch (error) {
        if (error instanceof UidValidityChanged) throw error;
        const failure = toImapError(error, `${this.label} ${what}`);
        if (!retryableCodes.has(failure.code) || attempt > this.tuning.reconnectAttempts || this.closed) throw failure;
        // The pipeline's one retry policy: exponential with jitter, the server's own hint first.
        if ((failure.retryAfterMs ?? 0) > this.tuning.maxThrottleWaitMs) throw failure;
        const policy = { maxAttempts: this.tuning.reconnectAttempts + 1, baseDelayMs: 250, maxDelayMs: 8_000 };
        const wait = Math.max(retryDelay(policy, attempt + 1, failure), 250);
        this.options.log?.warn({ what, attempt, wait, code: failure.code, err: failure.message }, 'IMAP retry');
        await (this.options.clock ?? realClock).sleep(wait, signal);
        // Next operation reconnects when the old client is no longer usable.
        if (this.client && !this.client.usable) {
          this.client.close();
          this.client = undefined;
        }
      }
    }
  }
}

class UidValidityChanged extends Error {
  constructor() {
    super('UIDVALIDITY changed');
  }
}

function mailFlags(flags: Set<string>): MailFlags {
  const lower = new Set([...flags].map((flag) => flag.toLowerCase()));
  return {
    seen: lower.has('\\seen'),
    flagged: lower.has('\\flagged'),
    answered: lower.has('\\answered'),
    draft: lower.has('\\draft'),
    forwarded: lower.has('$forwarded'),
  };
}

function toMeta(message: FetchMessageObject): MessageMeta {
  const date = message.envelope?.date;
  const internal = message.internalDate;
  const internalDate = internal instanceof Date ? internal : internal ? new Date(internal) : undefined;
  return {
    uid: message.uid,
    size: message.size ?? 0,
    flags: message.flags ?? new Set(),
    internalDate: internalDate && !Number.isNaN(internalDate.getTime()) ? internalDate : undefined,
    messageId: message.envelope?.messageId || undefined,
    sentAt: date instanceof Date && !Number.isNaN(date.getTime()) ? date : undefined,
    subject: message.envelope?.subject || undefined,
  };
}
