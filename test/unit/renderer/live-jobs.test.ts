import { describe, expect, it } from 'vitest';

import { parseEvent, type ServiceEvent } from '../../../electron/contract/index.js';
import { initialLiveState, liveReducer, type LiveState } from '../../../renderer/src/state/live-jobs.js';

const figures = { itemsDone: 3, itemsSkipped: 1, itemsFailed: 0, itemsTotal: 10, bytesDone: 300, itemsPerSecond: 2, bytesPerSecond: 200, etaSeconds: 3 };
// Every event goes through the contract's own parser first: the reducer sees only what the service may send.
const events: ServiceEvent[] = [
  { type: 'job-state', jobId: 7, state: 'running' },
  { type: 'progress', jobId: 7, totals: figures, mailboxes: [{ ...figures, mailboxId: 1, mailbox: 'ann', state: 'running', folder: 'Inbox' }], paused: false },
  {
    type: 'item-summary', jobId: 7, mailboxId: 1, done: 3, skipped: 1, failed: 0, dropped: 2,
    issues: [{ jobId: 7, mailboxId: 1, folder: 'Inbox', sourceKey: 'k1', kind: 'mail', state: 'skipped', size: 99, error: { code: 'ITEM_TOO_LARGE', message: 'too big', retryable: false } }],
  },
  { type: 'prompt', promptId: 'p1', prompt: { kind: 'device-code', message: 'sign in', userCode: 'ABCD-EFGH', verificationUri: 'https://microsoft.com/devicelogin' } },
  { type: 'progress', jobId: 7, totals: { ...figures, itemsDone: 9 }, mailboxes: [], paused: true },
].map((event) => parseEvent(event));

function fold(list: ServiceEvent[], state: LiveState = initialLiveState): LiveState {
  return list.reduce((current, event, index) => liveReducer(current, { type: 'event', event, now: 1000 * index }), state);
}

describe('the live job reducer', () => {
  it('keeps the latest progress, a throughput sample per progress event, issues and open prompts', () => {
    const state = fold(events);
    const job = state.jobs[7]!;
    expect(job.progress?.totals.itemsDone).toBe(9);
    expect(job.state).toBe('paused');
    expect(job.samples).toEqual([{ at: 1000, itemsPerSecond: 2, bytesPerSecond: 200 }, { at: 4000, itemsPerSecond: 2, bytesPerSecond: 200 }]);
    expect(job.issues.map((issue) => issue.sourceKey)).toEqual(['k1']);
    expect(job.droppedIssues).toBe(2);
    expect(state.prompts.map((prompt) => prompt.promptId)).toEqual(['p1']);
  });

  it('closes a prompt answered elsewhere, and never lists one twice (prompts:open after a reload)', () => {
    let state = fold(events);
    state = liveReducer(state, { type: 'prompts', prompts: [state.prompts[0]!] });
    expect(state.prompts).toHaveLength(1);
    state = liveReducer(state, { type: 'event', event: { type: 'prompt-closed', promptId: 'p1', outcome: 'answered' }, now: 0 });
    expect(state.prompts).toEqual([]);
  });

  it('marks a job finished on its summary, and running again when it is resumed', () => {
    let state = fold([...events, parseEvent({ type: 'summary', jobId: 7, mailboxes: 1, itemsDone: 9, itemsSkipped: 1, itemsFailed: 0, itemsPending: 0, bytesDone: 900, seconds: 5, outcome: 'with-issues' })]);
    expect(state.jobs[7]!.state).toBe('finished');
    expect(state.jobs[7]!.summary?.outcome).toBe('with-issues');
    const revision = state.revision;
    state = liveReducer(state, { type: 'event', event: { type: 'job-state', jobId: 7, state: 'running' }, now: 0 });
    expect(state.jobs[7]!.state).toBe('running');
    expect(state.jobs[7]!.summary).toBeUndefined();
    expect(state.revision).toBeGreaterThan(revision);
  });

  it('caps what it keeps, whatever the job size', () => {
    const many = Array.from({ length: 2000 }, () => events[1]!);
    expect(fold(many).jobs[7]!.samples.length).toBeLessThanOrEqual(600);
  });
});
