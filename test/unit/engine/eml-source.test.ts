import { appendFileSync, mkdirSync, mkdtempSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import type { MailItem, SourceEntry } from '../../../electron/engine/model/items.js';
import { EmlSource } from '../../../electron/engine/sources/eml/eml-source.js';
import type { SourceContext } from '../../../electron/engine/sources/source.js';

function context(settled = new Set<string>()): SourceContext & { unreadable: string[] } {
  const unreadable: string[] = [];
  return {
    unreadable,
    signal: new AbortController().signal,
    checkpoint: () => undefined,
    saveCheckpoint: () => undefined,
    isSettled: (key) => settled.has(key),
    unsettledKeys: () => [],
    reportUnreadable: (failure) => unreadable.push(failure.reason),
  };
}

async function collect(source: EmlSource, ctx = context()): Promise<SourceEntry[]> {
  await source.open();
  const entries: SourceEntry[] = [];
  for await (const entry of source.entries(ctx)) entries.push(entry);
  return entries;
}

const message = (id: string, subject: string): string => `Message-ID: <${id}>\r\nDate: Tue, 2 Jan 2024 09:15:00 +0100\r\nSubject: ${subject}\r\n\r\nHello\r\n`;

describe('eml source', () => {
  it('reads a tree of .eml folders, naming folders from the tree and special ones by their localized names', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-eml-'));
    mkdirSync(join(root, 'Postvak IN', 'Klanten'), { recursive: true });
    mkdirSync(join(root, 'Éléments supprimés'));
    writeFileSync(join(root, 'Postvak IN', 'a.eml'), message('a@x', '=?utf-8?q?Caf=C3=A9?='));
    writeFileSync(join(root, 'Postvak IN', 'notes.txt'), 'not mail');
    writeFileSync(join(root, 'Postvak IN', 'Klanten', 'b.EML'), message('b@x', 'B'));
    writeFileSync(join(root, 'Éléments supprimés', 'c.eml'), message('c@x', 'C'));
    const entries = await collect(new EmlSource(root));
    const folders = entries.filter((entry) => entry.type === 'folder').map((entry) => entry.type === 'folder' && entry.folder);
    expect(folders).toEqual([
      { path: ['Postvak IN'], holds: 'mail', count: 1, special: 'inbox' },
      { path: ['Postvak IN', 'Klanten'], holds: 'mail', count: 1 },
      { path: ['Éléments supprimés'], holds: 'mail', count: 1, special: 'deleted' },
    ]);
    const items = entries.flatMap((entry) => (entry.type === 'item' ? [entry.item as MailItem] : []));
    expect(items.map((item) => item.key)).toEqual(['eml:Postvak IN/a.eml', 'eml:Postvak IN/Klanten/b.EML', 'eml:Éléments supprimés/c.eml']);
    expect(items[0]).toMatchObject({ messageId: '<a@x>', title: 'Café' });
    expect(items[0]?.sentAt?.toISOString()).toBe('2024-01-02T08:15:00.000Z');
    expect(Buffer.from(await items[0]!.load()).toString()).toBe(message('a@x', '=?utf-8?q?Caf=C3=A9?='));
  });

  it('reads Maildir with its flags and Maildir++ subfolders, keyed independently of flag changes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-maildir-'));
    for (const dir of ['cur', 'new', 'tmp', '.Sent/cur', '.Sent/new', '.Work.Clients/cur']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'new', '1700000000.1.host'), message('n@x', 'new'));
    writeFileSync(join(root, 'cur', '1700000001.2.host:2,FS'), message('s@x', 'seen flagged'));
    writeFileSync(join(root, 'cur', '1700000002.3.host:2,RP'), message('r@x', 'replied'));
    writeFileSync(join(root, '.Sent', 'cur', '1700000003.4.host:2,S'), message('t@x', 'sent'));
    writeFileSync(join(root, '.Work.Clients', 'cur', '1700000004.5.host:2,'), message('w@x', 'work'));
    const entries = await collect(new EmlSource(root));
    const items = entries.flatMap((entry) => (entry.type === 'item' ? [entry.item as MailItem] : []));
    const byTitle = new Map(items.map((item) => [item.title, item]));
    expect(byTitle.get('new')?.flags).toMatchObject({ seen: false, flagged: false });
    expect(byTitle.get('seen flagged')?.flags).toMatchObject({ seen: true, flagged: true });
    expect(byTitle.get('replied')?.flags).toMatchObject({ seen: false, answered: true, forwarded: true });
    expect(byTitle.get('seen flagged')?.key).toBe('maildir:/1700000001.2.host');
    expect(byTitle.get('sent')?.folder).toMatchObject({ path: ['Sent'], special: 'sent' });
    expect(byTitle.get('work')?.folder.path).toEqual(['Work', 'Clients']);
    expect(byTitle.get('new')?.folder).toMatchObject({ path: ['Inbox'], special: 'inbox' });
  });

  it('does not read files whose keys are already settled', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-eml-'));
    mkdirSync(join(root, 'Inbox'));
    writeFileSync(join(root, 'Inbox', 'a.eml'), message('a@x', 'A'));
    const entries = await collect(new EmlSource(root), context(new Set(['eml:Inbox/a.eml'])));
    const item = entries.find((entry) => entry.type === 'item');
    expect(item?.type === 'item' && item.item.kind === 'mail' && item.item.messageId).toBeUndefined();
  });

  it('says clearly when the folder is missing or is a file', async () => {
    await expect(new EmlSource('/nonexistent/cloudward').open()).rejects.toThrow('/nonexistent/cloudward does not exist');
    const root = mkdtempSync(join(tmpdir(), 'cw-eml-'));
    writeFileSync(join(root, 'x.eml'), 'x');
    await expect(new EmlSource(join(root, 'x.eml')).open()).rejects.toThrow(/is not a folder/);
  });
});

