// Child process of bench-ews.ts: runs Cloudward's compiled engine (npx tsc -b first) for N mailboxes
// against the EWS peer, so its CPU and memory are measured apart from the peer's.
// Usage: node run-ews-job.mjs '{"url":..,"dir":..,"mailboxes":20,"ledger":..,"durationMs":..,"budgetMb":..,"windowMs":..}'
import { performance } from 'node:perf_hooks';

const out = new URL('../../../build/out/electron/engine/', import.meta.url);
const { runJob } = await import(new URL('pipeline/run-job.js', out).href);
const { Ledger } = await import(new URL('ledger/ledger.js', out).href);
const { emlSourceSpec } = await import(new URL('sources/eml/eml-spec.js', out).href);
const { ewsTargetSpec } = await import(new URL('targets/ews/ews-spec.js', out).href);
const { createLogger } = await import(new URL('log/logger.js', out).href);

const args = JSON.parse(process.argv[2] ?? '{}');
const token = process.env.CLOUDWARD_TARGET_TOKEN ?? 'bench-token';
const secrets = {
  get: async (role) => (role === 'target-token' ? token : undefined),
  set: async () => undefined,
  delete: async () => false,
};
const log = createLogger();
const options = { targetAuth: 'token', ewsRequestTimeoutMs: 60_000 };
if (args.budgetMb) Object.assign(options, { ewsBudgetMb: args.budgetMb, ewsBudgetWindowMs: args.windowMs });
if (args.batchMb) Object.assign(options, { ewsMaxBatchMb: args.batchMb });

let peakRss = process.memoryUsage().rss;
let atPeak = process.memoryUsage();
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  if (usage.rss > peakRss) {
    peakRss = usage.rss;
    atPeak = usage;
  }
}, 50);

const ledger = Ledger.open(args.ledger);
const stop = new AbortController();
const timer = args.durationMs ? setTimeout(() => stop.abort(), args.durationMs) : undefined;
const mailboxes = Array.from({ length: args.mailboxes }, (_, i) => {
  const mailbox = `user${String(i).padStart(2, '0')}@bench.example`;
  const context = { secrets, log, options: { ...options, targetMailbox: mailbox } };
  return {
    label: mailbox,
    source: `eml:${args.dir}`,
    target: `ews:${args.url}#${mailbox}`,
    createSource: () => emlSourceSpec.create(args.dir, context),
    createTarget: () => ewsTargetSpec.create(args.url, context, mailbox),
  };
});

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runJob({
  ledger,
  source: `eml:${args.dir}`,
  target: `ews:${args.url}`,
  mailboxes,
  parallelMailboxes: args.mailboxes,
  signal: stop.signal,
  verify: true,
  log,
});
const elapsedMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
clearTimeout(timer);
ledger.close();
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    cores: (cpu.user + cpu.system) / 1000 / elapsedMs,
    // Sampled: getrusage's maxrss would include the parent's peak (Linux keeps it across fork+exec).
    peakRssMb: peakRss / 1024 / 1024,
    atPeakMb: Object.fromEntries(Object.entries(atPeak).map(([k, v]) => [k, Math.round(v / 1048576)])),
    summary: result.summary,
    mailboxErrors: result.mailboxErrors,
  })}\n`,
);
