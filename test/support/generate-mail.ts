import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic PRNG (mulberry32): the same seed always builds the same corpus. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Body size for message `index`, a realistic mix: most mail a few KB, one in fifty with a ~300 KB
 * attachment, one in a thousand with a 1-3 MB attachment.
 */
export function bodySize(random: () => number, index: number): number {
  if (index % 1000 === 999) return 1_000_000 + Math.floor(random() * 2_000_000);
  if (index % 50 === 49) return 200_000 + Math.floor(random() * 200_000);
  return 1_000 + Math.floor(random() * 6_000);
}

export function generateMessage(index: number, random: () => number, size = bodySize(random, index)): Buffer {
  const date = new Date(Date.UTC(2019, 0, 1) + index * 3_600_000);
  const headers = [
    `From: "Sender ${index % 37}" <sender${index % 37}@example.com>`,
    `To: info@contoso.test`,
    `Subject: Message ${index} about order ${Math.floor(random() * 100000)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <gen-${index}.${Math.floor(random() * 1e9)}@example.com>`,
    'MIME-Version: 1.0',
  ];
  if (size <= 8_000) {
    const body = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(size / 57)).slice(0, size);
    return Buffer.from([...headers, 'Content-Type: text/plain; charset=utf-8', '', ...body.match(/.{1,76}/g)!, ''].join('\r\n'));
  }
  const boundary = `b${index}`;
  const payload = Buffer.alloc(Math.floor((size * 3) / 4));
  for (let i = 0; i < payload.length; i += 4) payload.writeUInt32LE((random() * 0xffffffff) >>> 0, Math.min(i, payload.length - 4));
  const base64 = payload.toString('base64').match(/.{1,76}/g)!.join('\r\n');
  return Buffer.from(
    [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`, 'Content-Type: text/plain; charset=utf-8', '', 'See attachment.', `--${boundary}`, `Content-Type: application/octet-stream; name="file${index}.bin"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="file${index}.bin"`, '', base64, `--${boundary}--`, ''].join('\r\n'),
  );
}

/** Writes `count` messages as .eml files spread over a few folders; returns their total size. */
export function writeEmlCorpus(root: string, count: number, seed = 1, folders = ['Inbox', 'Sent Items', 'Projects/Roof', 'Projects/Garden']): number {
  const random = seededRandom(seed);
  let bytes = 0;
  for (const folder of folders) mkdirSync(join(root, ...folder.split('/')), { recursive: true });
  for (let index = 0; index < count; index++) {
    const folder = folders[index % folders.length] ?? 'Inbox';
    const message = generateMessage(index, random);
    bytes += message.length;
    writeFileSync(join(root, ...folder.split('/'), `msg-${String(index).padStart(6, '0')}.eml`), message);
  }
  return bytes;
}

/**
 * A plain-text message of about `size` bytes, the same bytes for the same arguments: the IMAP benches' and the
 * memory-bound test's corpora (one builder, so a bench and a test that claim the same corpus do build it).
 */
export function plainMessage(i: number, size: number, naming: { subject: string; id: string; year: number }): Buffer {
  const head =
    `From: Sender ${i} <s${i}@example.com>\r\nTo: alice@example.com\r\nSubject: ${naming.subject} ${i}\r\n` +
    `Date: ${new Date(Date.UTC(naming.year, 0, 1) + i * 60_000).toUTCString()}\r\nMessage-ID: <${naming.id}-${i}@example.com>\r\n` +
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n';
  const line = `Line ${i} lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\r\n`;
  return Buffer.from(head + line.repeat(Math.ceil((size - head.length) / line.length)));
}
