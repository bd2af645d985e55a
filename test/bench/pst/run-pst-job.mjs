// Child process of bench-pst-cpu.ts: runs Cloudward's compiled engine (npx tsc -b first) from PST files to one
// target (dir:, or the EWS or Graph peer the parent started) for N mailboxes, one after the other, so its
// CPU is measured apart from the peer's.
// Usage: node run-pst-job.mjs '{"target":"dir"|"ews"|"graph","url":..,"files":[..],"mailboxes":N,"ledger":..,"out":..}'
import { performance } from 'node:perf_hooks';

const cpuAtStart = process.cpuUsage();
const out = new URL('../../../build/out/electron/engine/', import.meta.url);
const { runJob } = await import(new URL('pipeline/run-job.js', out).href);
const { Ledger } = await import(new URL('ledger/ledger.js', out).href);
const { pstSourceSpec } = await import(new URL('sources/pst/pst-spec.js', out).href);
const { createLogger } = await import(new URL('log/logger.js', out).href);
const args = JSON.parse(process.argv[2] ?? '{}');
const targets = {
  dir: async () => (await import(new URL('targets/dir/dir-spec.js', out).href)).dirTargetSpec,
  ews: async () => (await import(new URL('targets/ews/ews-spec.js', out).href)).ewsTargetSpec,
  graph: async () => (await import(new URL('targets/graph/graph-spec.js', out).href)).graphTargetSpec,
};
const targetSpec = await targets[args.target]();
const targetPrefix = { dir: `dir:${args.out}`, ews: `ews:${args.url}`, graph: 'graph:' }[args.target];

const token = process.env.CLOUDWARD_TARGET_TOKEN ?? 'bench-token';
const secrets = { get: async (role) => (role === 'target-token' ? token : undefined), set: async () => undefined, delete: async () => false };
const log = createLogger();
const options = { targetAuth: 'token', ewsRequestTimeoutMs: 60_000, graphEndpoint: args.url, graphRequestTimeoutMs: 60_000 };
const source = `pst:${args.files.join(',')}`;

const ledger = Ledger.open(args.ledger);
const mailboxes = Array.from({ length: args.mailboxes }, (_, i) => {
  const mailbox = `user${String(i).padStart(2, '0')}@bench.example`;
  const context = { secrets, log, options: { ...options, targetMailbox: mailbox } };
  // One target per mailbox, so the ledger counts each mailbox's items apart (same source file for all).
  const target = args.target === 'dir' ? `${targetPrefix}/${mailbox}` : `${targetPrefix}#${mailbox}`;
  return {
    label: mailbox,
    source,
    target,
    createSource: () => pstSourceSpec.create(source, context),
    createTarget: () => (args.target === 'dir' ? targetSpec.create(target, context) : targetSpec.create(target, context, mailbox)),
  };
});

const cpuBeforeJob = process.cpuUsage();
const t0 = performance.now();
const result = await runJob({ ledger, source, target: targetPrefix, mailboxes, parallelMailboxes: 1, signal: new AbortController().signal, verify: true, log });
const elapsedMs = performance.now() - t0;
const job = process.cpuUsage(cpuBeforeJob);
ledger.close();
const whole = process.cpuUsage();
const ms = (usage) => (usage.user + usage.system) / 1000;
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    // Since the process started (process.cpuUsage counts from there), and for the job alone.
    cpuWholeMs: ms(whole),
    cpuImportsMs: ms(cpuBeforeJob) - ms(cpuAtStart),
    cpuJobMs: ms(job),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    summary: result.summary,
    mailboxErrors: result.mailboxErrors,
  })}\n`,
);
