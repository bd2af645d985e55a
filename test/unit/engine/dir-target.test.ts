import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import type { PreparedItem } from '../../../electron/engine/model/items.js';
import { DirTarget } from '../../../electron/engine/targets/dir/dir-target.js';
import { safeName } from '../../../electron/engine/targets/dir/file-names.js';

function mail(key: string, subject: string, bytes: string, path: string[]): PreparedItem {
  return {
    item: { kind: 'mail', key, folder: { path }, size: bytes.length, title: subject, flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false }, keywords: [], categories: [], sentAt: new Date('2024-03-01T09:15:00Z'), load: async () => Buffer.from(bytes) },
    mime: Buffer.from(bytes),
    size: bytes.length,
    contentHash: `hash-${key}`,
    rowId: 1,
    targetFolder: { folderId: 1, path, targetId: path.join('/') },
  };
}

describe('dir target', () => {
  it('makes names every file system takes', () => {
    expect(safeName('Re: a/b <c>?*|"')).toBe('Re_ a_b _c_____');
    expect(safeName('CON')).toBe('_CON');
    expect(safeName('trailing dots...')).toBe('trailing dots');
    expect(safeName('')).toBe('_');
    expect(safeName('x'.repeat(200)).length).toBe(80);
  });

  it('writes mail byte for byte, and a re-run overwrites instead of adding a copy', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-dir-'));
    for (let run = 0; run < 2; run++) {
      const target = new DirTarget(root);
      await target.open();
      const folder = await target.ensureFolder({ path: ['Inbox'] }, ['Inbox']);
      const item = mail('k1', 'Quote: roof', 'Subject: Quote\r\n\r\n\u00e9t\u00e9\r\n', [...folder.path]);
      const [outcome] = await target.write([item]);
      expect(outcome).toMatchObject({ ok: true });
      await target.close();
    }
    const files = readdirSync(join(root, 'Inbox'));
    expect(files).toEqual([expect.stringMatching(/^2024-03-01 091500 Quote_ roof ~[0-9a-f]{10}\.eml$/)]);
    expect(readFileSync(join(root, 'Inbox', files[0] ?? ''), 'utf8')).toBe('Subject: Quote\r\n\r\n\u00e9t\u00e9\r\n');
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { count: number; items: { sourceKey: string }[] };
    expect(manifest.count).toBe(1);
    expect(manifest.items[0]?.sourceKey).toBe('k1');
  });

  it('keeps folders apart that a case-insensitive or Windows file system would merge', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-dir-'));
    const target = new DirTarget(root);
    await target.open();
    const a = await target.ensureFolder({ path: ['Work'] }, ['Work']);
    const b = await target.ensureFolder({ path: ['work'] }, ['work']);
    const c = await target.ensureFolder({ path: ['a/b'] }, ['a/b']);
    const d = await target.ensureFolder({ path: ['a_b'] }, ['a_b']);
    expect(a.path).toEqual(['Work']);
    expect(b.path[0]).toMatch(/^work ~[0-9a-f]{6}$/);
    expect(c.path).toEqual(['a_b']);
    expect(d.path[0]).toMatch(/^a_b ~[0-9a-f]{6}$/);
  });

  it('removes temporary files a killed run left behind, and finds what the journal recorded', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-dir-'));
    const first = new DirTarget(root);
    await first.open();
    const folder = await first.ensureFolder({ path: ['Inbox'] }, ['Inbox']);
    const item = mail('k1', 'A', 'Subject: A\r\n\r\nx\r\n', [...folder.path]);
    await first.write([item]);
    // Killed here: no close(), so no manifest.json; a half-written temporary file is left.
    writeFileSync(join(root, 'Inbox', '.123.abc.cwtmp'), 'half');
    const second = new DirTarget(root);
    await second.open();
    await second.ensureFolder({ path: ['Inbox'] }, ['Inbox']);
    expect(readdirSync(join(root, 'Inbox')).filter((name) => name.endsWith('.cwtmp'))).toEqual([]);
    expect(await second.reconcile([item])).toEqual([expect.stringMatching(/^Inbox\/.*\.eml$/)]);
    expect(await second.reconcile([{ ...item, contentHash: 'other' }])).toEqual([undefined]);
  });

  it('leaves an existing manifest alone when it is closed without having been opened', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cw-dir-'));
    const first = new DirTarget(root);
    await first.open();
    const folder = await first.ensureFolder({ path: ['Inbox'] }, ['Inbox']);
    await first.write([mail('k1', 'A', 'Subject: A\r\n\r\nx\r\n', [...folder.path])]);
    await first.close();
    const before = readFileSync(join(root, 'manifest.json'), 'utf8');
    await new DirTarget(root).close();
    expect(readFileSync(join(root, 'manifest.json'), 'utf8')).toBe(before);
  });
});
