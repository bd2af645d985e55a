import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { envelopeVersion, type ServiceEvent } from '../../../electron/contract/index.js';
import { createServiceHost, type ServiceHost } from '../../../electron/cli/service-host.js';
import { callService as call } from '../../support/service-call.js';
import { Ledger } from '../../../electron/engine/ledger/ledger.js';
import { writeEmlCorpus } from '../../support/generate-mail.js';

const hosts: ServiceHost[] = [];
afterEach(async () => {
  for (const host of hosts.splice(0)) await host.close();
});

function open(ledgerFile: string): ServiceHost {
  const host = createServiceHost({ ledgerFile, environment: {}, host: 'cli', version: '0.0.0-test', summaryMs: 20 });
  hosts.push(host);
  return host;
}


function untilFinished(host: ServiceHost, jobId: () => number | undefined): Promise<ServiceEvent[]> {
  const seen: ServiceEvent[] = [];
  return new Promise((resolve) => {
    const stop = host.subscribe((event) => {
      seen.push(event);
      if (event.type === 'job-state' && event.state === 'finished' && (jobId() === undefined || event.jobId === jobId())) {
        stop();
        resolve(seen);
      }
    });
  });
}

function corpus(count: number): { work: string; source: string; target: string; ledger: string } {
  const work = mkdtempSync(join(tmpdir(), 'cw-svc-'));
  writeEmlCorpus(join(work, 'in'), count, 7, ['Inbox', 'Projects/Roof']);
  return { work, source: `eml:${join(work, 'in')}`, target: `dir:${join(work, 'out')}`, ledger: join(work, 'ledger.sqlite') };
}

