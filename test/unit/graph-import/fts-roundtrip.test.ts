import path from 'node:path';

import type { PSTMessage } from 'pst-extractor';
import { afterAll, describe, expect, it } from 'vitest';

import { ftsMessageFromPst } from '../../../electron/engine/targets/graph/import/from-pst.js';
import { writeMessageStream } from '../../../electron/engine/targets/graph/import/fts-writer.js';
import { walkFolders } from '../../../electron/engine/sources/pst/folders.js';
import { bagOf, binary, bytesOf, int, multi, type PropertyBag, str } from '../../../electron/engine/sources/pst/properties.js';
import { PstStore } from '../../../electron/engine/sources/pst/pst-file.js';
import { messageNids } from '../../../electron/engine/sources/pst/pst-source.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

import { type ReadMessage, type ReadProperty, readMessageStream } from './fts-reader.js';

/**
 * Every property our PST reader gives for a message (its own table, each recipient row, each attachment
 * and the message inside an embedded one) comes out of writer → independent reader with the same id,
 * type, name and value. Expected values are read here straight from the PST through properties.ts,
 * not from the converter under test. 8-bit strings are expected as PtypString (documented conversion).
 */
const files = [
  'pst-exp_sample1.pst',
  'pst-exp_submessage.pst',
  'pst-exp_test_ansi.pst',
  'pst-exp_test_unicode.pst',
  'process-pst_multiple_to_cc.pst',
  'process-pst_unsent_email.pst',
  'tika_testPST_variousBodyTypes.pst',
  'java-libpst_dist-list.pst',
  'aspose_SampleContacts.pst',
  'go-pst_32-bit.pst',
  'DFRWS2009-Outlook-Email.pst',
];
const perFile = 60;

const opened: PstStore[] = [];
afterAll(() => opened.forEach((store) => store.close()));

function namedKeyOf(store: PstStore, id: number): string | undefined {
  for (const [key, value] of store.named) if (value === id) return key;
  return undefined;
}

function expectedValue(bag: PropertyBag, id: number, type: number): unknown {
  const item = bag.items!.get(id)!;
  switch (type) {
    case 0x0002: return (item.entryValueReference << 16) >> 16;
    case 0x0003:
    case 0x000a: return int(bag, id);
    case 0x000b: return (item.entryValueReference & 0xff) !== 0;
    case 0x0014:
    case 0x0006: return (bytesOf(bag, id) ?? item.data).readBigInt64LE(0);
    case 0x0040: return (bytesOf(bag, id) ?? item.data).readBigUInt64LE(0);
    case 0x0005:
    case 0x0007: return (bytesOf(bag, id) ?? item.data).readDoubleLE(0);
    case 0x001e:
    case 0x001f: return str(bag, id);
    case 0x0102: return binary(bag, id);
    case 0x101e:
    case 0x101f:
    case 0x1102: return multi(bag, id);
    default: return 'unchecked';
  }
}

let checkedProperties = 0;
const checkedTypes = new Set<number>();

function compareTable(store: PstStore, bag: PropertyBag, read: ReadProperty[], where: string, attachNumber?: number): void {
  let extra = 0;
  // The syntax puts PidTagAttachNumber after NewAttach; a PST keeps it in the attachment table, not here.
  if (attachNumber !== undefined && !bag.items?.has(0x0e21)) {
    expect(read[0], `${where} PidTagAttachNumber`).toMatchObject({ tag: 0x0e210003, value: attachNumber });
    extra = 1;
  }
  const byId = new Map(read.map((p) => [p.id, p]));
  for (const [id, item] of bag.items ?? []) {
    const type = item.entryValueType;
    if (type === 0x000d || type === 0x0000) continue;
    const label = `${where} 0x${id.toString(16)}/${type.toString(16)}`;
    const got = byId.get(id);
    expect(got, `${label} missing from the stream`).toBeDefined();
    if (!got) continue;
    const expectedType = type === 0x001e ? 0x001f : type === 0x101e ? 0x101f : type;
    expect(got.type, label).toBe(expectedType);
    const value = expectedValue(bag, id, type);
    if (value !== 'unchecked') {
      if (type === 0x0004) expect(got.value, label).toBeCloseTo(value as number);
      else expect(got.value, label).toEqual(value);
    }
    if (id >= 0x8000) {
      const key = namedKeyOf(store, id);
      const [guid, rest] = [key!.slice(0, key!.indexOf(':')), key!.slice(key!.indexOf(':') + 1)];
      expect(got.guid, label).toBe(guid);
      expect(String(got.lid ?? got.name), label).toBe(rest);
    }
    checkedProperties++;
    checkedTypes.add(type);
  }
  expect(read.length, `${where}: properties in the stream that the PST does not have`).toBe([...(bag.items ?? [])].filter(([, i]) => i.entryValueType !== 0x000d && i.entryValueType !== 0x0000).length + extra);
}

