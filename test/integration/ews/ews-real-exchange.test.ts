import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CalendarEvent, PromptAnswer, PromptBody } from '../../../electron/contract/index.js';
import type { PreparedItem, SourceFolder, SourceItem } from '../../../electron/engine/model/items.js';
import type { Prompter } from '../../../electron/engine/prompts/prompter.js';
import { StaticTokenAuth } from '../../../electron/engine/targets/ews/auth/auth.js';
import { ewsTargetSpec } from '../../../electron/engine/targets/ews/ews-spec.js';
import { EwsTarget } from '../../../electron/engine/targets/ews/ews-target.js';
import { HttpTransport } from '../../../electron/engine/targets/ews/transport/http-transport.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { hasFixtures } from '../../support/fixtures.js';
import { folderRef, mailItem, MemorySecrets, prepare, silentLog, tokenTarget } from './ews-helpers.js';

/**
 * Issue 9: what a real Exchange does that the first peer did not. Each peer behaviour cites its Microsoft
 * document in test/peers/ews (README.md "Exchange behaviours").
 */
const signal = new AbortController().signal;
const inbox: SourceFolder = { path: ['Inbox'], special: 'inbox' };
const calendar: SourceFolder = { path: ['Calendar'], special: 'calendar', holds: 'event' };
const contacts: SourceFolder = { path: ['Contacts'], special: 'contacts', holds: 'contact' };

