import { describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/errors.js';
import type { FtsMessage } from '../../../electron/engine/targets/graph/import/fts-model.js';
import { writeMessageStream } from '../../../electron/engine/targets/graph/import/fts-writer.js';

import { readMessageStream } from './fts-reader.js';

/**
 * Expected bytes derived by hand from [MS-OXCFXICS] 2.2.4.1 (lexical rules), 2.2.4.1.4 (markers) and
 * 2.2.4.3 (message syntax), [MS-OXCDATA] 2.11.1 (type codes) and [MS-DTYP] 2.3.4.2 (GUID byte order).
 * Each line: offset, bytes, what they are.
 */
function hex(lines: string[]): Buffer {
  return Buffer.from(lines.map((line) => line.replace(/^\s*\d+:/, '').replace(/#.*$/, '').replace(/\s+/g, '')).join(''), 'hex');
}

describe('FastTransfer message stream, golden bytes', () => {
  it('writes fixed-size and string properties as the spec lays them out', () => {
    const message: FtsMessage = {
      properties: [
        { id: 0x0037, type: 0x001f, value: 'Hi' }, // PidTagSubject
        { id: 0x0e07, type: 0x0003, value: 1 }, // PidTagMessageFlags = mfRead
        { id: 0x0e06, type: 0x0040, value: 0x01d2c3b4a5968778n }, // PidTagMessageDeliveryTime
        { id: 0x0002, type: 0x000b, value: true }, // PidTagAlternateRecipientAllowed
        { id: 0x0017, type: 0x0002, value: -2 }, // PtypInteger16 (hand-picked id)
      ],
      recipients: [],
      attachments: [],
    };
    const expected = hex([
      ' 0: 03000C40', //                 StartMessage 0x400C0003
      ' 4: 1F003700', //                 tag 0x0037001F
      ' 8: 06000000', //                 length 6 = "Hi" + 16-bit terminator
      '12: 480069000000', //             H i \0 in UTF-16LE
      '18: 0300070E 01000000', //        PidTagMessageFlags = 1
      '26: 4000060E 7887 96A5 B4C3 D201', // PtypTime, FILETIME little-endian
      '38: 0B000200 0100', //            PtypBoolean: 2 bytes in FastTransfer
      '44: 02001700 FEFF', //            PtypInteger16 -2
      '50: 03000D40', //                 EndMessage 0x400D0003
    ]);
    const written = writeMessageStream(message);
    expect(written.toString('hex')).toBe(expected.toString('hex'));
    expect(written.length).toBe(54);
  });

  it('writes named properties, multi-values, recipients, attachments and an embedded message', () => {
    const message: FtsMessage = {
      properties: [
        { id: 0x8001, type: 0x000b, name: { guid: '00062008-0000-0000-C000-000000000046', lid: 0x8503 }, value: true }, // PidLidReminderSet
        { id: 0x8002, type: 0x001f, name: { guid: '00020329-0000-0000-C000-000000000046', name: 'K' }, value: 'v' },
        { id: 0x1234, type: 0x101f, value: ['a', 'bc'] },
      ],
      recipients: [[{ id: 0x0c15, type: 0x0003, value: 1 }]], // PidTagRecipientType = To
      attachments: [
        {
          properties: [{ id: 0x3705, type: 0x0003, value: 5 }], // PidTagAttachMethod = afEmbeddedMessage
          embedded: {
            properties: [
              { id: 0x0037, type: 0x001f, value: '' },
              { id: 0x300b, type: 0x0102, value: Buffer.from([0xab, 0xcd]) }, // PidTagSearchKey
            ],
            recipients: [],
            attachments: [],
          },
        },
      ],
    };
    const expected = hex([
      '  0: 03000C40', //                               StartMessage
      '  4: 0B000180', //                               tag 0x8001000B (named)
      '  8: 08200600 0000 0000 C000 000000000046', //    PSETID_Common, Data1-3 little-endian
      ' 24: 00', //                                     kind 0 = LID
      ' 25: 03850000', //                               LID 0x8503
      ' 29: 0100', //                                   true
      ' 31: 1F000280', //                               tag 0x8002001F (named)
      ' 35: 29030200 0000 0000 C000 000000000046', //    PS_PUBLIC_STRINGS
      ' 51: 01', //                                     kind 1 = name
      ' 52: 4B000000', //                               "K" + 16-bit terminator
      ' 56: 04000000 76000000', //                      length 4, "v\\0"
      ' 64: 1F103412', //                               tag 0x1234101F (PtypMultipleString)
      ' 68: 02000000', //                               2 values
      ' 72: 04000000 61000000', //                      "a"
      ' 80: 06000000 620063000000', //                  "bc"
      ' 90: 03000340', //                               StartRecip
      ' 94: 0300150C 01000000', //                      PidTagRecipientType = 1
      '102: 03000440', //                               EndToRecip
      '106: 03000040', //                               NewAttach
      '110: 0300210E 00000000', //                      PidTagAttachNumber = 0
      '118: 03000537 05000000', //                      PidTagAttachMethod = 5
      '126: 03000140', //                               StartEmbed
      '130: 1F003700 02000000 0000', //                 empty subject: just the terminator
      '140: 02010B30 02000000 ABCD', //                 PidTagSearchKey, length 2
      '150: 03000240', //                               EndEmbed
      '154: 03000E40', //                               EndAttach
      '158: 03000D40', //                               EndMessage
    ]);
    const written = writeMessageStream(message);
    expect(written.toString('hex')).toBe(expected.toString('hex'));
    expect(written.length).toBe(162);
    const read = readMessageStream(written);
    expect(read.properties[0]).toMatchObject({ guid: '00062008-0000-0000-C000-000000000046', lid: 0x8503, value: true });
    expect(read.attachments[0]?.embedded?.properties[1]?.value).toEqual(Buffer.from([0xab, 0xcd]));
  });

  it('refuses a value that does not fit its type, with a catalogue error naming the tag', () => {
    const bad: FtsMessage = { properties: [{ id: 0x0e07, type: 0x0003, value: 'one' }], recipients: [], attachments: [] };
    expect(() => writeMessageStream(bad)).toThrow(CloudwardError);
    expect(() => writeMessageStream(bad)).toThrow(/0x0e070003/);
    const unnamed: FtsMessage = { properties: [{ id: 0x8001, type: 0x0003, value: 1 }], recipients: [], attachments: [] };
    expect(() => writeMessageStream(unnamed)).toThrow(/without its name/);
  });

  it('the reader refuses lying lengths and unbalanced markers with the offset', () => {
    const ok = writeMessageStream({ properties: [{ id: 0x0037, type: 0x001f, value: 'Hi' }], recipients: [], attachments: [] });
    const lying = Buffer.from(ok);
    lying.writeUInt32LE(0x7fffffff, 8);
    expect(() => readMessageStream(lying)).toThrow(/offset 12: length 2147483647 beyond the stream/);
    expect(() => readMessageStream(ok.subarray(0, ok.length - 4))).toThrow(/ends inside a message/);
  });
});