function compareMessage(store: PstStore, message: PSTMessage, read: ReadMessage, where: string): void {
  const bag = bagOf(message, store.defaultCharset);
  compareTable(store, bag, read.properties, where);
  expect(read.recipients.length, `${where} recipients`).toBe(message.numberOfRecipients);
  read.recipients.forEach((row, i) => compareTable(store, bagOf(message.getRecipient(i), bag.charset), row, `${where} recipient ${i}`));
  expect(read.attachments.length, `${where} attachments`).toBe(message.numberOfAttachments);
  read.attachments.forEach((attachment, i) => {
    const pstAttachment = message.getAttachment(i);
    const attachBag = bagOf(pstAttachment, bag.charset);
    compareTable(store, attachBag, attachment.properties, `${where} attachment ${i}`, i);
    if (int(attachBag, 0x3705) === 5) {
      const inner = store.embeddedMessage(pstAttachment, message);
      expect(attachment.embedded, `${where} attachment ${i} embedded`).toBeDefined();
      if (inner && attachment.embedded) compareMessage(store, inner, attachment.embedded, `${where} attachment ${i} >`);
    }
  });
}

describe.skipIf(!hasFixtures)('FastTransfer writer round trip over PST fixtures', () => {
  let embedded = 0;
  for (const name of files) {
    it(`keeps every property of ${name}`, () => {
      const store = PstStore.open(path.join(fixturesDir, 'pst', name));
      opened.push(store);
      let messages = 0;
      for (const node of walkFolders(store, () => undefined)) {
        for (const nid of messageNids(store, node.folder)) {
          if (messages >= perFile) break;
          const message = store.message(nid);
          const { message: fts, skipped } = ftsMessageFromPst(store, message);
          expect(skipped, `${name} nid ${nid}`).toEqual([]);
          const stream = writeMessageStream(fts);
          const read = readMessageStream(stream);
          compareMessage(store, message, read, `${name} nid ${nid}`);
          embedded += read.attachments.filter((a) => a.embedded).length;
          messages++;
        }
      }
      expect(messages).toBeGreaterThan(0);
    });
  }

  it('names the named properties a damaged name map cannot resolve instead of sending them nameless', () => {
    // This file's messages use ids up to 0x80d2; its name map ends at 0x80a6 (pffexport maps none of them either).
    const store = PstStore.open(path.join(fixturesDir, 'pst', 'aspose_Chunks_Test_part1.pst'));
    opened.push(store);
    const reasons = new Set<string>();
    for (const node of walkFolders(store, () => undefined)) {
      for (const nid of messageNids(store, node.folder)) {
        const { message, skipped } = ftsMessageFromPst(store, store.message(nid));
        for (const reason of skipped) {
          reasons.add(reason.replace(/^(?:.* )?0x([0-9a-f]{4})([0-9a-f]{4}): /, (_, id: string, type: string) => {
            const n = parseInt(id, 16);
            return n < 0x8000 ? `0x${id}${type}: ` : n > 0x80a6 ? 'beyond map: ' : 'IN MAP: ';
          }));
        }
        expect(readMessageStream(writeMessageStream(message)).properties.every((p) => p.id < 0x8000 || p.guid !== undefined)).toBe(true);
      }
    }
    // The file also pads some property contexts with an empty entry (tag 0x00000000): not data, not reported.
    expect([...reasons]).toEqual(['beyond map: named property missing from the file\'s name map']);
  });

  it('covered the types and structures that matter', () => {
    expect(checkedProperties).toBeGreaterThan(1000);
    for (const type of [0x0003, 0x000b, 0x0040, 0x001f, 0x0102]) expect(checkedTypes.has(type), `type 0x${type.toString(16)}`).toBe(true);
    expect(embedded).toBeGreaterThan(0);
  });
});
