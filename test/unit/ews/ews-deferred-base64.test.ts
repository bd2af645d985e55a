import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { XmlChunks, pushBase64 } from '../../../electron/engine/targets/ews/soap/xml.js';

// Issue 15: a 30 MB message may cost at most its own size in extra memory, so its base64 (4/3 of it) must not
// exist whole before the request is written. Each piece is encoded when the transport writes it.
describe('MIME base64 in an EWS request', () => {
  const mime = randomBytes(5 * 1024 * 1024 + 7);

  it('holds no encoded bytes until written', () => {
    const body = new XmlChunks().push('<t:MimeContent CharacterSet="UTF-8">');
    pushBase64(body, mime);
    body.push('</t:MimeContent>');
    const encodedUpFront = body.chunks.reduce((sum, part) => sum + (typeof part === 'string' ? part.length : Buffer.isBuffer(part) ? part.length : 0), 0);
    expect(encodedUpFront).toBeLessThan(100);
  });

  it('renders, piece by piece, exactly the base64 of the MIME, with the length announced up front', () => {
    const body = new XmlChunks();
    pushBase64(body, mime);
    const rendered = body.toString();
    expect(rendered).toBe(mime.toString('base64'));
    expect(body.bytes).toBe(Buffer.byteLength(rendered));
    expect(body.chunks.length).toBeGreaterThan(1);
  });
});
