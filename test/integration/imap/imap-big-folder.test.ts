import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sha256 } from '../../../electron/engine/pipeline/content-identity.js';
import { hasDovecot, noDovecotReason, startDovecot, type Dovecot } from '../../support/dovecot.js';
import { drain, FakeSourceContext } from '../../support/fake-source-context.js';
import { MemorySecrets, sourceFromSpec } from './imap-helpers.js';

if (!hasDovecot) console.warn(`IMAP big-folder tests skipped: ${noDovecotReason}`);

const total = 10_000;

function message(i: number): Buffer {
  return Buffer.from(
    `From: Sender ${i} <s${i}@example.com>\r\nTo: alice@example.com\r\nSubject: Bulk ${i}\r\n` +
      `Date: ${new Date(Date.UTC(2020, 0, 1) + i * 60_000).toUTCString()}\r\nMessage-ID: <bulk-${i}@example.com>\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nBody of message ${i}.\r\n${'x'.repeat(i % 700)}\r\n`,
  );
}

// Dovecot with "." as hierarchy delimiter (maildir++ default) and names that contain "/".
describe.skipIf(!hasDovecot)('IMAP source: a 10,000-message folder and a "." delimiter', () => {
  let dovecot: Dovecot;
  const secrets = new MemorySecrets();
  let spec: string;

  beforeAll(async () => {
    dovecot = await startDovecot({ separator: '.' });
    spec = `imaps://alice@127.0.0.1:${dovecot.tlsPort}`;
    await secrets.set('source-password', spec, 'pass');
    const seeding = performance.now();
    const messages = Array.from({ length: total }, (_, i) => message(i));
    // Written straight into the Maildir: 10,000 APPENDs would take ~15 s, Dovecot indexes these on SELECT.
    dovecot.writeMaildir('alice', 'Bulk', messages, { seen: true, mtime: new Date(Date.UTC(2021, 5, 1)) });
    await dovecot.appendMessages('alice', 'Reports/2024', [message(1)]);
    await dovecot.appendMessages('alice', 'Reports.Q1', [message(2)]);
    await dovecot.appendMessages('alice', 'Projects.Alpha.Notes', [message(3)]);
    console.info(`seeded ${total} messages in ${((performance.now() - seeding) / 1000).toFixed(2)} s`);
  });
  afterAll(async () => {
    await dovecot?.dispose();
  });

  it('drains 10,000 messages once each, byte-identical, and a re-run fetches none', async () => {
    const context = new FakeSourceContext();
    const source = sourceFromSpec(spec, secrets, { sourceCa: dovecot.caFile });
    await source.open();
    const started = performance.now();
    const run = await drain(source, context);
    const seconds = (performance.now() - started) / 1000;
    await source.close();
    const bulk = run.mails.filter((mail) => mail.item.folder.path.join('/') === 'Bulk');
    expect(bulk).toHaveLength(total);
    const bySubject = new Map(bulk.map((mail) => [mail.item.title, mail]));
    expect(bySubject.size).toBe(total);
    for (const i of [0, 1, 699, 4321, total - 1]) {
      const mail = bySubject.get(`Bulk ${i}`);
      expect(mail && sha256(mail.bytes), `message ${i}`).toBe(sha256(message(i)));
      expect(mail?.item.flags.seen).toBe(true);
      expect(mail?.item.receivedAt?.toISOString()).toBe('2021-06-01T00:00:00.000Z');
    }
    const totalBytes = Array.from({ length: total }, (_, i) => message(i).length).reduce((a, b) => a + b, 0);
    expect(bulk.reduce((sum, mail) => sum + mail.bytes.length, 0)).toBe(totalBytes);
    console.info(`IMAP source drained ${total} messages in ${seconds.toFixed(2)} s (${Math.round(total / seconds)} msg/s)`);

    const again = await (async () => {
      const rerun = sourceFromSpec(spec, secrets, { sourceCa: dovecot.caFile });
      await rerun.open();
      try {
        return await drain(rerun, context);
      } finally {
        await rerun.close();
      }
    })();
    expect(again.mails).toHaveLength(0);
  });

  it('splits on "." only: a name containing "/" stays one segment', async () => {
    const source = sourceFromSpec(spec, secrets, { sourceCa: dovecot.caFile });
    await source.open();
    const folders: string[] = [];
    // Folders come first; stop at the first item.
    for await (const entry of source.entries(new FakeSourceContext())) {
      if (entry.type !== 'folder') break;
      folders.push(JSON.stringify(entry.folder.path));
    }
    await source.close();
    expect(folders).toContain('["Reports/2024"]');
    expect(folders).toContain('["Reports","Q1"]');
    expect(folders).toContain('["Projects","Alpha","Notes"]');
    expect(folders).not.toContain('["Reports","2024"]');
  });
});
