import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { type ParsedMail, simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';

import { renderChunk } from '../../../electron/engine/targets/exchange/http-transport.js';
import { messageRequestBody } from '../../../electron/engine/targets/graph/json-body.js';
import { cutLargeParts } from '../../../electron/engine/targets/graph/mapping/large-parts.js';
import { attachmentJson, graphMessage, parseMime, parseOptions } from '../../../electron/engine/targets/graph/mapping/mail.js';
import { mailItem } from '../../integration/graph/graph-helpers.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

// mailparser as the Graph mapping runs it: the cut of large parts must change nothing of that reading.
const options = parseOptions;

/** What the Graph mapping reads of a parse. */
function reading(parsed: ParsedMail): unknown {
  return {
    subject: parsed.subject,
    html: parsed.html,
    text: parsed.text,
    headerLines: parsed.headerLines,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, cid: a.cid, contentId: a.contentId, related: a.related, disposition: a.contentDisposition, content: a.content.toString('base64') })),
  };
}

function withAttachment(bytes: Buffer, lineLength: number, eol = '\r\n'): Buffer {
  const base64 = bytes.toString('base64').replace(new RegExp(`.{${lineLength}}`, 'g'), `$&${eol}`);
  return Buffer.from(
    [`Subject: part`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '', '--b1', 'Content-Type: text/plain', '', 'Hello', '--b1', 'Content-Type: application/octet-stream', 'Content-Transfer-Encoding: base64', 'Content-Disposition: attachment; filename="a.bin"', '', base64, '--b1--', ''].join(eol),
    'latin1',
  );
}

describe('large base64 parts decoded natively, not by mailparser', () => {
  it.skipIf(!hasFixtures)('reads every eml fixture exactly as mailparser does, with every base64 leaf cut', async () => {
    const dir = path.join(fixturesDir, 'eml');
    let cut = 0;
    for (const name of readdirSync(dir).filter((file) => file.endsWith('.eml'))) {
      const mime = readFileSync(path.join(dir, name));
      if (cutLargeParts(mime, 1)) cut += 1;
      expect(reading(await parseMime(mime, 1)), name).toEqual(reading(await simpleParser(mime, options)));
    }
    // The comparison means something only if parts were really cut.
    expect(cut).toBeGreaterThan(5);
  });

  it('gives the same bytes for odd line lengths, LF line ends, missing padding and a part mailparser must keep', async () => {
    const cases = [withAttachment(randomBytes(200_000), 76), withAttachment(randomBytes(100_001), 64, '\n'), withAttachment(randomBytes(100_002), 100)];
    const unpadded = withAttachment(randomBytes(100_000), 76).toString('latin1').replace(/=+\r\n--b1--/, '\r\n--b1--');
    cases.push(Buffer.from(unpadded, 'latin1'));
    // A stray character inside the base64: not plain, so mailparser decodes it.
    cases.push(Buffer.from(withAttachment(randomBytes(100_000), 76).toString('latin1').replace(/(filename="a\.bin"\r\n\r\n.{76})\r\n/, '$1\r\n*'), 'latin1'));
    for (const [index, mime] of cases.entries()) {
      expect(reading(await parseMime(mime)), String(index)).toEqual(reading(await simpleParser(mime, options)));
    }
    expect(cutLargeParts(cases[0] as Buffer)).toBeDefined();
    expect(cutLargeParts(cases[4] as Buffer)).toBeUndefined();
  });

  it('sends a message body whose chunks are byte for byte JSON.stringify of the whole object', () => {
    const body = { subject: 'Grüße "quoted"', body: { contentType: 'text', content: 'line\nnext' } };
    const attachments = [
      { name: 'a.bin', contentType: 'application/octet-stream', bytes: randomBytes(150_001), isInline: false },
      { name: 'b "c".png', contentType: 'image/png', bytes: randomBytes(49_152), isInline: true, contentId: 'img@x' },
      { name: 'empty', contentType: 'text/plain', bytes: Buffer.alloc(0), isInline: false },
    ].map((attachment) => ({ ...attachment, size: attachment.bytes.length }));
    const request = messageRequestBody(body, attachments);
    const sent = Buffer.concat(request.chunks.map((chunk) => Buffer.from(renderChunk(chunk))));
    const expected = Buffer.from(JSON.stringify({ ...body, attachments: attachments.map(attachmentJson) }));
    expect(sent.equals(expected)).toBe(true);
    expect(request.bytes).toBe(expected.length);
    // Nothing of the base64 exists before the transport renders it.
    expect(request.chunks.filter((chunk) => typeof chunk === 'string').every((chunk) => (chunk as string).length < 1000)).toBe(true);
    expect(messageRequestBody({}, attachments.slice(0, 1)).chunks.map((chunk) => renderChunk(chunk).toString()).join('')).toBe(JSON.stringify({ attachments: [attachmentJson(attachments[0] as (typeof attachments)[0])] }));
  });

  it('sends a cut part as the MIME\'s own base64 without decoding it, the same bytes as the decoded-and-encoded JSON', async () => {
    const canonical = withAttachment(randomBytes(300_000), 76);
    const unpadded = Buffer.from(withAttachment(randomBytes(100_000), 76).toString('latin1').replace(/=+\r\n--b1--/, '\r\n--b1--'), 'latin1');
    for (const [index, mime] of [canonical, unpadded].entries()) {
      const message = await graphMessage(mailItem(`k${index}`, { path: ['Inbox'] }, mime), mime, 'hash');
      const attachment = message.inlineAttachments[0];
      expect(attachment?.base64?.canonical, String(index)).toBe(index === 0);
      const request = messageRequestBody(message.body, message.inlineAttachments);
      const sent = Buffer.concat(request.chunks.map((chunk) => Buffer.from(renderChunk(chunk))));
      const original = (await simpleParser(mime, options)).attachments[0]?.content;
      const expected = Buffer.from(JSON.stringify({ ...message.body, attachments: [{ ...attachmentJson(attachment as NonNullable<typeof attachment>), contentBytes: original?.toString('base64') }] }));
      expect(sent.equals(expected), String(index)).toBe(true);
      expect(request.bytes, String(index)).toBe(expected.length);
    }
  });
});
