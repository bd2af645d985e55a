// Child process of bench-ews.ts and bench-graph.ts: runs Cloudward's compiled engine (npx tsc -b first) for N
// mailboxes from an eml: folder into the EWS or the Graph peer, so its CPU and memory are measured apart from the peer's.
// Usage: node run-target-job.mjs '{"kind":"ews"|"graph","url":..,"dir":..,"mailboxes":20,"ledger":..,"durationMs":..,"budgetMb":..,"windowMs":..,"batchMb":..}'
import { performance } from 'node:perf_hooks';

const out = new URL('../../../build/out/electron/engine/', import.meta.url);
const { runJob } = await import(new URL('pipeline/run-job.js', out).href);
const { Ledger } = await import(new URL('ledger/ledger.js', out).href);
const { emlSourceSpec } = await import(new URL('sources/eml/eml-spec.js', out).href);
const { createLogger } = await import(new URL('log/logger.js', out).href);

const args = JSON.parse(process.argv[2] ?? '{}');
// Each target's spec, its option names and how a mailbox's target is written.
const targets = {
  ews: async () => ({
    spec: (await import(new URL('targets/ews/ews-spec.js', out).href)).ewsTargetSpec,
    rest: args.url,
    target: `ews:${args.url}`,
    options: { ewsRequestTimeoutMs: 60_000 },
    prefix: 'ews',
  }),
  graph: async () => ({
    spec: (await import(new URL('targets/graph/graph-spec.js', out).href)).graphTargetSpec,
    rest: 'graph:',
    target: 'graph:',
    options: { graphEndpoint: args.url, graphRequestTimeoutMs: 60_000 },
    prefix: 'graph',
  }),
};
if (!(args.kind in targets)) throw new Error(`kind must be ews or graph, not ${args.kind}`);
const target = await targets[args.kind]();

const token = process.env.CLOUDWARD_TARGET_TOKEN ?? 'bench-token';
const secrets = {
  get: async (role) => (role === 'target-token' ? token : undefined),
  set: async () => undefined,
  delete: async () => false,
};
const log = createLogger();
const options = { targetAuth: 'token', ...target.options };
if (args.budgetMb) Object.assign(options, { [`${target.prefix}BudgetMb`]: args.budgetMb, [`${target.prefix}BudgetWindowMs`]: args.windowMs });
if (args.batchMb) Object.assign(options, { [`${target.prefix}MaxBatchMb`]: args.batchMb });

// Sampled: getrusage's maxrss would include the parent's peak (Linux keeps it across fork+exec).
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
    target: `${target.target}#${mailbox}`,
    createSource: () => emlSourceSpec.create(args.dir, context),
    createTarget: () => target.spec.create(target.rest, context, mailbox),
  };
});

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const result = await runJob({ ledger, source: `eml:${args.dir}`, target: target.target, mailboxes, parallelMailboxes: args.mailboxes, signal: stop.signal, verify: true, log });
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
    atPeakMb: Object.fromEntries(Object.entries(atPeak).map(([key, value]) => [key, Math.round(value / 1048576)])),
    summary: result.summary,
    mailboxErrors: result.mailboxErrors,
  })}\n`,
);
