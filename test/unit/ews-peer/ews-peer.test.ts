import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';

const schemaDir = path.join(fixturesDir, 'ews-schema');
const sample = (name: string): string => readFileSync(path.join(schemaDir, 'samples', name), 'utf8');
const AUTH = { authorization: 'Bearer test-token' };
const SOAP_HEAD =
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">' +
  '<soap:Header><t:RequestServerVersion Version="Exchange2013_SP1"/></soap:Header><soap:Body>';
const SOAP_TAIL = '</soap:Body></soap:Envelope>';

async function post(peer: EwsPeer, xml: string, headers: Record<string, string> = { ...AUTH, 'x-anchormailbox': 'alice@contoso.example' }) {
  const res = await fetch(peer.url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', ...headers }, body: xml });
  return { status: res.status, body: await res.text(), headers: res.headers };
}

const responseClasses = (body: string): string[] => [...body.matchAll(/ResponseClass="(\w+)"/g)].map((m) => m[1]!);
const responseCodes = (body: string): string[] => [...body.matchAll(/<m:ResponseCode>(\w+)<\/m:ResponseCode>/g)].map((m) => m[1]!);

if (!hasFixtures) console.warn(`ews-peer tests skipped: ${fixturesDir} (Microsoft's EWS schemas) is missing`);

describe.skipIf(!hasFixtures)('EWS peer: schema validation (strict)', () => {
  let peer: EwsPeer;
  beforeAll(async () => {
    peer = await startEwsPeer({ schemaDir });
  });
  afterAll(() => peer.close());

  it('accepts every valid fixture sample and rejects both must-fail samples', async () => {
    const valid = readdirSync(path.join(schemaDir, 'samples')).filter((f) => f.endsWith('.xml'));
    const invalid = readdirSync(path.join(schemaDir, 'samples', 'invalid'));
    const results = await Promise.all([
      ...valid.map((f) => peer.validate(sample(f))),
      ...invalid.map((f) => peer.validate(sample(`invalid/${f}`))),
    ]);
    expect(results.slice(0, valid.length).map((r) => r.valid)).toEqual(valid.map(() => true));
    expect(results.slice(valid.length).map((r) => r.valid)).toEqual(invalid.map(() => false));
    // All documents went through one xmllint run: the schema compile is paid once.
    expect(peer.stats.validation.maxBatchSize).toBe(valid.length + invalid.length);
  });

  it('stores a schema-valid MIME CreateItem with its extended properties and answers with an ItemId', async () => {
    const xml = sample('createitem-message-mime.xml');
    const res = await post(peer, xml);
    expect(res.status).toBe(200);
    expect(responseClasses(res.body)).toEqual(['Success']);
    expect(res.body).toMatch(/<m:CreateItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError<\/m:ResponseCode><m:Items><t:Message><t:ItemId Id="[^"]+" ChangeKey="[^"]+"\/>/);
    const [item] = peer.mailbox('alice@contoso.example').itemsIn(['Inbox']);
    const sentMime = Buffer.from(/<t:MimeContent[^>]*>([^<]+)</.exec(xml)![1]!, 'base64');
    expect(item?.mime?.equals(sentMime)).toBe(true);
    expect(item?.internetMessageId).toBe('<q1-2022@example.org>');
    expect(item?.subject).toBe('Quarterly numbers');
    expect(item?.isRead).toBe(true);
    expect(item?.extendedProps.map((p) => [p.tag, p.type, p.value])).toEqual([
      ['0x0e07', 'Integer', '1'],
      ['0x0e06', 'SystemTime', '2022-03-01T10:00:05Z'],
      ['0x0039', 'SystemTime', '2022-03-01T10:00:00Z'],
    ]);
    await peer.assertNoSchemaErrors();
  });

  it('answers ErrorSchemaValidation for wrong element order and unknown elements, records them, stores nothing', async () => {
    const before = peer.mailbox('alice@contoso.example').items.length;
    const wrongOrder = await post(peer, sample('invalid/isread-before-mimecontent.xml'));
    const unknown = await post(peer, sample('createitem-message-mime.xml').replace('<t:MimeContent', '<t:Frobnicate>1</t:Frobnicate><t:MimeContent'));
    for (const res of [wrongOrder, unknown]) {
      expect(res.status).toBe(500);
      expect(res.body).toContain('<faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorSchemaValidation</faultcode>');
      expect(res.body).toMatch(/<t:Violation>[^<]+<\/t:Violation>/);
    }
    expect(peer.schemaErrors.map((e) => e.operation)).toEqual(['CreateItem', 'CreateItem']);
    expect(peer.schemaErrors[1]!.error).toContain('Frobnicate');
    expect(peer.mailbox('alice@contoso.example').items.length).toBe(before);
    await expect(peer.assertNoSchemaErrors()).rejects.toThrow(/2 request\(s\) failed schema validation/);
    (peer.schemaErrors as unknown[]).length = 0;
  });

  it('lets the target read back MIME, flags and dates (GetItem) and find an item by Internet Message-ID (FindItem)', async () => {
    const find = await post(peer, `${SOAP_HEAD}<m:FindItem Traversal="Shallow"><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape>` +
      '<t:AdditionalProperties><t:FieldURI FieldURI="message:InternetMessageId"/></t:AdditionalProperties></m:ItemShape>' +
      '<m:IndexedPageItemView MaxEntriesReturned="10" Offset="0" BasePoint="Beginning"/><m:Restriction><t:IsEqualTo>' +
      '<t:FieldURI FieldURI="message:InternetMessageId"/><t:FieldURIOrConstant><t:Constant Value="&lt;q1-2022@example.org&gt;"/></t:FieldURIOrConstant>' +
      `</t:IsEqualTo></m:Restriction><m:ParentFolderIds><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderIds></m:FindItem>${SOAP_TAIL}`);
    expect(find.status).toBe(200);
    expect(find.body).toContain('TotalItemsInView="1"');
    const id = /<t:ItemId Id="([^"]+)"/.exec(find.body)![1]!;
    const get = await post(peer, `${SOAP_HEAD}<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:IncludeMimeContent>true</t:IncludeMimeContent>` +
      '<t:AdditionalProperties><t:FieldURI FieldURI="message:IsRead"/><t:ExtendedFieldURI PropertyTag="0x0E07" PropertyType="Integer"/>' +
      '<t:ExtendedFieldURI PropertyTag="3590" PropertyType="SystemTime"/></t:AdditionalProperties></m:ItemShape>' +
      `<m:ItemIds><t:ItemId Id="${id}"/></m:ItemIds></m:GetItem>${SOAP_TAIL}`);
    expect(get.status).toBe(200);
    expect(get.body).toContain('<t:ExtendedFieldURI PropertyTag="0xe07" PropertyType="Integer"/><t:Value>1</t:Value>');
    expect(get.body).toContain('<t:ExtendedFieldURI PropertyTag="0xe06" PropertyType="SystemTime"/><t:Value>2022-03-01T10:00:05Z</t:Value>');
    expect(get.body).toContain('<t:IsRead>true</t:IsRead>');
    // Exchange keeps no MIME: it is rebuilt from properties (Date in UTC, headers unfolded); the body is the same.
    const mime = Buffer.from(/<t:MimeContent CharacterSet="UTF-8">([^<]+)</.exec(get.body)![1]!, 'base64').toString('latin1');
    const sent = Buffer.from(/<t:MimeContent[^>]*>([^<]+)</.exec(sample('createitem-message-mime.xml'))![1]!, 'base64').toString('latin1');
    const sentDate = /^Date: (.*)$/m.exec(sent)![1]!.trim();
    const gotDate = /^Date: (.*)$/m.exec(mime)![1]!.trim();
    expect(gotDate).toMatch(/\+0000$/);
    expect(new Date(gotDate).getTime()).toBe(new Date(sentDate).getTime());
    expect(mime.split(/\r?\n\r?\n/).slice(1).join('\n\n')).toBe(sent.split(/\r?\n\r?\n/).slice(1).join('\n\n'));
    // The peer's own answers are Exchange-shaped: they validate against messages.xsd too.
    const checks = await Promise.all([find.body, get.body].map((b) => peer.validate(b)));
    expect(checks.map((c) => c.errors)).toEqual([[], []]);
    await peer.assertNoSchemaErrors();
  });

  it('creates folders, refuses a name that differs only in case, and finds it by display name', async () => {
    const create = (name: string): string => `${SOAP_HEAD}<m:CreateFolder><m:ParentFolderId><t:DistinguishedFolderId Id="inbox"/></m:ParentFolderId>` +
      `<m:Folders><t:Folder><t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>${name}</t:DisplayName></t:Folder></m:Folders></m:CreateFolder>${SOAP_TAIL}`;
    const [first, second] = [await post(peer, create('Projects 2021')), await post(peer, create('PROJECTS 2021'))];
    expect(responseCodes(first.body)).toEqual(['NoError']);
    expect(responseCodes(second.body)).toEqual(['ErrorFolderExists']);
    const found = await post(peer, sample('findfolder-by-displayname.xml'));
    expect(found.body).toContain('<t:DisplayName>Projects 2021</t:DisplayName>');
    expect(found.body).toContain(/<t:FolderId Id="([^"]+)"/.exec(first.body)![0]);
    expect(peer.mailbox('alice@contoso.example').folderByPath(['Inbox', 'Projects 2021'])?.folderClass).toBe('IPF.Note');
    await peer.assertNoSchemaErrors();
  });
});

