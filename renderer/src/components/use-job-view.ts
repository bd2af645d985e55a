import { useEffect, useState } from 'react';

import type { FolderStatus, JobSummary, MailboxStatus } from '../../../electron/contract/index.js';
import { useService } from '../service/service-context.js';

export interface JobView {
  job: JobSummary;
  mailboxes: MailboxStatus[];
  /** Folders of the first `folderMailboxes` mailboxes, by mailbox id. */
  folders: Record<number, FolderStatus[]>;
}

/**
 * A job as the ledger tells it, refreshed when events say counts moved (at most every `minMs`) and
 * every few seconds while it runs: a reload in the middle of a job rebuilds exactly the same view.
 */
export function useJobView(jobId: number | undefined, options: { folderMailboxes: number; minMs?: number }): { view?: JobView; error?: Error; refresh: () => void } {
  const { client, live } = useService();
  const [view, setView] = useState<JobView>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const liveJob = jobId === undefined ? undefined : live.jobs[jobId];
  const revision = live.revision;
  const progressAt = liveJob?.progress === undefined ? 0 : Math.floor(Date.now() / (options.minMs ?? 1500));

  useEffect(() => {
    if (jobId === undefined) return;
    let cancelled = false;
    const load = async () => {
      try {
        const status = await client.request('job:status', { jobId });
        const folders: Record<number, FolderStatus[]> = {};
        for (const mailbox of status.mailboxes.slice(0, options.folderMailboxes)) {
          folders[mailbox.id] = (await client.request('mailbox:status', { mailboxId: mailbox.id })).folders;
        }
        if (!cancelled) {
          setView({ job: status.job, mailboxes: status.mailboxes, folders });
          setError(undefined);
        }
      } catch (failure) {
        if (!cancelled) setError(failure instanceof Error ? failure : new Error(String(failure)));
      }
    };
    void load();
    return () => {
      cancelled = true;
    };
  }, [client, jobId, revision, progressAt, tick, options.folderMailboxes]);

  // While it runs, poll too: a job started by another client (the CLI) sends us no events.
  const running = view?.job.state === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTick((n) => n + 1), 3000);
    return () => clearInterval(timer);
  }, [running]);

  return { view, error, refresh: () => setTick((n) => n + 1) };
}
