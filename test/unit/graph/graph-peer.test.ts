import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startGraphPeer, type GraphPeer } from '../../peers/graph/graph-peer.js';
import { hasFixtures } from '../../support/fixtures.js';

if (!hasFixtures) console.warn('Graph peer tests skipped: ../shared/fixtures/graph-schema is not present');

const user = 'ann@contoso.example';

describe.skipIf(!hasFixtures)('Graph peer behaves as Graph documents', () => {
  let peer: GraphPeer;
  beforeAll(async () => {
    peer = await startGraphPeer();
  });
  afterAll(async () => {
    await peer?.close();
  });

  async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${peer.url}/v1.0${path}`, {
      method,
      headers: { Authorization: 'Bearer t1', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
  }

  it('keeps a JSON message with PR_MESSAGE_FLAGS as a received item with its MAPI dates, and one without as a draft', async () => {
    const base = { subject: 'Hello', body: { contentType: 'HTML', content: '<p>x</p>' }, toRecipients: [{ emailAddress: { address: 'bob@example.org', name: 'Bob' } }] };
    const received = await call('POST', `/users/${user}/mailFolders/inbox/messages`, {
      ...base,
      singleValueExtendedProperties: [
        { id: 'Integer 0x0E07', value: '1' },
        { id: 'SystemTime 0x0E06', value: '2021-03-01T10:00:05Z' },
        { id: 'SystemTime 0x0039', value: '2021-03-01T10:00:00Z' },
      ],
    });
    expect(received.status).toBe(201);
    expect(received.json).toMatchObject({ isDraft: false, isRead: true, receivedDateTime: '2021-03-01T10:00:05.000Z', sentDateTime: '2021-03-01T10:00:00.000Z' });
    const draft = await call('POST', `/users/${user}/mailFolders/inbox/messages`, base);
    expect(draft.json.isDraft).toBe(true);
    expect(peer.mailbox(user).messagesIn(['Inbox'])).toHaveLength(2);
    peer.assertNoSchemaErrors();
  });

  it('answers 400 to an unknown property, a wrong type, a bad enum member and a read-only property, and records each', async () => {
    const before = peer.schemaErrors.length;
    expect((await call('POST', `/users/${user}/mailFolders/inbox/messages`, { subject: 'x', colour: 'red' })).status).toBe(400);
    expect((await call('POST', `/users/${user}/mailFolders/inbox/messages`, { subject: 'x', isRead: 'yes' })).status).toBe(400);
    expect((await call('POST', `/users/${user}/mailFolders/inbox/messages`, { subject: 'x', importance: 'urgent' })).status).toBe(400);
    expect((await call('POST', `/users/${user}/mailFolders/inbox/messages`, { subject: 'x', hasAttachments: true })).status).toBe(400);
    const bad = await call('POST', `/users/${user}/mailFolders/inbox/messages`, { subject: 'x', receivedDateTime: '2021-03-01 10:00' });
    expect(bad.status).toBe(400);
    expect(String((bad.json.error as { message: string }).message)).toContain('receivedDateTime');
    expect(peer.schemaErrors.length - before).toBe(5);
    peer.schemaErrors.length = before;
  });

  it('refuses internet headers that are not x- headers, and more than five', async () => {
    expect((await call('POST', `/users/${user}/mailFolders/inbox/messages`, { internetMessageHeaders: [{ name: 'Received', value: 'x' }] })).status).toBe(400);
    const six = Array.from({ length: 6 }, (_, i) => ({ name: `X-H${i}`, value: 'v' }));
    expect((await call('POST', `/users/${user}/mailFolders/inbox/messages`, { internetMessageHeaders: six })).status).toBe(400);
  });

  it('records an event created with attendees as an invitation sent', async () => {
    const event = { subject: 'Board', start: { dateTime: '2024-01-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2024-01-01T11:00:00', timeZone: 'UTC' } };
    expect((await call('POST', `/users/${user}/events`, event)).status).toBe(201);
    expect(peer.violations).toHaveLength(0);
    await call('POST', `/users/${user}/events`, { ...event, attendees: [{ emailAddress: { address: 'x@example.org' }, type: 'required' }] });
    expect(peer.violations.map((v) => v.kind)).toEqual(['invitation-sent']);
    peer.violations.length = 0;
  });

  it('throttles inside $batch per request with Retry-After, and caps a batch at 20', async () => {
    peer.configure({ random: { rate429: 0.5, retryAfterSeconds: 2 } });
    const requests = Array.from({ length: 20 }, (_, i) => ({ id: String(i + 1), method: 'GET', url: `/users/${user}/mailFolders/inbox` }));
    const answer = await call('POST', '/$batch', { requests });
    peer.configure({ random: {} });
    const responses = answer.json.responses as { status: number; headers?: Record<string, string> }[];
    expect(answer.status).toBe(200);
    expect(responses.some((r) => r.status === 429)).toBe(true);
    expect(responses.some((r) => r.status === 200)).toBe(true);
    for (const r of responses.filter((x) => x.status === 429)) expect(r.headers?.['Retry-After']).toBe('2');
    expect((await call('POST', '/$batch', { requests: [...requests, { id: '21', method: 'GET', url: `/users/${user}` }] })).status).toBe(400);
  });

  it('takes a large attachment through an upload session in ranges of at most 4 MB, without a bearer token', async () => {
    const created = await call('POST', `/users/${user}/mailFolders/inbox/messages`, { subject: 'big', singleValueExtendedProperties: [{ id: 'Integer 0x0E07', value: '1' }] });
    const id = String(created.json.id);
    const size = 5 * 1024 * 1024;
    expect((await call('POST', `/users/${user}/messages/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'small.bin', size: 1000 } })).status).toBe(400);
    const session = await call('POST', `/users/${user}/messages/${id}/attachments/createUploadSession`, { AttachmentItem: { attachmentType: 'file', name: 'big.bin', size } });
    expect(session.status).toBe(201);
    const url = String(session.json.uploadUrl);
    const data = Buffer.alloc(size, 7);
    const first = await fetch(url, { method: 'PUT', headers: { 'Content-Range': `bytes 0-${4 * 1024 * 1024 - 1}/${size}` }, body: data.subarray(0, 4 * 1024 * 1024) });
    expect(first.status).toBe(200);
    const last = await fetch(url, { method: 'PUT', headers: { 'Content-Range': `bytes ${4 * 1024 * 1024}-${size - 1}/${size}` }, body: data.subarray(4 * 1024 * 1024) });
    expect(last.status).toBe(201);
    const stored = peer.mailbox(user).messages.find((m) => m.id === id);
    expect(stored?.attachments[0]?.bytes.equals(data)).toBe(true);
    peer.assertNoViolations();
  });

  it('answers 401 InvalidAuthenticationToken once a token has expired, and 400 to /me with no user', async () => {
    expect((await call('GET', `/users/${user}/mailFolders/inbox`)).status).toBe(200);
    peer.expireTokens();
    const expired = await call('GET', `/users/${user}/mailFolders/inbox`);
    expect(expired.status).toBe(401);
    expect((expired.json.error as { code: string }).code).toBe('InvalidAuthenticationToken');
    expect((await call('GET', '/me/mailFolders/inbox', undefined, { Authorization: 'Bearer t2' })).status).toBe(400);
  });

  it('refuses a second folder of the same name (any case) with 409', async () => {
    const headers = { Authorization: 'Bearer t3' };
    expect((await call('POST', `/users/${user}/mailFolders/inbox/childFolders`, { displayName: 'Projects' }, headers)).status).toBe(201);
    expect((await call('POST', `/users/${user}/mailFolders/inbox/childFolders`, { displayName: 'projects' }, headers)).status).toBe(409);
    const found = await call('GET', `/users/${user}/mailFolders/inbox/childFolders?$filter=${encodeURIComponent("displayName eq 'PROJECTS'")}`, undefined, headers);
    expect((found.json.value as unknown[]).length).toBe(1);
  });
});
