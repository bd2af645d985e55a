import type { ItemResultEvent, ItemSummaryEvent, ServiceEvent } from '../../contract/index.js';

export type ServiceListener = (event: ServiceEvent) => void;

export interface SubscribeOptions {
  /** Every per-item event too (the CLI's --json). Otherwise items arrive folded into 'item-summary'. */
  items?: boolean;
}

const maxIssuesPerSummary = 20;

/**
 * Fans service events out to subscribers. A window must not drown at 5,000 items per second, so
 * subscribers that did not ask for items get one 'item-summary' per mailbox every `summaryMs` (counts
 * plus the latest skipped/failed items with reasons). Summaries are flushed before any other event of
 * the same job, so a window never sees a mailbox 'finished' before the items that finished it.
 */
export class EventHub {
  private readonly listeners = new Map<ServiceListener, SubscribeOptions>();
  private readonly pending = new Map<string, ItemSummaryEvent>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly summaryMs = 250) {}

  subscribe(listener: ServiceListener, options: SubscribeOptions = {}): () => void {
    this.listeners.set(listener, options);
    return () => {
      this.listeners.delete(listener);
    };
  }

  publish(event: ServiceEvent): void {
    if (event.type === 'item') {
      this.deliver(event, true);
      this.fold(event);
      return;
    }
    if ('jobId' in event && typeof event.jobId === 'number') this.flush(event.jobId);
    this.deliver(event);
  }

  /** Sends every folded summary now (or only a job's). */
  flush(jobId?: number): void {
    for (const [key, summary] of this.pending) {
      if (jobId !== undefined && summary.jobId !== jobId) continue;
      this.pending.delete(key);
      this.deliver(summary, false);
    }
    if (this.pending.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  close(): void {
    this.flush();
    this.listeners.clear();
  }

  private fold(event: ItemResultEvent): void {
    if (![...this.listeners.values()].some((options) => !options.items)) return;
    const key = `${event.jobId}:${event.mailboxId}`;
    let summary = this.pending.get(key);
    if (!summary) {
      summary = { type: 'item-summary', jobId: event.jobId, mailboxId: event.mailboxId, done: 0, skipped: 0, failed: 0, issues: [], dropped: 0 };
      this.pending.set(key, summary);
    }
    if (event.state === 'done') summary.done++;
    else if (event.state === 'skipped') summary.skipped++;
    else if (event.state === 'failed') summary.failed++;
    if (event.state === 'skipped' || event.state === 'failed') {
      const { type: _type, ...issue } = event;
      summary.issues.push(issue);
      if (summary.issues.length > maxIssuesPerSummary) {
        summary.issues.shift();
        summary.dropped++;
      }
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.summaryMs);
    this.timer.unref?.();
  }

  /** `items`: true for per-item events (only to item subscribers), false for summaries (only to the others). */
  private deliver(event: ServiceEvent, items?: boolean): void {
    for (const [listener, options] of [...this.listeners]) {
      if (items === true && !options.items) continue;
      if (items === false && options.items) continue;
      try {
        listener(event);
      } catch {
        // A client that fails on an event must not stop the job or the other clients.
      }
    }
  }
}
