// Child process of bench-graph.ts: one large message (a text part and one big attachment) through
// Cloudward's Graph target into the peer (create, then an upload session in ranges under 4 MB), to
// measure the memory it costs beyond the MIME already in memory, and the time.
// RSS: sampled every 20 ms and VmHWM (this process's own peak, reset after set-up; getrusage would carry
// the parent's peak across fork+exec).
// Usage: node run-large-item.mjs '{"url":..,"mb":30}'
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const args = JSON.parse(process.argv[2] ?? '{}');
const out = new URL('../../../build/out/electron/engine/', import.meta.url);
const { GraphTarget } = await import(new URL('targets/graph/graph-target.js', out).href);
const { StaticTokenSource } = await import(new URL('targets/exchange/auth/token-source.js', out).href);
const { HttpTransport } = await import(new URL('targets/exchange/http-transport.js', out).href);
const { createLogger } = await import(new URL('log/logger.js', out).href);
const mailbox = 'large@bench.example';

// A MIME of `mb` MB, written line by line into one Buffer: no large garbage whose freed memory the
// measured part could reuse unseen. Base64 lines of 76 characters carry 0.74 of it as attachment bytes.
const head = Buffer.from(
  'From: Ann <ann@example.org>\r\nTo: large@bench.example\r\nSubject: large\r\nDate: Tue, 01 Mar 2022 10:00:00 +0000\r\nMessage-ID: <large@example.org>\r\n' +
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: application/octet-stream\r\n' +
    'Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="large.bin"\r\n\r\n',
  'latin1',
);
const tail = Buffer.from('--b--\r\n', 'latin1');
const lines = Math.floor((args.mb * 1024 * 1024) / 78);
const mime = Buffer.alloc(head.length + lines * 78 + tail.length);
head.copy(mime);
const raw = randomBytes(57);
for (let line = 0, at = head.length; line < lines; line += 1, at += 78) {
  raw.writeUInt32BE(line, 0);
  mime.write(raw.toString('base64'), at, 'latin1');
  mime[at + 76] = 13;
  mime[at + 77] = 10;
}
tail.copy(mime, head.length + lines * 78);

const target = new GraphTarget({
  endpoint: args.url,
  mailbox,
  log: createLogger(),
  connect: async () => ({ tokens: new StaticTokenSource('bench-token', { account: `graph://${mailbox}`, mailbox }), transport: new HttpTransport({ maxSockets: 5 }) }),
  maxItemMb: 150,
  requestTimeoutMs: 120_000,
});
await target.open();
const folder = { path: ['Inbox'], special: 'inbox' };
const inbox = await target.ensureFolder(folder, ['Inbox']);
const item = { kind: 'mail', key: 'large', folder, size: mime.length, title: 'large', flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false }, keywords: [], categories: [], sentAt: new Date('2022-03-01T10:00:00Z') };
const prepared = { item, mime, size: mime.length, contentHash: 'x', rowId: 1, targetFolder: { folderId: 1, path: inbox.path, targetId: inbox.targetId } };

globalThis.gc?.();
// Building the test MIME above peaked far higher than what is measured; "5" resets VmHWM to the current RSS (proc(5)).
try {
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  // Without it VmHWM includes the set-up: the sampled peak still stands.
}
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const before = process.memoryUsage().rss;
const t0 = performance.now();
const [outcome] = await target.write([prepared], new AbortController().signal);
const elapsedMs = performance.now() - t0;
clearInterval(sampler);
await target.close();
if (!outcome.ok) throw new Error(JSON.stringify(outcome));
const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
process.stdout.write(`${JSON.stringify({ mb: mime.length / 1048576, elapsedMs, baseRssMb: before / 1048576, peakRssMb: Math.max(peak, hwm) / 1048576, sampledPeakRssMb: peak / 1048576 })}\n`);
