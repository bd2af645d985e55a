import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PreparedItem, SourceFolder } from '../../../electron/engine/model/items.js';
import { startEwsPeer, type EwsPeer } from '../../peers/ews/ews-peer.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';
import { folderRef, mailItem, prepare, tokenTarget } from './ews-helpers.js';

const mailbox = 'alice@contoso.example';
const emlDir = path.join(fixturesDir, 'eml');

if (!hasFixtures) console.warn('EWS mail tests skipped: ../shared/fixtures (eml and ews-schema) is not present');

describe.skipIf(!hasFixtures)('EWS target writes eml fixtures into the schema-checking peer', () => {
  let peer: EwsPeer;

  beforeAll(async () => {
    peer = await startEwsPeer({ validation: 'deferred' });
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('stores every message byte for byte, not as a draft, with dates, read state, flag and categories', async () => {
    const target = tokenTarget(peer.url, mailbox);
    await target.open();
    const inboxFolder: SourceFolder = { path: ['Inbox'], special: 'inbox' };
    const projects: SourceFolder = { path: ['Inbox', 'Projects 2021'] };
    const inbox = await target.ensureFolder(inboxFolder, ['Inbox']);
    const sub = await target.ensureFolder(projects, ['Inbox', 'Projects 2021']);
    expect(sub.path).toEqual(['Inbox', 'Projects 2021']);

    const files = readdirSync(emlDir).filter((name) => name.endsWith('.eml')).sort();
    const prepared: PreparedItem[] = files.map((name, index) => {
      const bytes = new Uint8Array(readFileSync(path.join(emlDir, name)));
      const onSub = index % 2 === 1;
      const item = mailItem(name, onSub ? projects : inboxFolder, bytes, {
        flags: { seen: index % 3 !== 0, flagged: index % 4 === 0, answered: index % 5 === 0, draft: false, forwarded: false },
        categories: index % 4 === 0 ? ['Blue category'] : [],
      });
      return prepare(item, folderRef(onSub ? sub.path : inbox.path, onSub ? sub.targetId : inbox.targetId), bytes);
    });

    for (let start = 0; start < prepared.length; start += 10) {
      const batch = prepared.slice(start, start + 10);
      const outcomes = await target.write(batch, new AbortController().signal);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual(batch.map(() => true));
      if (start === 0 && outcomes[0]?.ok && batch[0]) await target.verify(batch[0], outcomes[0].targetId);
    }

    const box = peer.mailbox(mailbox);
    const stored = box.items.filter((item) => item.kind === 'Message');
    expect(stored).toHaveLength(files.length);
    for (const p of prepared) {
      if (p.item.kind !== 'mail') continue;
      const folderPath = p.item.folder.special ? ['Inbox'] : ['Inbox', 'Projects 2021'];
      const match = box.itemsIn(folderPath).filter((item) => item.mime !== undefined && Buffer.compare(item.mime, Buffer.from(readFileSync(path.join(emlDir, p.item.key)))) === 0);
      expect(match, p.item.key).toHaveLength(1);
      const props = new Map(match[0]?.extendedProps.filter((prop) => prop.tag).map((prop) => [Number(prop.tag), prop.value]));
      expect(Number(props.get(0x0e07)), p.item.key).toBe(p.item.flags.seen ? 1 : 0);
      if (p.item.sentAt) {
        expect(Date.parse(props.get(0x0039) ?? '')).toBe(p.item.sentAt.getTime());
        expect(Date.parse(props.get(0x0e06) ?? '')).toBe(p.item.receivedAt?.getTime());
      }
      expect(props.get(0x1090) === '2').toBe(p.item.flags.flagged);
      expect(match[0]?.categories).toEqual([...p.item.categories]);
      expect(match[0]?.createAttributes.MessageDisposition).toBe('SaveOnly');
    }
    await peer.flushValidation();
    await peer.assertNoSchemaErrors();
    peer.assertNoViolations();
    await target.close();
  });
});
