import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { base64Lines } from '../../../electron/engine/sources/pst/mail-mime.js';

/** What a reader expects: RFC 2045 base64, 76-character lines, CRLF between them, none after the last. */
function reference(content: Buffer): string {
  return (content.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

describe('attachment base64 (written in place, block by block)', () => {
  // Around a line (57 bytes in), around a block (512 lines) and a multi-block size with a ragged end.
  const sizes = [0, 1, 2, 3, 56, 57, 58, 114, 57 * 512 - 1, 57 * 512, 57 * 512 + 1, 57 * 1024 + 3, 1_000_001];

  it.each(sizes)('%i bytes come out as the standard line-wrapped base64 and decode back', (size) => {
    const content = randomBytes(size);
    const encoded = base64Lines(content);
    expect(encoded.toString('latin1')).toBe(reference(content));
    expect(Buffer.from(encoded.toString('latin1'), 'base64').equals(content)).toBe(true);
  });
});
