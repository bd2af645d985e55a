import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { CloudwardError } from '../../../electron/contract/index.js';
import { PstStore } from '../../../electron/engine/sources/pst/pst-file.js';
import { PstSource } from '../../../electron/engine/sources/pst/pst-source.js';
import { FakeSourceContext } from '../../support/fake-source-context.js';
import { fixturesDir, hasFixtures } from '../../support/fixtures.js';

const work = mkdtempSync(path.join(tmpdir(), 'cloudward-pst-bad-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function refusal(file: string): Promise<CloudwardError> {
  const source = new PstSource([file]);
  try {
    await source.open();
  } catch (error) {
    if (error instanceof CloudwardError) return error;
    throw error;
  } finally {
    await source.close();
  }
  throw new Error('the file was accepted');
}

describe.skipIf(!hasFixtures)('PST source on damaged files', () => {
  const fixture = (name: string): string => path.join(fixturesDir, 'pst', name);

  it('refuses a truncated file with one clear line', async () => {
    const data = readFileSync(fixture('aspose_passwordprotectedPST.pst'));
    const file = path.join(work, 'truncated.pst');
    writeFileSync(file, data.subarray(0, Math.floor(data.length * 0.6)));
    const error = await refusal(file);
    expect(error.code).toBe('SOURCE_UNREADABLE');
    expect(error.message).toMatch(/truncated/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses a file whose block index page is damaged', async () => {
    const file = path.join(work, 'bad-bbt.pst');
    copyFileSync(fixture('pst-exp_sample1.pst'), file);
    const store = PstStore.open(file);
    const root = store.header.bbtOffset;
    store.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(512, 0x5a), 0, 512, root);
    closeSync(fd);
    const error = await refusal(file);
    expect(error.code).toBe('SOURCE_UNREADABLE');
    expect(error.message).toMatch(/damaged block index/);
  });

  it('reports one damaged message and reads all the others', async () => {
    const file = path.join(work, 'bad-node.pst');
    copyFileSync(fixture('tghanem-PST_user1_at_test.lab.pst'), file);
    const clean = new PstSource([file]);
    await clean.open();
    const before: string[] = [];
    for await (const entry of clean.entries(new FakeSourceContext())) if (entry.type === 'item') before.push(entry.item.key);
    await clean.close();
    const victim = before[1] ?? '';
    const nid = parseInt(victim.split(':').pop() ?? '0', 16);
    const store = PstStore.open(file);
    const block = store.dataBlockOf(nid);
    store.close();
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(block.size, 0xab), 0, block.size, block.offset);
    closeSync(fd);
    const source = new PstSource([file]);
    await source.open();
    const context = new FakeSourceContext();
    const after: string[] = [];
    for await (const entry of source.entries(context)) {
      if (entry.type !== 'item') continue;
      after.push(entry.item.key);
      if (entry.item.kind === 'mail') expect((await entry.item.load()).length).toBeGreaterThan(0);
    }
    await source.close();
    expect(after).toEqual(before.filter((key) => key !== victim));
    expect(context.unreadable.map((u) => u.key)).toEqual([victim]);
    expect(context.unreadable[0]?.reason).toBeTruthy();
  });
});