describe('job service', () => {
  it('lists no jobs, and creates no ledger, before anything ran', async () => {
    const { ledger } = corpus(1);
    const host = open(ledger);
    expect(await call(host, 'jobs:list', {})).toEqual({ jobs: [] });
    expect(existsSync(ledger)).toBe(false);
    expect((await call(host, 'app:info', {})).host).toBe('cli');
  });

  it('refuses a request outside the contract with IPC_INVALID_REQUEST, and never throws', async () => {
    const host = open(corpus(1).ledger);
    const bad = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 9, command: 'job:status', payload: { jobId: 'one' } });
    expect(bad).toMatchObject({ kind: 'reply', id: 9, result: { ok: false, error: { code: 'IPC_INVALID_REQUEST' } } });
    const unknown = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 10, command: 'no:such', payload: {} });
    expect(unknown).toMatchObject({ result: { ok: false, error: { code: 'IPC_INVALID_REQUEST' } } });
    const junk = await host.dispatch('not an envelope');
    expect(junk).toMatchObject({ kind: 'reply', result: { ok: false } });
    const missing = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 11, command: 'job:status', payload: { jobId: 42 } });
    expect(missing).toMatchObject({ result: { ok: false, error: { code: 'JOB_NOT_FOUND' } } });
  });

  it('plans (counting the source), starts, and rebuilds the same view from the ledger in a new service', async () => {
    const files = corpus(30);
    const host = open(files.ledger);
    const plan = await call(host, 'job:plan', { source: files.source, target: files.target });
    expect(plan.mailboxes).toHaveLength(1);
    expect(plan.totals.items).toBe(30);
    // Per folder, from the files themselves (sizes on disk, not our reading of them).
    const onDisk = (folder: string): { items: number; bytes: number } => {
      const names = readdirSync(join(files.work, 'in', folder)).filter((name) => name.endsWith('.eml'));
      return { items: names.length, bytes: names.reduce((sum, name) => sum + statSync(join(files.work, 'in', folder, name)).size, 0) };
    };
    const folders = plan.mailboxes[0]?.folders ?? [];
    expect(folders.map((folder) => folder.path.join('/')).sort()).toEqual(['Inbox', 'Projects/Roof']);
    for (const folder of folders) expect({ items: folder.items, bytes: folder.bytes }).toEqual(onDisk(folder.path.join('/')));
    expect(plan.estimatedSeconds).toBeDefined();
    expect(plan.totals.settled).toBe(0);
    expect(existsSync(join(files.work, 'out'))).toBe(false);

    const finished = untilFinished(host, () => undefined);
    const summaries: ServiceEvent[] = [];
    host.subscribe((event) => summaries.push(event));
    const { jobId } = await call(host, 'job:start', { planId: plan.planId });
    const events = await finished;
    const summary = events.find((event) => event.type === 'summary');
    expect(summary).toMatchObject({ itemsDone: 30, outcome: 'complete' });
    // A window gets item summaries, never one event per item.
    expect(summaries.some((event) => event.type === 'item')).toBe(false);
    const folded = summaries.filter((event) => event.type === 'item-summary');
    expect(folded.reduce((sum, event) => sum + (event.type === 'item-summary' ? event.done : 0), 0)).toBe(30);
    const started = events.find((event) => event.type === 'mailbox' && event.phase === 'started');
    expect(started && 'mailboxId' in started ? started.mailboxId : 0).toBeGreaterThan(0);

    const status = await call(host, 'job:status', { jobId });
    expect(status.job).toMatchObject({ state: 'finished', done: 30, resumable: true, lastOutcome: 'complete' });
    expect(status.mailboxes[0]).toMatchObject({ done: 30, state: 'finished' });

    await host.close();
    hosts.splice(hosts.indexOf(host), 1);
    const again = open(files.ledger);
    expect((await call(again, 'jobs:list', {})).jobs).toEqual([status.job]);
    const mailboxId = status.mailboxes[0]?.id ?? 0;
    const detail = await call(again, 'mailbox:status', { mailboxId });
    expect(detail.folders.map((folder) => folder.source.join('/')).sort()).toEqual(['Inbox', 'Projects/Roof']);
    expect(detail.folders.reduce((sum, folder) => sum + folder.done, 0)).toBe(30);
    const throughput = await call(again, 'mailbox:throughput', { mailboxId, bucketSeconds: 3600 });
    expect(throughput.points.reduce((sum, point) => sum + point.items, 0)).toBe(30);
    const report = await call(again, 'job:report', { jobId, format: 'csv' });
    expect(report.mediaType).toBe('text/csv');
    // A second plan of the same job says what is settled already.
    const replan = await call(again, 'job:plan', { source: files.source, target: files.target });
    expect(replan).toMatchObject({ jobId, totals: { settled: 30 } });
  });

  it('lists a job whose last run never finished as interrupted, and resumes it from its stored spec', async () => {
    const files = corpus(12);
    const host = open(files.ledger);
    const finished = untilFinished(host, () => undefined);
    const { jobId } = await call(host, 'job:start', { spec: { source: files.source, target: files.target } });
    await finished;
    await host.close();
    hosts.splice(hosts.indexOf(host), 1);
    // The PC shut down during a second run: a run row with no end.
    const ledger = Ledger.open(files.ledger);
    const run = ledger.startRun(jobId, 'another-pc:4242');
    ledger.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(Date.now() - 60_000, run);
    ledger.close();

    const after = open(files.ledger);
    const [listed] = (await call(after, 'jobs:list', {})).jobs;
    expect(listed).toMatchObject({ id: jobId, state: 'interrupted', resumable: true });
    const resumed = untilFinished(after, () => jobId);
    expect(await call(after, 'job:resume', { jobId })).toEqual({ jobId });
    const events = await resumed;
    expect(events.find((event) => event.type === 'summary')).toMatchObject({ itemsDone: 12, outcome: 'complete' });
    expect((await call(after, 'jobs:list', {})).jobs[0]).toMatchObject({ state: 'finished' });
    expect(readdirSync(join(files.work, 'out', 'Inbox')).filter((name) => name.endsWith('.eml')).length).toBeGreaterThan(0);
  });

  it('refuses to run a job another process runs on the same ledger, and knows a killed run of this machine at once', async () => {
    const files = corpus(3);
    const host = open(files.ledger);
    const finished = untilFinished(host, () => undefined);
    const { jobId } = await call(host, 'job:start', { spec: { source: files.source, target: files.target } });
    await finished;
    const ledger = Ledger.open(files.ledger);
    // Another process (here: on another machine sharing the ledger file) runs the job, heartbeat fresh.
    const elsewhere = ledger.startRun(jobId, 'another-pc:4242');
    expect((await call(host, 'jobs:list', {})).jobs[0]?.state).toBe('running');
    const refused = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 500, command: 'job:resume', payload: { jobId } });
    expect(refused).toMatchObject({ result: { ok: false, error: { code: 'JOB_RUNNING' } } });
    ledger.finishRun(elsewhere, 'complete', 0, 0);
    // kill -9 of a run on this machine: its process is gone, so it is interrupted without waiting for the heartbeat to age.
    ledger.startRun(jobId, `${hostname()}:${2 ** 22 + 12_345}`);
    ledger.close();
    expect((await call(host, 'jobs:list', {})).jobs[0]?.state).toBe('interrupted');
  });

  it('pauses (nothing moves while paused) and resumes a running job to its end', async () => {
    const files = corpus(1500);
    const host = open(files.ledger);
    const events: ServiceEvent[] = [];
    host.subscribe((event) => events.push(event));
    const finished = untilFinished(host, () => undefined);
    const { jobId } = await call(host, 'job:start', { spec: { source: files.source, target: files.target } });
    await call(host, 'job:pause', { jobId });
    expect(events).toContainEqual({ type: 'job-state', jobId, state: 'paused' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const paused = await call(host, 'job:status', { jobId });
    expect(paused.job.state).toBe('paused');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const still = await call(host, 'job:status', { jobId });
    expect(still.job.done).toBe(paused.job.done);
    expect(paused.job.done).toBeLessThan(1500);
    await call(host, 'job:resume', { jobId });
    const after = await finished;
    expect(after.find((event) => event.type === 'summary')).toMatchObject({ itemsDone: 1500, outcome: 'complete' });
  });

  it('retries the failed items of one mailbox: they are sent again, the settled ones are not', async () => {
    const files = corpus(20);
    const host = open(files.ledger);
    const first = untilFinished(host, () => undefined);
    const { jobId } = await call(host, 'job:start', { spec: { source: files.source, target: files.target } });
    await first;
    const { mailboxes } = await call(host, 'job:status', { jobId });
    const mailboxId = mailboxes[0]?.id ?? 0;
    // Three items failed last time (as a target refusing them would leave them): their files are not there.
    const ledger = Ledger.open(files.ledger);
    const failed = ledger.items(mailboxId).slice(0, 3);
    for (const row of failed) ledger.db.prepare("UPDATE items SET state = 'failed', code = 'TARGET_FAILED', reason = 'busy', retryable = 0 WHERE id = ?").run(row.id);
    ledger.close();
    const written = (): string[] => readdirSync(join(files.work, 'out'), { recursive: true }).map(String).filter((name) => name.endsWith('.eml'));
    const count = written().length;
    const issues = await call(host, 'mailbox:issues', { mailboxId, state: 'failed' });
    expect(issues.total).toBe(3);
    const events: ServiceEvent[] = [];
    host.subscribe((event) => events.push(event), { items: true });
    const again = untilFinished(host, () => undefined);
    expect(await call(host, 'mailbox:retry', { mailboxId })).toEqual({ jobId, items: 3 });
    await again;
    const sent = events.filter((event) => event.type === 'item');
    expect(sent.map((event) => (event.type === 'item' ? event.sourceKey : '')).sort()).toEqual(failed.map((row) => row.source_key).sort());
    expect(written().length).toBe(count);
    expect((await call(host, 'mailbox:issues', { mailboxId })).total).toBe(0);
  });

  it('a password prompt names its job, and cancelling the job withdraws it from every client', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-svc-'));
    const host = open(join(work, 'ledger.sqlite'));
    const events: ServiceEvent[] = [];
    host.subscribe((event) => events.push(event));
    const finished = untilFinished(host, () => undefined);
    const { jobId } = await call(host, 'job:start', { spec: { source: 'imap://alice@127.0.0.1:1', target: `dir:${join(work, 'out')}` } });
    await expect.poll(() => events.find((event) => event.type === 'prompt')).toBeDefined();
    const prompt = events.find((event) => event.type === 'prompt');
    expect(prompt).toMatchObject({ jobId, prompt: { kind: 'secret', role: 'source-password', account: 'imap://alice@127.0.0.1:1' } });
    await call(host, 'job:cancel', { jobId });
    const after = await finished;
    expect(after.find((event) => event.type === 'summary')).toMatchObject({ outcome: 'interrupted' });
    expect(events).toContainEqual({ type: 'prompt-closed', promptId: prompt?.type === 'prompt' ? prompt.promptId : '', outcome: 'withdrawn' });
    expect((await call(host, 'prompts:open', {})).prompts).toEqual([]);
  });

  it('plans a batch CSV: refused rows listed with their lines, each good row a mailbox whose unreachable server is said, not thrown', async () => {
    const work = mkdtempSync(join(tmpdir(), 'cw-svc-'));
    const csv = join(work, 'users.csv');
    writeFileSync(csv, 'EmailAddress,UserName,Password\nann@contoso.example,ann,pw1\nnot-an-address,bob,pw2\ncid@contoso.example,cid,pw3\n');
    const host = open(join(work, 'ledger.sqlite'));
    const plan = await call(host, 'job:plan', { source: 'imap://127.0.0.1:1', target: `dir:${join(work, 'out')}`, batchCsv: csv });
    expect(plan.badRows).toEqual([{ line: 3, reason: expect.stringContaining('not-an-address') }]);
    expect(plan.mailboxes.map((mailbox) => mailbox.label)).toEqual(['ann@contoso.example', 'cid@contoso.example']);
    for (const mailbox of plan.mailboxes) {
      expect(mailbox.sourceIdentity).toMatch(/^imap:(ann|cid)@127\.0\.0\.1$/);
      expect(mailbox.error?.code).toMatch(/SOURCE_UNREADABLE|CONNECTION_LOST|TARGET_UNREACHABLE|TIMEOUT/);
    }
    expect(plan.warnings).toHaveLength(2);
    expect(existsSync(join(work, 'out'))).toBe(false);
  });

  it('asks through prompt events and takes the answer through prompt:answer', async () => {
    const host = open(corpus(1).ledger);
    const prompts: ServiceEvent[] = [];
    host.subscribe((event) => prompts.push(event));
    const asked = host.jobs.prompter.ask({ kind: 'confirm', title: 'Remove?', message: '14 items' }, { jobId: 3 });
    const open_ = await call(host, 'prompts:open', {});
    expect(open_.prompts).toHaveLength(1);
    const promptId = open_.prompts[0]?.promptId ?? '';
    await call(host, 'prompt:answer', { promptId });
    expect(await asked).toEqual({ promptId });
    expect(prompts.map((event) => event.type)).toEqual(['prompt', 'prompt-closed']);
    expect((await call(host, 'prompts:open', {})).prompts).toEqual([]);
    const twice = await host.dispatch({ v: envelopeVersion, kind: 'request', id: 99, command: 'prompt:answer', payload: { promptId } });
    expect(twice).toMatchObject({ result: { ok: false, error: { code: 'JOB_NOT_FOUND' } } });
  });
});
