// Child process of bench-imap.ts, so the RSS measured is Cloudward's alone. Uses the compiled engine
// (npx tsc -b). Usage: node drain-imap.mjs MODE SPEC CA_FILE [OUT_DIR]
//   MODE source : iterate the IMAP source and load every body (bodies dropped at once)
//   MODE dir    : the pipeline (runJob) from the IMAP source into dir:OUT_DIR, with a fresh ledger
//   MODE peer   : plain imapflow, FETCH 1:* (uid, flags, envelope, source) per folder: the reference
// Password from CLOUDWARD_SOURCE_PASSWORD. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [mode, spec, caFile, outDir] = process.argv.slice(2);
const engine = new URL('../../../build/out/electron/engine/', import.meta.url);
const load = (path) => import(new URL(path, engine).href);
const password = process.env.CLOUDWARD_SOURCE_PASSWORD ?? '';
const secrets = { get: async () => password, set: async () => undefined, delete: async () => true };

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20);

const started = performance.now();
let messages = 0;
let bytes = 0;
if (mode === 'source' || mode === 'dir') {
  const { imapSourceSpec } = await load('sources/imap/imap-spec.js');
  const { createLogger } = await load('log/logger.js');
  const context = { secrets, log: createLogger(), options: { sourceCa: caFile } };
  if (mode === 'source') {
    const source = imapSourceSpec.create(spec, context);
    await source.open();
    const ledger = {
      signal: new AbortController().signal,
      checkpoint: () => undefined,
      saveCheckpoint: () => undefined,
      isSettled: () => false,
      unsettledKeys: () => [],
      reportUnreadable: () => undefined,
    };
    for await (const entry of source.entries(ledger)) {
      if (entry.type !== 'item') continue;
      const data = await entry.item.load();
      messages++;
      bytes += data.length;
    }
    await source.close();
  } else {
    const { runJob } = await load('pipeline/run-job.js');
    const { Ledger } = await load('ledger/ledger.js');
    const { dirTargetSpec } = await load('targets/dir/dir-spec.js');
    const ledger = Ledger.open(join(outDir, 'ledger.sqlite'));
    const out = join(outDir, 'archive');
    const result = await runJob({
      ledger,
      source: spec,
      target: `dir:${out}`,
      mailboxes: [{ label: 'bench', source: spec, target: `dir:${out}`, createSource: () => imapSourceSpec.create(spec, context), createTarget: () => dirTargetSpec.create(out, context) }],
      verify: false,
    });
    ledger.close();
    if (result.mailboxErrors.length > 0) throw new Error(JSON.stringify(result.mailboxErrors));
    messages = result.summary.itemsDone;
    bytes = result.summary.bytesDone;
  }
} else if (mode === 'peer') {
  const { ImapFlow } = await import('imapflow');
  const url = new URL(spec);
  const client = new ImapFlow({
    host: url.hostname,
    port: Number(url.port),
    secure: url.protocol === 'imaps:',
    auth: { user: decodeURIComponent(url.username), pass: password },
    tls: { ca: readFileSync(caFile) },
    logger: false,
  });
  await client.connect();
  for (const folder of await client.list()) {
    if (folder.flags.has('\\Noselect') || folder.flags.has('\\NonExistent')) continue;
    const lock = await client.getMailboxLock(folder.path, { readOnly: true });
    try {
      if (client.mailbox.exists === 0) continue;
      for await (const message of client.fetch('1:*', { uid: true, flags: true, envelope: true, source: true })) {
        messages++;
        bytes += message.source.length;
      }
    } finally {
      lock.release();
    }
  }
  await client.logout();
} else {
  throw new Error(`unknown mode ${mode}`);
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
const maxRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ mode, messages, bytes, seconds, peakRss: Math.max(peakRss, maxRss) }) + '\n');
