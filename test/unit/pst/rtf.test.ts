import { describe, expect, it } from 'vitest';

import { decompressRtf, htmlFromRtf, isEncapsulatedHtml, textFromRtf } from '../../../electron/engine/sources/pst/rtf.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

describe('compressed RTF ([MS-OXRTFCP] section 4 examples)', () => {
  it('decompresses the specification example 1 (literals and dictionary references)', () => {
    const compressed = hex(`2d 00 00 00 2b 00 00 00 4c 5a 46 75 f1 c5 c7 a7
      03 00 0a 00 72 63 70 67 31 32 35 42 32 0a f3 20 68 65 6c 09 00 20 62 77 05 b0 6c 64 7d 0a 80 0f a0`);
    expect(decompressRtf(compressed).toString('latin1')).toBe('{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n');
  });

  it('decompresses the specification example 2 (a reference that overlaps its own output)', () => {
    const compressed = hex('1a 00 00 00 1c 00 00 00 4c 5a 46 75 e2 d4 4b 51 41 00 04 20 57 58 59 5a 0d 6e 7d 01 0e b0');
    expect(decompressRtf(compressed).toString('latin1')).toBe('{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}');
  });

  it('never allocates what a lying header claims', () => {
    const lying = hex('10 00 00 00 ff ff ff 7f 4c 5a 46 75 00 00 00 00 00 41 42 43');
    const out = decompressRtf(lying);
    expect(out.length).toBeLessThan(100);
    expect(() => decompressRtf(hex('01 02 03'))).toThrow(/shorter than its header/);
    expect(() => decompressRtf(hex('10 00 00 00 10 00 00 00 58 58 58 58 00 00 00 00'))).toThrow(/unknown signature/);
  });
});

describe('RTF bodies ([MS-OXRTFEX])', () => {
  const encapsulated = Buffer.from(
    '{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0{\\fonttbl{\\f0\\fswiss Arial;}}' +
      '{\\*\\htmltag19 <html>}{\\*\\htmltag34 <head>}{\\*\\htmltag41 </head>}{\\*\\htmltag50 <body>}' +
      '\\htmlrtf {\\htmlrtf0 Caf\\\'e9 \\u8364? ok\\par}\\htmlrtf0 ' +
      '{\\*\\htmltag58 </body>}{\\*\\htmltag27 </html>}}',
    'latin1',
  );

  it('recovers the HTML an RTF body encapsulates', () => {
    expect(isEncapsulatedHtml(encapsulated)).toBe(true);
    const html = htmlFromRtf(encapsulated);
    expect(html.replace(/\r\n/g, '')).toBe('<html><head></head><body>Café € ok</body></html>');
  });

  it('renders plain RTF as text without font tables or control words', () => {
    const rtf = Buffer.from('{\\rtf1\\ansi{\\fonttbl{\\f0 Times;}}{\\colortbl;\\red0;}\\pard Hello \\b bold\\b0\\par World\\tab!}', 'latin1');
    expect(textFromRtf(rtf)).toBe('Hello bold\nWorld\t!');
  });
});
