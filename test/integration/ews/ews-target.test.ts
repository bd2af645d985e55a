import { readFileSync } from 'node:fs';
import path from 'node:path';

import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CloudwardError, type Contact } from '../../../electron/contract/index.js';
import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import { StaticTokenAuth } from '../../../electron/engine/targets/ews/auth/auth.js';
import { sourceKeyHash } from '../../../electron/engine/targets/ews/mapping/common.js';
import { HttpTransport } from '../../../electron/engine/targets/ews/transport/http-transport.js';
import type { EwsTransport } from '../../../electron/engine/targets/ews/transport/transport.js';
import { XmlChunks } from '../../../electron/engine/targets/ews/soap/xml.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { eventFromIcs, folderRef, mailItem, MemorySecrets, prepare, silentLog, tokenTarget } from './ews-helpers.js';
import { ewsTargetSpec } from '../../../electron/engine/targets/ews/ews-spec.js';
import { LayeredSecrets } from '../../../electron/engine/secrets/layered-secrets.js';
import { memoryKeychain } from '../../support/memory-keychain.js';
import { EwsTarget } from '../../../electron/engine/targets/ews/ews-target.js';

const signal = new AbortController().signal;

/** 1-based position of `date` among the occurrences the master VEVENT's RRULE makes (no RDATE/EXDATE), read with ical.js. */
function ruleIndex(ics: string, date: Date, limit = 1000): number | undefined {
  const root = new ICAL.Component(ICAL.parse(ics));
  for (const zone of root.getAllSubcomponents('vtimezone')) if (zone.getFirstPropertyValue('tzid')) ICAL.TimezoneService.register(zone);
  const master = root.getAllSubcomponents('vevent').find((vevent) => !vevent.hasProperty('recurrence-id'));
  const rule = master?.getFirstPropertyValue('rrule') as InstanceType<typeof ICAL.Recur> | null | undefined;
  const start = master?.getFirstPropertyValue('dtstart') as InstanceType<typeof ICAL.Time> | null | undefined;
  if (!rule || !start) return undefined;
  const iterator = rule.iterator(start);
  for (let index = 1; index <= limit; index += 1) {
    const next = iterator.next();
    if (!next || next.toJSDate().getTime() > date.getTime()) return undefined;
    if (next.toJSDate().getTime() === date.getTime()) return index;
  }
  return undefined;
}
const eml = (name: string) => new Uint8Array(readFileSync(path.join(fixturesDir, 'eml', name)));
const inboxFolder: SourceFolder = { path: ['Inbox'], special: 'inbox' };

if (!hasFixtures) console.warn('EWS target integration tests skipped: ../shared/fixtures is not present');

