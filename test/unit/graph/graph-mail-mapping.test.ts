import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { graphMessage } from '../../../electron/engine/targets/graph/mapping/mail.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { mailItem } from '../../integration/graph/graph-helpers.js';

if (!hasFixtures) console.warn('Graph mail mapping tests skipped: ../shared/fixtures is not present');

const read = (name: string) => new Uint8Array(readFileSync(path.join(fixturesDir, 'eml', name)));

describe.skipIf(!hasFixtures)('an RFC 5322 message as Graph JSON', () => {
  it('keeps inline images by content id, so the HTML body still shows them', async () => {
    const bytes = read('aspose_EmailWithAttandEmbedded.eml');
    const { body, inlineAttachments, laterAttachments } = await graphMessage(mailItem('k', { path: ['Inbox'] }, bytes), bytes, 'hash');
    const html = String((body.body as { content: string; contentType: string }).content);
    expect((body.body as { contentType: string }).contentType).toBe('html');
    const attachments = [...inlineAttachments, ...laterAttachments];
    // Every part the fixture gives a Content-ID (read from its text) and the HTML refers to by cid: is an inline
    // attachment with that content id. (Word's cid:filelist.xml points at no part of this message.)
    const partIds = [...Buffer.from(bytes).toString('latin1').matchAll(/^Content-ID:\s*<([^>]+)>/gim)].map((m) => m[1] ?? '');
    const cids = partIds.filter((id) => html.includes(`cid:${id}`));
    expect(cids.length).toBe(2);
    for (const cid of cids) expect(attachments.some((a) => a.isInline && a.contentId === cid), cid).toBe(true);
  });

  it('sets PR_MESSAGE_FLAGS, both MAPI times and the source key; says which headers it could not keep', async () => {
    const bytes = read('aspose_email-headers.eml');
    const item = mailItem('k2', { path: ['Inbox'] }, bytes, { flags: { seen: false, flagged: true, answered: true, draft: false, forwarded: false } });
    const { body, lost } = await graphMessage(item, bytes, 'abc123');
    const props = new Map((body.singleValueExtendedProperties as { id: string; value: string }[]).map((p) => [p.id, p.value]));
    expect(props.get('Integer 0x0E07')).toBe('0');
    expect(props.get('SystemTime 0x0039')).toBe(item.sentAt?.toISOString());
    expect(props.get('SystemTime 0x0E06')).toBe(item.receivedAt?.toISOString());
    expect(props.get('Integer 0x1081')).toBe('102');
    expect(props.get('String {00020329-0000-0000-C000-000000000046} Name CloudwardSourceKey')).toBe('abc123');
    expect(body.flag).toEqual({ flagStatus: 'flagged' });
    const headers = (body.internetMessageHeaders ?? []) as { name: string }[];
    expect(headers.length).toBeLessThanOrEqual(5);
    for (const header of headers) expect(header.name).toMatch(/^x-/i);
    // The fixture's own transport headers (read from its text, not from our parser) are reported as not kept.
    const text = Buffer.from(bytes).toString('latin1');
    if (/^Received:/im.test(text)) expect(lost.join(' ')).toContain('received');
    expect('isRead' in body).toBe(false);
  });

  it('keeps a source draft a draft, and never sends isDraft itself', async () => {
    const bytes = read('mailparser_mixed.eml');
    const { body } = await graphMessage(mailItem('k3', { path: ['Drafts'] }, bytes, { flags: { seen: true, flagged: false, answered: false, draft: true, forwarded: false } }), bytes, 'h');
    const flags = (body.singleValueExtendedProperties as { id: string; value: string }[]).find((p) => p.id === 'Integer 0x0E07');
    expect(Number(flags?.value) & 0x8).toBe(0x8);
    expect('isDraft' in body).toBe(false);
  });
});