describe('eml source, large messages', () => {
  it('holds only the header block of large messages while reading ahead, and loads each whole when asked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-eml-large-'));
    const body = Buffer.alloc(6 * 1024 * 1024, 'x');
    for (let i = 0; i < 12; i++) {
      const file = join(root, `m${String(i).padStart(2, '0')}.eml`);
      // Header, then the one body buffer appended: no garbage buffers to muddy the memory figure.
      writeFileSync(file, message(`big${i}@x`, `Big ${i}`));
      appendFileSync(file, body);
    }
    const source = new EmlSource(root);
    await source.open();
    const before = process.memoryUsage().arrayBuffers;
    const iterator = source.entries(context())[Symbol.asyncIterator]();
    await iterator.next(); // the folder
    const first = (await iterator.next()).value as SourceEntry;
    // Read-ahead has run now: eight 6 MB files would be 48 MB, even one 6 MB; their heads are 2 MB.
    const held = process.memoryUsage().arrayBuffers - before;
    expect(held).toBeLessThan(8 * 1024 * 1024);
    const item = first.type === 'item' ? (first.item as MailItem) : undefined;
    expect(item).toMatchObject({ messageId: '<big0@x>', title: 'Big 0', size: body.length + message('big0@x', 'Big 0').length });
    const loaded = Buffer.from(await item!.load());
    expect(loaded.length).toBe(body.length + message('big0@x', 'Big 0').length);
    expect(loaded.subarray(loaded.length - 16).toString()).toBe('x'.repeat(16));
    await iterator.return?.();
  });

  it('reads ahead at most about 2 MB of messages small enough to hold whole', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-eml-ahead-'));
    const body = Buffer.alloc(900 * 1024, 'y');
    for (let i = 0; i < 12; i++) {
      const file = join(root, `m${String(i).padStart(2, '0')}.eml`);
      writeFileSync(file, message(`mid${i}@x`, `Mid ${i}`));
      appendFileSync(file, body);
    }
    const source = new EmlSource(root);
    await source.open();
    const before = process.memoryUsage().arrayBuffers;
    const iterator = source.entries(context())[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    // Eight 0.9 MB files ahead would be 7.2 MB; the byte bound keeps about three.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(5 * 1024 * 1024);
    await iterator.return?.();
  });

  it('a large message gone before a target loads it fails that item in one line naming the file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-eml-gone-'));
    const file = join(root, 'big.eml');
    writeFileSync(file, message('gone@x', 'Gone'));
    appendFileSync(file, Buffer.alloc(2 * 1024 * 1024, 'z'));
    const entries = await collect(new EmlSource(root));
    const item = entries.flatMap((entry) => (entry.type === 'item' ? [entry.item as MailItem] : []))[0]!;
    unlinkSync(file);
    await expect(item.load()).rejects.toMatchObject({ code: 'ITEM_UNREADABLE', message: `Cannot read ${file}: ENOENT` });
  });
});