/** A message written in local time (+0100) with encoded words and quoted names: Exchange gives all of it back differently. */
function localTimeMail(n: number, subject = `Grüße aus Köln ${n}`): Uint8Array {
  return Buffer.from(
    [
      `From: "Müller, Jörg" <joerg.mueller@example.org>`,
      `To: Anna <anna@contoso.example>, bob@example.org`,
      `Subject: =?UTF-8?Q?${Buffer.from(subject, 'utf8').toString('latin1') === subject ? subject.replace(/ /g, '_') : encodeQ(subject)}?=`,
      `Date: Tue, 03 Mar 2026 09:1${n % 10}:00 +0100`,
      `Message-ID: <local-${n}-${Math.random().toString(36).slice(2)}@example.org>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      `Hallo Anna, Nachricht ${n}.`,
      '',
    ].join('\r\n'),
    'utf8',
  );
}

function encodeQ(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (b === 0x20 ? '_' : b < 0x80 && /[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

function mails(prefix: string, count: number, folderId: string): PreparedItem[] {
  return Array.from({ length: count }, (_, i) => {
    const bytes = localTimeMail(i);
    return prepare(mailItem(`${prefix}-${i}`, inbox, bytes), folderRef(['Inbox'], folderId), bytes);
  });
}

function weeklySeries(uid: string): CalendarEvent {
  return {
    uid,
    subject: 'Jour fixe',
    start: new Date('2026-03-03T08:00:00Z'),
    end: new Date('2026-03-03T09:00:00Z'),
    allDay: false,
    timeZone: 'W. Europe Standard Time',
    categories: [],
    attendees: [],
    recurrence: { frequency: 'WEEKLY', interval: 1, byDay: ['TU'], count: 10 },
    deletedOccurrences: [],
    modifiedOccurrences: [],
  };
}

const eventItem = (key: string, event: CalendarEvent): SourceItem => ({ kind: 'event', key, folder: calendar, size: 1, title: event.subject, event });

function prompterAnswering(answers: PromptAnswer[]): Prompter & { asked: PromptBody[] } {
  const asked: PromptBody[] = [];
  return {
    asked,
    ask: async (prompt) => {
      asked.push(prompt);
      return answers.shift() ?? { promptId: 'p', cancelled: true };
    },
    show: () => ({ close: () => undefined }),
  };
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A delegated token as Entra issues it for the technician (upn names the caller). */
const delegatedToken = (upn: string) => `${b64url({ alg: 'none' })}.${b64url({ aud: 'https://outlook.office365.com', upn, scp: 'EWS.AccessAsUser.All' })}.sig`;

if (!hasFixtures) console.warn('EWS issue-9 tests skipped: ../shared/fixtures (EWS schema) is not present');

describe.skipIf(!hasFixtures)('EWS against a peer that resolves mailboxes as Exchange does', () => {
  const admin = 'admin@contoso.example';
  const user = 'user@contoso.example';
  const stranger = 'stranger@contoso.example';
  let peer: EwsPeer;
  beforeAll(async () => {
    peer = await startEwsPeer({
      validation: 'deferred',
      auth: { basic: [{ user: admin, password: 'Adm1n!' }], fullAccess: { [admin]: [user] } },
    });
  });
  afterAll(async () => {
    await peer?.close();
  });

  async function migrateAs(target: EwsTarget, prefix: string) {
    await target.open();
    const box = await target.ensureFolder(inbox, ['Inbox']);
    const projects = await target.ensureFolder({ path: ['Projects'] }, ['Projects']);
    const cal = await target.ensureFolder(calendar, ['Calendar']);
    const book = await target.ensureFolder(contacts, ['Contacts']);
    const batch = [
      ...mails(`${prefix}-inbox`, 2, box.targetId),
      ...mails(`${prefix}-projects`, 2, projects.targetId).map((p) => ({ ...p, targetFolder: folderRef(['Projects'], projects.targetId) })),
      prepare(eventItem(`${prefix}-event`, weeklySeries(`${prefix}-uid`)), folderRef(['Calendar'], cal.targetId)),
      prepare({ kind: 'contact', key: `${prefix}-contact`, folder: contacts, size: 1, title: 'Bob', contact: { displayName: 'Bob Example', surname: 'Example', emails: [{ address: 'bob@example.org' }], phones: [], addresses: [], categories: [] } } as SourceItem, folderRef(['Contacts'], book.targetId)),
    ];
    const outcomes = await target.write(batch, signal);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Read back through the same login: the items are where Exchange says they are.
    for (const [index, outcome] of outcomes.entries()) if (outcome.ok) await target.verify?.(batch[index]!, outcome.targetId);
    await target.close();
    return batch.length;
  }

  it('an admin login (on-premises Basic with --admin-user) migrating a user lands every item in the USER\'s mailbox', async () => {
    const secrets = new MemorySecrets();
    await secrets.set('target-password', `ews://${admin}@${new URL(peer.url).host}`, 'Adm1n!');
    const target = ewsTargetSpec.create(peer.url, { secrets, log: silentLog, options: { targetMailbox: user, targetAuth: 'basic', adminUser: admin } }) as EwsTarget;
    const written = await migrateAs(target, 'basic');
    const userBox = peer.mailbox(user);
    expect(userBox.items.filter((i) => i.subject?.startsWith('Grüße') || i.kind !== 'Message')).toHaveLength(written);
    expect(userBox.itemsIn(['Inbox'])).toHaveLength(2);
    expect(userBox.itemsIn(['Projects'])).toHaveLength(2);
    expect(userBox.itemsIn(['Calendar'])).toHaveLength(1);
    expect(userBox.itemsIn(['Contacts'])).toHaveLength(1);
    const adminBox = peer.mailbox(admin);
    expect(adminBox.items).toHaveLength(0);
    expect(adminBox.folderByPath(['Projects'])).toBeUndefined();
    await peer.assertNoSchemaErrors();
  });

  it('a technician\'s delegated token (device code) lands the items in the user\'s mailbox too', async () => {
    const token = delegatedToken(admin);
    const target = new EwsTarget({ url: peer.url, mailbox: user, log: silentLog, connect: async () => ({ auth: new StaticTokenAuth(token), transport: new HttpTransport(peer.url) }) });
    const before = peer.mailbox(user).items.length;
    const written = await migrateAs(target, 'delegated');
    expect(peer.mailbox(user).items.length - before).toBe(written);
    expect(peer.mailbox(admin).items).toHaveLength(0);
  });

  it('without FullAccess the login is refused with the FullAccess fix (not ApplicationImpersonation) for Basic/NTLM', async () => {
    const secrets = new MemorySecrets();
    await secrets.set('target-password', `ews://${admin}@${new URL(peer.url).host}`, 'Adm1n!');
    const target = ewsTargetSpec.create(peer.url, { secrets, log: silentLog, options: { targetMailbox: stranger, targetAuth: 'basic', adminUser: admin } });
    const error = await target.open().catch((e: unknown) => e as Error & { code?: string });
    expect(error).toMatchObject({ code: 'TARGET_AUTH_FAILED' });
    expect(error?.message).toMatch(/Add-MailboxPermission .*FullAccess/);
    expect(error?.message).not.toMatch(/ApplicationImpersonation/);
    expect(peer.mailbox(stranger).items).toHaveLength(0);
    await target.close();
  });

  it('every request of this suite was valid against Microsoft\'s schema, and nothing was sent to anyone', async () => {
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });
});

