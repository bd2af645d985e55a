import { useEffect, useRef, useState } from 'react';

import type { FolderStatus, JobSummary, MailboxStatus } from '../../../electron/contract/index.js';
import { useService } from '../service/service-context.js';
import { SingleFlight } from '../state/single-flight.js';

export interface JobView {
  job: JobSummary;
  mailboxes: MailboxStatus[];
  /** Folders of the first `folderMailboxes` mailboxes, by mailbox id. */
  folders: Record<number, FolderStatus[]>;
}

/**
 * A job as the ledger tells it, refreshed when events say counts moved (at most every `minMs`) and
 * every few seconds while it runs: a reload in the middle of a job rebuilds exactly the same view.
 * Reads go through one SingleFlight: one at a time, none thrown away (see there why).
 */
export function useJobView(jobId: number | undefined, options: { folderMailboxes: number; minMs?: number }): { view?: JobView; error?: Error; refresh: () => void } {
  const { client, live } = useService();
  const [view, setView] = useState<JobView>();
  const [error, setError] = useState<Error>();
  const [tick, setTick] = useState(0);
  const liveJob = jobId === undefined ? undefined : live.jobs[jobId];
  const revision = live.revision;
  const progressAt = liveJob?.progress === undefined ? 0 : Math.floor(Date.now() / (options.minMs ?? 1500));

  // The reader is made once; it reads what is wanted now (job, client) from here.
  const wanted = useRef({ jobId, folderMailboxes: options.folderMailboxes, client });
  wanted.current = { jobId, folderMailboxes: options.folderMailboxes, client };
  const mounted = useRef(true);
  const reader = useRef<SingleFlight | undefined>(undefined);
  if (reader.current === undefined) {
    reader.current = new SingleFlight(async () => {
      const { jobId: id, folderMailboxes, client } = wanted.current;
      if (id === undefined) return;
      try {
        const status = await client.request('job:status', { jobId: id });
        const folders: Record<number, FolderStatus[]> = {};
        for (const mailbox of status.mailboxes.slice(0, folderMailboxes)) {
          folders[mailbox.id] = (await client.request('mailbox:status', { mailboxId: mailbox.id })).folders;
        }
        if (mounted.current && wanted.current.jobId === id) {
          setView({ job: status.job, mailboxes: status.mailboxes, folders });
          setError(undefined);
        }
      } catch (failure) {
        if (mounted.current && wanted.current.jobId === id) setError(failure instanceof Error ? failure : new Error(String(failure)));
      }
    });
  }
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // A view of another job must not stay on screen while the new one loads.
  useEffect(() => {
    setView((current) => (current !== undefined && current.job.id !== jobId ? undefined : current));
  }, [jobId]);

  useEffect(() => {
    if (jobId !== undefined) reader.current?.trigger();
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
