// Child process of bench-graph.ts: runs Cloudward's compiled engine (npx tsc -b first) for N mailboxes
// against the Graph peer, so its CPU and memory are measured apart from the peer's.
// Usage: node run-graph-job.mjs '{"url":..,"dir":..,"mailboxes":20,"ledger":..,"durationMs":..,"budgetMb":..,"windowMs":..}'
import { performance } from 'node:perf_hooks';

const out = new URL('../../../build/out/electron/engine/', import.meta.url);
const { runJob } = await import(new URL('pipeline/run-job.js', out).href);
const { Ledger } = await import(new URL('ledger/ledger.js', out).href);
const { emlSourceSpec } = await import(new URL('sources/eml/eml-spec.js', out).href);
const { graphTargetSpec } = await import(new URL('targets/graph/graph-spec.js', out).href);
const { createLogger } = await import(new URL('log/logger.js', out).href);

const args = JSON.parse(process.argv[2] ?? '{}');
const token = process.env.CLOUDWARD_TARGET_TOKEN ?? 'bench-token';
const secrets = {
  get: async (role) => (role === 'target-token' ? token : undefined),
  set: async () => undefined,
  delete: async () => false,
};
const log = createLogger();
const options = { targetAuth: 'token', graphEndpoint: args.url, graphRequestTimeoutMs: 60_000 };
if (args.budgetMb) Object.assign(options, { graphBudgetMb: args.budgetMb, graphBudgetWindowMs: args.windowMs });
if (args.batchMb) Object.assign(options, { graphMaxBatchMb: args.batchMb });

let peakRss = process.memoryUsage().rss;
let peakAt = process.memoryUsage();
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  if (now.rss > peakRss) peakAt = now;
  peakRss = Math.max(peakRss, now.rss);
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
    target: `graph:#${mailbox}`,
    createSource: () => emlSourceSpec.create(args.dir, context),
    createTarget: () => graphTargetSpec.create('graph:', context, mailbox),
  };
});

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runJob({ ledger, source: `eml:${args.dir}`, target: 'graph:', mailboxes, parallelMailboxes: args.mailboxes, signal: stop.signal, verify: true, log });
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
    peakRssMb: peakRss / 1024 / 1024,
    // What the peak was made of (MB): heap, Buffers (arrayBuffers), the rest is code and allocator slack.
    peakParts: Object.fromEntries(Object.entries(peakAt).map(([key, value]) => [key, Math.round(value / 1024 / 1024)])),
    summary: result.summary,
    mailboxErrors: result.mailboxErrors,
  })}\n`,
);