describe.skipIf(!hasFixtures)('EWS read-back, uncertain writes, throttling and faults as Exchange answers them', () => {
  let peer: EwsPeer;
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'deferred', auth: { bearerTokens: ['test-token', 'tok-1', 'tok-2'] } });
  });
  afterAll(async () => {
    await peer?.close();
  });

  async function opened(mailbox: string, extra: Parameters<typeof tokenTarget>[2] = {}) {
    const target = tokenTarget(peer.url, mailbox, extra);
    await target.open();
    const box = await target.ensureFolder(inbox, ['Inbox']);
    return { target, box };
  }

  it('a recurring series (IsRecurring=false for its organizer) and a mail with a local-time Date verify', async () => {
    const { target } = await opened('verify@contoso.example');
    const cal = await target.ensureFolder(calendar, ['Calendar']);
    const box = await target.ensureFolder(inbox, ['Inbox']);
    const series = prepare(eventItem('series-1', weeklySeries('uid-series-1')), folderRef(['Calendar'], cal.targetId));
    const [mail] = mails('local', 1, box.targetId);
    const outcomes = await target.write([series, mail!], signal);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    // The peer answers as Exchange: IsRecurring=false on the master, MIME rebuilt with Date in UTC and re-encoded words.
    await expect(target.verify(series, (outcomes[0] as { targetId: string }).targetId)).resolves.toBeUndefined();
    await expect(target.verify(mail!, (outcomes[1] as { targetId: string }).targetId)).resolves.toBeUndefined();
    const stored = peer.mailbox('verify@contoso.example').itemsIn(['Calendar'])[0];
    expect(stored?.fields.UID).toBe('uid-series-1');
    await target.close();
    await peer.assertNoSchemaErrors();
  });

  it('a completed task keeps its own completion date (Exchange lets the last of CompleteDate/PercentComplete/Status win)', async () => {
    const mailbox = 'tasks@contoso.example';
    const { target } = await opened(mailbox);
    const folder: SourceFolder = { path: ['Tasks'], special: 'tasks', holds: 'task' };
    const tasks = await target.ensureFolder(folder, ['Tasks']);
    const completed = new Date('2025-11-03T16:20:00Z');
    const item: SourceItem = { kind: 'task', key: 'task-1', folder, size: 1, title: 'Taxes', task: { uid: 't', subject: 'Taxes', status: 'completed', percentComplete: 100, completed, categories: [] } };
    const [outcome] = await target.write([prepare(item, folderRef(['Tasks'], tasks.targetId))], signal);
    expect(outcome?.ok).toBe(true);
    const stored = peer.mailbox(mailbox).itemsIn(['Tasks'])[0];
    expect([stored?.fields.Status, stored?.fields.PercentComplete, stored?.fields.CompleteDate]).toEqual(['Completed', '100', '2025-11-03T16:20:00Z']);
    await target.close();
  });

  for (const status of [504, 502, 500] as const) {
    it(`a crash after a batch Exchange committed but answered ${status === 500 ? 'HTTP 500 without a SOAP fault' : `with a proxy's ${status}`} leaves no duplicate`, async () => {
      const mailbox = `uncertain-${status}@contoso.example`;
      const { target, box } = await opened(mailbox);
      const batch = mails(`u${status}`, 3, box.targetId);
      peer.configure({ failAfterCommit: { status, everyNth: 1, operations: ['CreateItem'], times: 1 } });
      await expect(target.write(batch, signal)).rejects.toMatchObject({ code: 'TARGET_FAILED', retryable: true });
      peer.configure({ failAfterCommit: null });
      const ids = peer.mailbox(mailbox).items.map((i) => i.id);
      expect(ids).toHaveLength(3); // the store had done it
      // The pipeline retries the batch in the same process: the target looks first and writes nothing twice.
      await expect(target.write(batch, signal)).resolves.toEqual(ids.map((id) => ({ ok: true, targetId: id })));
      expect(peer.mailbox(mailbox).items).toHaveLength(3);
      // The process dies instead: a new run asks Exchange (reconcile) before writing anything again.
      await target.close();
      const { target: restarted } = await opened(mailbox);
      expect(await restarted.reconcile(batch)).toEqual(ids);
      await restarted.close();
    });
  }

  it('after a crash, the pipeline\'s one-by-one reconcile questions cost one FindItem per batch, not one per item', async () => {
    const mailbox = 'batchedlookup@contoso.example';
    const { target, box } = await opened(mailbox);
    const batch = mails('bl', 5, box.targetId);
    expect((await target.write(batch, signal)).every((o) => o.ok)).toBe(true);
    const ids = peer.mailbox(mailbox).items.map((i) => i.id);
    await target.close();
    // The restarted run: the pipeline asks about each pending item alone, then sends them as one batch.
    const { target: restarted } = await opened(mailbox);
    const count = (operation: string) => peer.requests.filter((r) => r.mailbox === mailbox && r.operation === operation).length;
    const [finds, creates] = [count('FindItem'), count('CreateItem')];
    for (const prepared of batch) expect(await restarted.reconcile([prepared])).toEqual([undefined]);
    expect(count('FindItem')).toBe(finds);
    await expect(restarted.write(batch, signal)).resolves.toEqual(ids.map((id) => ({ ok: true, targetId: id })));
    expect(count('FindItem') - finds).toBe(1);
    expect(count('CreateItem')).toBe(creates);
    expect(peer.mailbox(mailbox).items).toHaveLength(5);
    await restarted.close();
  });

  it('a lookup that fails is "unknown", never "absent": nothing is written again until Exchange can say what it has', async () => {
    const mailbox = 'lookupfail@contoso.example';
    const { target, box } = await opened(mailbox, { retry: { policy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } } });
    const batch = mails('lf', 3, box.targetId);
    peer.configure({ failAfterCommit: { status: 502, everyNth: 1, operations: ['CreateItem'], times: 1 } });
    await expect(target.write(batch, signal)).rejects.toMatchObject({ code: 'TARGET_FAILED' });
    peer.configure({ failAfterCommit: null, random: { rate503: 1, retryAfterSeconds: 0, operations: ['FindItem'] } });
    try {
      // Exchange cannot answer the lookup: the batch fails (retryable) instead of being sent blind.
      await expect(target.write(batch, signal)).rejects.toMatchObject({ code: 'THROTTLED', retryable: true });
      await expect(target.reconcile(batch)).rejects.toMatchObject({ retryable: true });
      expect(peer.mailbox(mailbox).items).toHaveLength(3);
    } finally {
      peer.configure({ random: null });
    }
    const ids = peer.mailbox(mailbox).items.map((i) => i.id);
    await expect(target.write(batch, signal)).resolves.toEqual(ids.map((id) => ({ ok: true, targetId: id })));
    expect(peer.mailbox(mailbox).items).toHaveLength(3);
    await target.close();
  });

  it('HTTP 200 with ErrorInternalServerError and an inner ErrorServerBusy pauses like ErrorServerBusy, with its back-off', async () => {
    const mailbox = 'innerbusy@contoso.example';
    const { target, box } = await opened(mailbox);
    peer.configure({ innerServerBusy: { everyNth: 1, backOffMs: 1500, operations: ['CreateItem'], times: 1 } });
    const batch = mails('busy', 2, box.targetId);
    await expect(target.write(batch, signal)).rejects.toMatchObject({ code: 'THROTTLED', retryable: true, retryAfterMs: 1500 });
    expect(peer.mailbox(mailbox).items).toHaveLength(0);
    peer.configure({ innerServerBusy: null });
    expect((await target.write(batch, signal)).every((o) => o.ok)).toBe(true);
    expect(peer.mailbox(mailbox).items).toHaveLength(2);
    await target.close();
  });

  it('one bad item that makes Exchange reject the whole request fails alone; the good items of its batch are stored once', async () => {
    const mailbox = 'requestlevel@contoso.example';
    const { target, box } = await opened(mailbox);
    peer.configure({ itemFailures: [{ code: 'ErrorInvalidRequest', requestLevel: true, when: (i) => i.subject === 'Grüße aus Köln 2' }] });
    const outcomes = await target.write(mails('rl', 4, box.targetId), signal);
    peer.configure({ itemFailures: [] });
    expect(outcomes.map((o) => o.ok)).toEqual([true, true, false, true]);
    expect(outcomes[2]).toMatchObject({ ok: false, error: { code: 'TARGET_REJECTED', retryable: false } });
    expect(peer.mailbox(mailbox).items.map((i) => i.subject).sort()).toEqual(['Grüße aus Köln 0', 'Grüße aus Köln 1', 'Grüße aus Köln 3']);
    await target.close();
  });

  it('IIS 404.13 (request too long, on-premises) is "too large": the batch is split and every item lands', async () => {
    const mailbox = 'iis@contoso.example';
    const { target, box } = await opened(mailbox);
    const batch = mails('iis', 3, box.targetId);
    peer.configure({ maxRequestBytes: 2600, tooLargeAnswer: '404.13' });
    const outcomes = await target.write(batch, signal);
    peer.configure({ maxRequestBytes: null, tooLargeAnswer: '413' });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(peer.mailbox(mailbox).items).toHaveLength(3);
    expect(peer.requests.some((r) => r.mailbox === mailbox && r.outcome === 'HTTP 404.13')).toBe(true);
    await target.close();
  });

  it('a script token that expires mid-mailbox: the person is asked once for a new one and the mailbox goes on', async () => {
    const mailbox = 'longjob@contoso.example';
    const prompter = prompterAnswering([{ promptId: 'p', value: 'tok-2' }]);
    const target = new EwsTarget({ url: peer.url, mailbox, log: silentLog, connect: async () => ({ auth: new StaticTokenAuth('tok-1', { prompter, mailbox }), transport: new HttpTransport(peer.url) }) });
    await target.open();
    const box = await target.ensureFolder(inbox, ['Inbox']);
    expect((await target.write(mails('t1', 2, box.targetId), signal)).every((o) => o.ok)).toBe(true);
    peer.revokeToken('tok-1');
    expect((await target.write(mails('t2', 2, box.targetId), signal)).every((o) => o.ok)).toBe(true);
    expect(prompter.asked).toEqual([expect.objectContaining({ kind: 'secret', role: 'target-token' })]);
    expect(peer.mailbox(mailbox).items).toHaveLength(4);
    await target.close();
  });

  it('with nobody to ask, an expired script token stops the mailbox with TOKEN_EXPIRED, not retried', async () => {
    const mailbox = 'expired@contoso.example';
    const target = new EwsTarget({ url: peer.url, mailbox, log: silentLog, connect: async () => ({ auth: new StaticTokenAuth('tok-2', { mailbox }), transport: new HttpTransport(peer.url) }) });
    await target.open();
    const box = await target.ensureFolder(inbox, ['Inbox']);
    peer.revokeToken('tok-2');
    await expect(target.write(mails('t3', 1, box.targetId), signal)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', retryable: false });
    await target.close();
  });

  it('every request of this suite was valid against Microsoft\'s schema, and nothing was sent to anyone', async () => {
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });
});