describe.skipIf(!hasFixtures)('EWS peer: simulations', () => {
  let peer: EwsPeer;
  beforeAll(async () => {
    peer = await startEwsPeer({ schemaDir, validation: 'deferred', auth: { bearerTokens: ['test-token'] } });
  });
  afterAll(async () => {
    await peer.assertNoSchemaErrors();
    await peer.close();
  });

  it('answers 401 without or with a wrong token', async () => {
    expect((await post(peer, sample('createitem-contact.xml'), {})).status).toBe(401);
    expect((await post(peer, sample('createitem-contact.xml'), { authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('blocked tenant: HTTP 403 with an empty body on every request', async () => {
    peer.configure({ blockedTenant: true });
    const res = await post(peer, sample('findfolder-by-displayname.xml'));
    peer.configure({ blockedTenant: false });
    expect(res.status).toBe(403);
    expect(res.body).toBe('');
  });

  it('over the upload budget: HTTP 500 ErrorServerBusy fault with BackOffMilliseconds, then accepted after the window', async () => {
    const xml = sample('createitem-message-mime.xml');
    const bytes = Buffer.byteLength(xml);
    peer.configure({ budget: { bytesPerWindow: bytes * 2, windowMs: 400 } });
    const answers = [await post(peer, xml), await post(peer, xml), await post(peer, xml)];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 500]);
    const fault = answers[2]!.body;
    expect(fault).toMatch(
      /<s:Fault><faultcode xmlns:a="http:\/\/schemas.microsoft.com\/exchange\/services\/2006\/types">a:ErrorServerBusy<\/faultcode><faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.<\/faultstring><detail><e:ResponseCode xmlns:e="http:\/\/schemas.microsoft.com\/exchange\/services\/2006\/errors">ErrorServerBusy<\/e:ResponseCode><e:Message xmlns:e="[^"]+">[^<]+<\/e:Message><t:MessageXml xmlns:t="[^"]+"><t:Value Name="BackOffMilliseconds">(\d+)<\/t:Value><\/t:MessageXml><\/detail><\/s:Fault>/,
    );
    const backOff = Number(/BackOffMilliseconds">(\d+)</.exec(fault)![1]);
    expect(backOff).toBeGreaterThan(0);
    expect(backOff).toBeLessThanOrEqual(400);
    await new Promise((r) => setTimeout(r, backOff + 20));
    expect((await post(peer, xml)).status).toBe(200);
    expect(peer.stats.throttled.budget).toBe(1);
    peer.configure({ budget: null });
  });

  it('per-item failures inside a batch keep request order; the rest of the batch is stored', async () => {
    const before = peer.mailbox('alice@contoso.example').items.length;
    peer.configure({ itemFailures: [{ indexInBatch: 1, code: 'ErrorItemSave', times: 1 }], maxItemBytes: null });
    const res = await post(peer, sample('ewsjs-createitems-batch-3-messages.xml'));
    expect(responseClasses(res.body)).toEqual(['Success', 'Error', 'Success']);
    expect(responseCodes(res.body)).toEqual(['NoError', 'ErrorItemSave', 'NoError']);
    const stored = peer.mailbox('alice@contoso.example').items.slice(before).map((i) => i.subject);
    expect(stored).toEqual(['Test 0', 'Test 2']);
    // times: 1 -> the retry succeeds.
    expect(responseCodes((await post(peer, sample('ewsjs-createitems-batch-3-messages.xml'))).body)).toEqual(['NoError', 'NoError', 'NoError']);
    peer.configure({ itemFailures: [] });
  });

  it('item over maxItemBytes gets ErrorMessageSizeExceeded for that item only', async () => {
    peer.configure({ maxItemBytes: 1 });
    const res = await post(peer, sample('createitem-message-mime.xml'));
    peer.configure({ maxItemBytes: null });
    expect(res.status).toBe(200);
    expect(responseCodes(res.body)).toEqual(['ErrorMessageSizeExceeded']);
  });

  it('over maxConcurrent per mailbox: 429 with Retry-After; peak concurrency is counted', async () => {
    peer.resetStats();
    peer.configure({ maxConcurrent: { perMailbox: 1, answer: '429', retryAfterSeconds: 2 }, delayMs: 150 });
    const xml = sample('findfolder-by-displayname.xml');
    const answers = await Promise.all([post(peer, xml), post(peer, xml)]);
    peer.configure({ maxConcurrent: null, delayMs: 0 });
    expect(answers.map((a) => a.status).sort()).toEqual([200, 429]);
    expect(answers.find((a) => a.status === 429)!.headers.get('retry-after')).toBe('2');
    expect(peer.stats.concurrentPeak['alice@contoso.example']).toBe(2);
  });

  it('random 429/503 rates are deterministic for a seed', async () => {
    const run = async (): Promise<number[]> => {
      const p = await startEwsPeer({ schemaDir, validation: 'off', seed: 42, simulate: { random: { rate429: 0.3, rate503: 0.2 } } });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await post(p, sample('findfolder-by-displayname.xml'))).status);
      await p.close();
      return statuses;
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([200, 429, 503]));
  });

  it('dropped connection after commit: the client sees a network error but the item is stored', async () => {
    const before = peer.mailbox('alice@contoso.example').items.length;
    peer.configure({ dropConnections: { everyNth: 1, phase: 'after-commit', operations: ['CreateItem'] } });
    await expect(post(peer, sample('createitem-message-mime.xml'))).rejects.toThrow();
    peer.configure({ dropConnections: null });
    expect(peer.mailbox('alice@contoso.example').items.length).toBe(before + 1);
    expect(peer.stats.dropped).toBe(1);
  });

  it('records a violation when a calendar item would send invitations', async () => {
    await post(peer, sample('createitem-calendaritem-wallclock-tz.xml').replace('SendMeetingInvitations="SendToNone"', 'SendMeetingInvitations="SendToAllAndSaveCopy"'));
    expect(peer.violations.map((v) => v.rule)).toContain('meeting-invitations-sent');
    expect(() => peer.assertNoViolations()).toThrow(/meeting-invitations-sent/);
  });
});
