import type { ItemResultEvent, PromptEvent, ProgressEvent, ServiceEvent, SummaryEvent } from '../../../electron/contract/index.js';

/**
 * What the window knows from the live event stream, folded by a pure reducer. It only adds to what
 * the ledger says (jobs:list, job:status, mailbox:throughput): after a reload the ledger rebuilds the
 * view and this fills in again from the next events.
 */
export interface ThroughputSample {
  /** Milliseconds since the epoch. */
  at: number;
  itemsPerSecond: number;
  bytesPerSecond: number;
}

export interface LiveJob {
  progress?: ProgressEvent;
  summary?: SummaryEvent;
  state?: 'planned' | 'running' | 'paused' | 'cancelling' | 'finished';
  samples: ThroughputSample[];
  /** Newest last, capped. */
  issues: Omit<ItemResultEvent, 'type'>[];
  droppedIssues: number;
  waits: { mailboxId: number; message: string; at: number }[];
}

export interface LiveState {
  jobs: Record<number, LiveJob>;
  prompts: PromptEvent[];
  /** Bumped by every event that changes ledger counts, so views know when to refresh. */
  revision: number;
}

export const initialLiveState: LiveState = { jobs: {}, prompts: [], revision: 0 };

const maxSamples = 600;
const maxIssues = 200;
const maxWaits = 20;

function job(state: LiveState, jobId: number): LiveJob {
  return state.jobs[jobId] ?? { samples: [], issues: [], droppedIssues: 0, waits: [] };
}

function withJob(state: LiveState, jobId: number, update: (current: LiveJob) => LiveJob, bump = false): LiveState {
  return { ...state, jobs: { ...state.jobs, [jobId]: update(job(state, jobId)) }, revision: state.revision + (bump ? 1 : 0) };
}

export type LiveAction = { type: 'event'; event: ServiceEvent; now: number } | { type: 'prompts'; prompts: PromptEvent[] };

export function liveReducer(state: LiveState, action: LiveAction): LiveState {
  if (action.type === 'prompts') {
    const known = new Set(state.prompts.map((prompt) => prompt.promptId));
    return { ...state, prompts: [...state.prompts, ...action.prompts.filter((prompt) => !known.has(prompt.promptId))] };
  }
  const { event, now } = action;
  switch (event.type) {
    case 'progress':
      return withJob(state, event.jobId, (current) => ({
        ...current,
        progress: event,
        state: event.paused ? 'paused' : (current.state === 'finished' ? 'finished' : 'running'),
        samples: [...current.samples, { at: now, itemsPerSecond: event.totals.itemsPerSecond, bytesPerSecond: event.totals.bytesPerSecond }].slice(-maxSamples),
      }));
    case 'item-summary':
      return withJob(
        state,
        event.jobId,
        (current) => ({
          ...current,
          issues: [...current.issues, ...event.issues].slice(-maxIssues),
          droppedIssues: current.droppedIssues + event.dropped,
        }),
        true,
      );
    case 'item':
      if (event.state !== 'skipped' && event.state !== 'failed') return state;
      return withJob(state, event.jobId, (current) => {
        const { type: _type, ...issue } = event;
        return { ...current, issues: [...current.issues, issue].slice(-maxIssues) };
      }, true);
    case 'wait':
      return withJob(state, event.jobId, (current) => ({
        ...current,
        waits: [...current.waits, { mailboxId: event.mailboxId, message: event.message, at: now }].slice(-maxWaits),
      }));
    case 'mailbox':
      return withJob(state, event.jobId, (current) => current, true);
    case 'summary':
      return withJob(state, event.jobId, (current) => ({ ...current, summary: event, state: 'finished' }), true);
    case 'job-state':
      return withJob(state, event.jobId, (current) => ({ ...current, state: event.state, ...(event.state === 'running' ? { summary: undefined } : {}) }), true);
    case 'prompt':
      if (state.prompts.some((prompt) => prompt.promptId === event.promptId)) return state;
      return { ...state, prompts: [...state.prompts, event] };
    case 'prompt-closed':
      return { ...state, prompts: state.prompts.filter((prompt) => prompt.promptId !== event.promptId) };
    default:
      // Room events (preflight, handover, discovery) are handled by their own screens.
      return state;
  }
}