describe.skipIf(!hasFixtures)('EWS target against the peer', () => {
  let peer: EwsPeer;
  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'deferred', keepRequestBodies: true, auth: { bearerTokens: ['test-token'], basic: [{ user: 'onprem@contoso.example', password: 'S3cret!' }] } });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('a blocked tenant is detected by open(), before any item, with the admin fix', async () => {
    peer.configure({ blockedTenant: true });
    try {
      const target = tokenTarget(peer.url, 'blocked@contoso.example');
      const error = await target.open().catch((e: unknown) => e as CloudwardError);
      expect(error).toBeInstanceOf(CloudwardError);
      expect((error as CloudwardError).code).toBe('TARGET_BLOCKED');
      expect((error as CloudwardError).message).toMatch(/Set-OrganizationConfig -EWSEnabled/);
      expect((error as CloudwardError).message).toMatch(/EWSAllowedAppIDs/);
      expect(peer.requests.filter((r) => r.operation === 'CreateItem' && r.mailbox === 'blocked@contoso.example')).toHaveLength(0);
      await target.close();
    } finally {
      peer.configure({ blockedTenant: false });
    }
  });

  it('a refused script token with nobody to ask fails open() with TOKEN_EXPIRED, not retried', async () => {
    const target = new EwsTarget({
      url: peer.url,
      mailbox: 'alice@contoso.example',
      log: silentLog,
      connect: async () => ({ auth: new StaticTokenAuth('wrong'), transport: new HttpTransport(peer.url) }),
    });
    await expect(target.open()).rejects.toMatchObject({ code: 'TOKEN_EXPIRED', retryable: false });
  });

  it('basic auth through the spec (on-premises): open, write, and the peer saw Basic credentials', async () => {
    const mailbox = 'onprem@contoso.example';
    const secrets = new MemorySecrets();
    await secrets.set('target-password', `ews://${mailbox}@${new URL(peer.url).host}`, 'S3cret!');
    const target = ewsTargetSpec.create(peer.url, { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'basic' } });
    await target.open();
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const bytes = eml('tika_testRFC822.eml');
    const [outcome] = await target.write([prepare(mailItem('b1', inboxFolder, bytes), folderRef(inbox.path, inbox.targetId), bytes)], signal);
    expect(outcome?.ok).toBe(true);
    // The peer only takes exactly these Basic credentials (it redacts the header in its records).
    expect(peer.requests.filter((r) => r.mailbox === mailbox).every((r) => r.status === 200)).toBe(true);
    expect(peer.requests.filter((r) => r.mailbox === mailbox).every((r) => r.headers['user-agent'] === 'Cloudward/0.1 (EWS migration)')).toBe(true);
    await target.close();
    await secrets.set('target-password', `ews://${mailbox}@${new URL(peer.url).host}`, 'wrong');
    const refused = ewsTargetSpec.create(peer.url, { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'basic' } });
    await expect(refused.open()).rejects.toMatchObject({ code: 'TARGET_AUTH_FAILED' });
  });

  it('a Basic password Exchange refuses is forgotten from the keychain (the next run asks); one refused for its scheme is kept', async () => {
    const mailbox = 'onprem@contoso.example';
    const secrets = new LayeredSecrets({ keychain: memoryKeychain(), environment: {} });
    const account = `ews://${mailbox}@${new URL(peer.url).host}`;
    await secrets.set('target-password', account, 'wrong');
    const target = ewsTargetSpec.create(peer.url, { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'basic' } });
    const error = await target.open().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'TARGET_AUTH_FAILED' });
    expect((error as Error).message).toContain('asks for it');
    expect(await secrets.get('target-password', account)).toBeUndefined();
    // A directory with Basic off (Negotiate and NTLM only) refuses Basic as a scheme: the password may be right for NTLM.
    const online = await startEwsPeer({ validation: 'deferred', auth: { bearerTokens: ['test-token'], basic: [] } });
    try {
      const onlineAccount = `ews://${mailbox}@${new URL(online.url).host}`;
      await secrets.set('target-password', onlineAccount, 'S3cret!');
      const basicOnline = ewsTargetSpec.create(online.url, { secrets, log: silentLog, options: { targetMailbox: mailbox, targetAuth: 'basic' } });
      await expect(basicOnline.open()).rejects.toMatchObject({ code: 'TARGET_AUTH_FAILED' });
      expect(await secrets.get('target-password', onlineAccount)).toBe('S3cret!');
    } finally {
      await online.close();
    }
  });

  it('maps folder names: case twins, "/", reserved names, well-known folders by distinguished id', async () => {
    const mailbox = 'folders@contoso.example';
    const target = tokenTarget(peer.url, mailbox);
    await target.open();
    const sent = await target.ensureFolder({ path: ['Gesendete Objekte'], special: 'sent' }, ['Sent Items']);
    expect(sent).toEqual({ targetId: '@sentitems', path: ['Sent Items'] });
    const a = await target.ensureFolder({ path: ['Projects'] }, ['Projects']);
    const b = await target.ensureFolder({ path: ['projects'] }, ['projects']);
    const slash = await target.ensureFolder({ path: ['Projects', 'Q1/Q2'] }, ['Projects', 'Q1/Q2']);
    const reserved = await target.ensureFolder({ path: ['Calendar'], holds: 'mail' }, ['Calendar']);
    const underInbox = await target.ensureFolder({ path: ['Inbox', 'Receipts'] }, ['Inbox', 'Receipts']);
    expect(a.path).toEqual(['Projects']);
    expect(b.path).toEqual(['projects (2)']);
    expect(slash.path).toEqual(['Projects', 'Q1_Q2']);
    expect(reserved.path).toEqual(['Calendar (migrated)']);
    expect(underInbox.path).toEqual(['Inbox', 'Receipts']);
    const box = peer.mailbox(mailbox);
    expect(box.folderByPath(['Projects', 'Q1_Q2'])).toBeDefined();
    expect(box.folderByPath(['projects (2)'])).toBeDefined();
    expect(box.folderByPath(['Inbox', 'Receipts'])).toBeDefined();
    // Asking again (a resumed job) finds, does not create.
    const again = tokenTarget(peer.url, mailbox);
    await again.open();
    expect((await again.ensureFolder({ path: ['Projects'] }, ['Projects'])).targetId).toBe(a.targetId);
    expect(box.folders.filter((f) => f.displayName.toLowerCase() === 'projects')).toHaveLength(1);
  });

  it('writes contacts, distribution lists, tasks and calendar series (time zone, all-day, exceptions) without inviting anyone', async () => {
    const mailbox = 'pim@contoso.example';
    const target = tokenTarget(peer.url, mailbox);
    await target.open();
    const contacts = await target.ensureFolder({ path: ['Contacts'], special: 'contacts' }, ['Contacts']);
    const calendar = await target.ensureFolder({ path: ['Calendar'], special: 'calendar' }, ['Calendar']);
    const tasks = await target.ensureFolder({ path: ['Tasks'], special: 'tasks' }, ['Tasks']);

    // Contact fields as the vCard fixture states them (read here with plain regexes, independent of our mapping).
    const vcf = readFileSync(path.join(fixturesDir, 'vcf', 'ez-vcard_John_Doe_MS_OUTLOOK.vcf'), 'utf8');
    const line = (name: string) => new RegExp(`^${name}[;:][^\\n]*?:?([^:\\n]*)$`, 'm').exec(vcf)?.[1]?.trim() ?? '';
    const [surname = '', given = '', middle = '', prefix = '', suffix = ''] = (/^N;[^:]*:(.*)$/m.exec(vcf)?.[1] ?? '').trim().split(';');
    const contact: Contact = {
      displayName: (/^FN:(.*)$/m.exec(vcf)?.[1] ?? '').trim(),
      givenName: given,
      middleName: middle,
      surname,
      prefix,
      suffix,
      nickname: line('NICKNAME'),
      emails: [{ address: (/^EMAIL[^:]*:(.*)$/m.exec(vcf)?.[1] ?? '').trim() }],
      phones: [
        { type: 'business', number: (/^TEL;WORK[^:]*:(.*)$/m.exec(vcf)?.[1] ?? '').trim() },
        { type: 'home', number: (/^TEL;HOME[^:]*:(.*)$/m.exec(vcf)?.[1] ?? '').trim() },
      ],
      addresses: [{ type: 'business', street: 'Cresent moon drive', city: 'Albaney', state: 'New York', postalCode: '12345', country: 'United States of America' }],
      company: 'IBM',
      department: 'Accounting',
      jobTitle: line('TITLE'),
      webPage: 'http://www.ibm.com',
      birthday: '1980-03-22',
      anniversary: '2011-01-13',
      imAddress: 'johny5@aol.com',
      categories: ['Business'],
    };
    const contactsRef = folderRef(contacts.path, contacts.targetId);
    const calendarRef = folderRef(calendar.path, calendar.targetId);
    const monthly = eventFromIcs(readFileSync(path.join(fixturesDir, 'ics', 'gromox_gxl-475.ics'), 'utf8'));
    const allDay = eventFromIcs(readFileSync(path.join(fixturesDir, 'ics', 'icaljs_day_long_recur_yearly.ics'), 'utf8'));
    const withExceptions = eventFromIcs(readFileSync(path.join(fixturesDir, 'ics', 'icaljs_recur_instances.ics'), 'utf8'));
    const items: PreparedItem[] = [
      prepare({ kind: 'contact', key: 'c1', folder: { path: ['Contacts'], special: 'contacts' }, size: 100, contact }, contactsRef),
      prepare({ kind: 'distlist', key: 'd1', folder: { path: ['Contacts'], special: 'contacts' }, size: 100, list: { displayName: 'Team', members: [{ name: 'John', address: 'john.doe@ibm.cm' }], categories: [] } }, contactsRef),
      prepare({ kind: 'event', key: 'e1', folder: { path: ['Calendar'], special: 'calendar' }, size: 100, event: monthly }, calendarRef),
      prepare({ kind: 'event', key: 'e2', folder: { path: ['Calendar'], special: 'calendar' }, size: 100, event: allDay }, calendarRef),
      prepare({ kind: 'event', key: 'e3', folder: { path: ['Calendar'], special: 'calendar' }, size: 100, event: withExceptions }, calendarRef),
      prepare(
        { kind: 'task', key: 't1', folder: { path: ['Tasks'], special: 'tasks' }, size: 100, task: { uid: 't1', subject: 'Count money', status: 'inProgress', percentComplete: 50, due: new Date('2024-02-01T00:00:00Z'), categories: [] } },
        folderRef(tasks.path, tasks.targetId),
      ),
    ];
    const outcomes = await target.write(items, signal);
    expect(outcomes.map((o) => o.ok)).toEqual(items.map(() => true));
    for (const [index, prepared] of items.entries()) {
      const outcome = outcomes[index];
      if (outcome?.ok) await target.verify(prepared, outcome.targetId);
    }

    const box = peer.mailbox(mailbox);
    const storedContact = box.itemsIn(['Contacts']).find((item) => item.kind === 'Contact');
    expect(storedContact?.fields.DisplayName).toBe('Mr. John Richter James Doe Sr.');
    expect(storedContact?.fields.GivenName).toBe('John');
    expect(storedContact?.fields.Surname).toBe('Doe');
    expect(storedContact?.fields.Generation).toBe('Sr.');
    expect(storedContact?.fields.CompanyName).toBe('IBM');
    expect(storedContact?.fields.JobTitle).toBe('Money Counter');
    expect(storedContact?.xml).toContain('john.doe@ibm.cm');
    expect(storedContact?.xml).toContain('(905) 555-1234');
    expect(storedContact?.categories).toEqual(['Business']);

    const series = box.itemsIn(['Calendar']).filter((item) => item.kind === 'CalendarItem');
    expect(series).toHaveLength(3);
    const gromox = series.find((item) => item.subject === 'AK FNH JF');
    // The fixture says 13:00-15:00 in "W. Europe Standard Time", second Monday, 6 times.
    expect(gromox?.fields.Start).toBe('2024-01-08T13:00:00');
    expect(gromox?.fields.End).toBe('2024-01-08T15:00:00');
    expect(gromox?.xml).toContain('<t:StartTimeZone Id="W. Europe Standard Time"');
    expect(gromox?.xml).toMatch(/<t:RelativeMonthlyRecurrence>.*<t:DaysOfWeek>Monday<\/t:DaysOfWeek><t:DayOfWeekIndex>Second<\/t:DayOfWeekIndex>/);
    expect(gromox?.xml).toContain('<t:NumberOfOccurrences>6</t:NumberOfOccurrences>');
    // All-day 2012-08-03, every weekday.
    const workdays = series.find((item) => item.fields.IsAllDayEvent === 'true');
    expect(workdays?.fields.Start).toBe('2012-08-03T00:00:00');
    expect(workdays?.fields.End).toBe('2012-08-04T00:00:00');
    expect(workdays?.xml).toContain('<t:DaysOfWeek>Monday Tuesday Wednesday Thursday Friday</t:DaysOfWeek>');
    for (const item of series) expect(item.createAttributes.SendMeetingInvitations).toBe('SendToNone');

    // Exceptions of the Los Angeles series, addressed by instance index: the RRULE's own count of each EXDATE and
    // RECURRENCE-ID (an override of an RDATE is not part of the rule and cannot be an EWS occurrence).
    const ics = readFileSync(path.join(fixturesDir, 'ics', 'icaljs_recur_instances.ics'), 'utf8');
    const expectedDeleted = withExceptions.deletedOccurrences.map((date) => ruleIndex(ics, date)).filter((index) => index !== undefined).sort((x, y) => x - y);
    const expectedModified = withExceptions.modifiedOccurrences.flatMap((change) => {
      const index = ruleIndex(ics, change.originalStart);
      return index === undefined ? [] : [{ index, change }];
    });
    expect(expectedDeleted).toHaveLength(withExceptions.deletedOccurrences.length);
    expect(expectedModified.length).toBeGreaterThan(0);
    const deletes = peer.requests.filter((r) => r.operation === 'DeleteItem' && r.mailbox === mailbox);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.body).toContain('SendMeetingCancellations="SendToNone"');
    const updates = peer.requests.filter((r) => r.operation === 'UpdateItem' && r.mailbox === mailbox);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.body).toContain('SendMeetingInvitationsOrCancellations="SendToNone"');

    // What the user would see in Exchange: the series without the deleted occurrences and with the moved one.
    const crazy = series.find((item) => item.subject === withExceptions.subject);
    expect(crazy?.deletedOccurrences).toEqual(expectedDeleted);
    expect(crazy?.exceptions.map((exception) => exception.instanceIndex)).toEqual(expectedModified.map(({ index }) => index));
    for (const { index, change } of expectedModified) {
      const stored = crazy?.exceptions.find((exception) => exception.instanceIndex === index)?.changes ?? {};
      expect(stored['item:Subject']).toBe(change.subject);
      expect(Date.parse(stored['calendar:Start'] ?? '')).toBe(change.start?.getTime());
      expect(Date.parse(stored['calendar:End'] ?? '')).toBe(change.end?.getTime());
    }
    for (const other of series.filter((item) => item !== crazy)) {
      expect(other.deletedOccurrences).toEqual([]);
      expect(other.exceptions).toEqual([]);
    }

    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
  });

  it('skips an item over the size limit with the Set-Mailbox fix, and maps a server-side size refusal per item', async () => {
    const mailbox = 'size@contoso.example';
    const target = tokenTarget(peer.url, mailbox, { maxItemMb: 1 });
    await target.open();
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const small = eml('tika_testRFC822.eml');
    const big = new Uint8Array(Buffer.concat([Buffer.from(small), Buffer.alloc(1.5 * 1024 * 1024, 'x')]));
    const ref = folderRef(inbox.path, inbox.targetId);
    const before = peer.stats.bytesByMailbox[mailbox] ?? 0;
    const outcomes = await target.write([prepare(mailItem('big', inboxFolder, big), ref, big), prepare(mailItem('small', inboxFolder, small), ref, small)], signal);
    expect(outcomes[0]).toMatchObject({ ok: false, error: { code: 'ITEM_TOO_LARGE', retryable: false } });
    expect(outcomes[0]?.ok === false && outcomes[0].error.message).toMatch(/Set-Mailbox .* -MaxReceiveSize/);
    expect(outcomes[1]?.ok).toBe(true);
    expect((peer.stats.bytesByMailbox[mailbox] ?? 0) - before).toBeLessThan(big.length);

    peer.configure({ maxItemBytes: 20_000 });
    try {
      const mid = eml('tika_testEmailWithPNGAtt.eml'); // 24 KB
      const answers = await target.write([prepare(mailItem('mid', inboxFolder, mid), ref, mid), prepare(mailItem('small2', inboxFolder, small), ref, small)], signal);
      expect(answers[0]).toMatchObject({ ok: false, error: { code: 'ITEM_TOO_LARGE' } });
      expect(answers[1]?.ok).toBe(true);
    } finally {
      peer.configure({ maxItemBytes: null });
    }
  });

  it('verify-after-write stops on an item Exchange stored as a draft', async () => {
    const mailbox = 'verify@contoso.example';
    // A layer that loses PR_MESSAGE_FLAGS on the way (as a broken proxy or library would): Exchange then stores a draft.
    const http = new HttpTransport(peer.url);
    const lossy: EwsTransport = {
      post: (body, options) => {
        const text = body.toString().replace(/<t:ExtendedProperty><t:ExtendedFieldURI PropertyTag="0x0E07"[^]*?<\/t:ExtendedProperty>/g, '');
        return http.post(new XmlChunks().push(text), options);
      },
      close: () => http.close(),
    };
    const target = new EwsTarget({ url: peer.url, mailbox, log: silentLog, connect: async () => ({ auth: new StaticTokenAuth('test-token'), transport: lossy }) });
    await target.open();
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const bytes = eml('tika_testRFC822.eml');
    const prepared = prepare(mailItem('m1', inboxFolder, bytes), folderRef(inbox.path, inbox.targetId), bytes);
    const [outcome] = await target.write([prepared], signal);
    expect(outcome?.ok).toBe(true);
    const error = await target.verify(prepared, outcome?.ok ? outcome.targetId : '').catch((e: unknown) => e as CloudwardError);
    expect(error).toBeInstanceOf(CloudwardError);
    expect((error as CloudwardError).code).toBe('VERIFY_FAILED');
    expect((error as CloudwardError).message).toMatch(/draft/);
  });

  it('reconcile finds what reached Exchange before a crash and nothing else', async () => {
    const mailbox = 'reconcile@contoso.example';
    const first = tokenTarget(peer.url, mailbox);
    await first.open();
    const inbox = await first.ensureFolder(inboxFolder, ['Inbox']);
    const ref = folderRef(inbox.path, inbox.targetId);
    const names = ['tika_testRFC822.eml', 'tika_testRFC822_quoted.eml', 'tika_testRFC822_base64.eml', 'mailparser_mixed.eml', 'mailparser_nested.eml'];
    const items = names.map((name) => prepare(mailItem(`eml/${name}`, inboxFolder, eml(name)), ref, eml(name)));
    const written = await first.write(items.slice(0, 3), signal);
    await first.close();

    const second = tokenTarget(peer.url, mailbox);
    await second.open();
    const found = await second.reconcile(items);
    expect(found.slice(0, 3)).toEqual(written.map((o) => (o.ok ? o.targetId : 'failed')));
    expect(found.slice(3)).toEqual([undefined, undefined]);
    const stored = peer.mailbox(mailbox).items.map((item) => item.extendedProps.find((p) => p.propertyName === 'CloudwardSourceKey')?.value);
    expect(stored.sort()).toEqual(names.slice(0, 3).map((name) => sourceKeyHash(mailbox, `eml/${name}`)).sort());
  });
});
