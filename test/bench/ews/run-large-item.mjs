// Child process of bench-ews.ts: one large MIME message into the peer, either through Cloudward's own
// CreateItem (chunked base64) or through ews-javascript-api's CreateItems, to compare peak memory and time.
// RSS is sampled, not taken from getrusage: Linux carries the parent's peak RSS across fork+exec into
// ru_maxrss, so a child of a big process would report the parent's peak.
// Usage: node run-large-item.mjs '{"url":..,"mode":"ours"|"ewsjs","mb":30}'
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import ews from 'ews-javascript-api';

const args = JSON.parse(process.argv[2] ?? '{}');
const out = new URL('../../../build/out/electron/engine/', import.meta.url);
const mailbox = 'large@bench.example';

const body = Buffer.alloc(Math.round(args.mb * 1024 * 1024), 'A');
for (let i = 76; i < body.length; i += 78) {
  body[i] = 13;
  if (i + 1 < body.length) body[i + 1] = 10;
}
const mime = Buffer.concat([Buffer.from('From: a@example.org\r\nTo: b@example.org\r\nSubject: large\r\nDate: Tue, 01 Mar 2022 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n'), body]);

let peak = process.memoryUsage().rss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const before = process.memoryUsage().rss;
const t0 = performance.now();
if (args.mode === 'ours') {
  const { EwsClient } = await import(new URL('targets/ews/soap/client.js', out).href);
  const { HttpTransport } = await import(new URL('targets/ews/transport/http-transport.js', out).href);
  const { StaticTokenAuth } = await import(new URL('targets/ews/auth/auth.js', out).href);
  const { createItems } = await import(new URL('targets/ews/operations/create-item.js', out).href);
  const { messageXml } = await import(new URL('targets/ews/mapping/mail.js', out).href);
  const client = new EwsClient(new HttpTransport(args.url), new StaticTokenAuth('bench-token'), { mailbox, requestTimeoutMs: 120_000, maxItemMb: 150 });
  const item = { kind: 'mail', key: 'large', folder: { path: ['Inbox'] }, size: mime.length, flags: { seen: true, flagged: false, answered: false, draft: false, forwarded: false }, keywords: [], categories: [], sentAt: new Date('2022-03-01T10:00:00Z'), load: async () => mime };
  const [outcome] = await createItems(client, '@inbox', [messageXml(item, mime, 'a'.repeat(64))], new AbortController().signal);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome));
  client.transport.close();
} else {
  const service = new ews.ExchangeService(ews.ExchangeVersion.Exchange2013_SP1);
  service.Url = new ews.Uri(args.url);
  service.Credentials = new ews.OAuthCredentials('bench-token', true);
  service.HttpHeaders.Add('X-AnchorMailbox', mailbox);
  const message = new ews.EmailMessage(service);
  message.MimeContent = new ews.MimeContent('UTF-8', mime.toString('base64'));
  message.SetExtendedProperty(new ews.ExtendedPropertyDefinition(0x0e07, ews.MapiPropertyType.Integer), 1);
  const results = await service.CreateItems([message], new ews.FolderId(ews.WellKnownFolderName.Inbox), ews.MessageDisposition.SaveOnly, null);
  if (results.OverallResult !== ews.ServiceResult.Success) throw new Error('ews-javascript-api CreateItems failed');
}
const elapsedMs = performance.now() - t0;
clearInterval(sampler);
// VmHWM is this process's own peak since exec (a fresh mm), so it catches what 20 ms samples miss.
const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) * 1024;
process.stdout.write(`${JSON.stringify({ mode: args.mode, mb: args.mb, elapsedMs, baseRssMb: before / 1048576, peakRssMb: Math.max(peak, hwm, process.memoryUsage().rss) / 1048576, sampledPeakRssMb: peak / 1048576 })}\n`);
