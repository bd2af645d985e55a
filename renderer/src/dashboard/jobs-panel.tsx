import { useEffect } from 'react';

import type { JobSummary } from '../../../electron/contract/index.js';
import { Busy, ErrorNote } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { useCommand, useService } from '../service/service-context.js';
import { formatDateTime, formatNumber } from '../state/format.js';
import { JobDetail } from './job-detail.js';

export const jobStateKeys: Record<JobSummary['state'], MessageKey> = {
  running: 'dashboard.state.running',
  paused: 'dashboard.state.paused',
  idle: 'dashboard.state.idle',
  interrupted: 'dashboard.state.interrupted',
  finished: 'dashboard.state.finished',
};

/** Every job the ledger knows (also those the CLI started), newest first, and the one selected. */
export function JobsPanel({ selected, onSelect }: { selected: number | undefined; onSelect: (jobId: number) => void }) {
  const { t, locale } = useI18n();
  const { live } = useService();
  const jobs = useCommand('jobs:list', {}, [live.revision]);
  const { reload } = jobs;
  // Jobs started elsewhere (the CLI, another window) send this window no events: look again now and then.
  useEffect(() => {
    const timer = setInterval(reload, 4000);
    return () => clearInterval(timer);
  }, [reload]);
  const list = [...(jobs.value?.jobs ?? [])].sort((a, b) => b.id - a.id);

  return (
    <div className="jobs-layout">
      <section className="card" aria-labelledby="jobs-heading">
        <h1 id="jobs-heading">{t('dashboard.jobs.title')}</h1>
        {jobs.result.state === 'loading' && jobs.value === undefined ? <Busy label={t('common.loading')} /> : null}
        {jobs.result.state === 'error' ? <ErrorNote error={jobs.result.error} /> : null}
        {jobs.value !== undefined && list.length === 0 ? <p className="muted">{t('dashboard.jobs.none')}</p> : null}
        {list.length > 0 ? (
          <table className="table jobs-table" data-testid="jobs-table">
            <caption className="visually-hidden">{t('dashboard.jobs.title')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('dashboard.jobs.what')}</th>
                <th scope="col">{t('dashboard.jobs.state')}</th>
                <th scope="col" className="num">
                  {t('common.done')}
                </th>
                <th scope="col" className="num">
                  {t('common.skipped')}
                </th>
                <th scope="col" className="num">
                  {t('common.failed')}
                </th>
                <th scope="col" className="num">
                  {t('common.pending')}
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((job) => (
                <tr key={job.id} className={job.id === selected ? 'selected' : undefined} data-job-id={job.id}>
                  <td>{job.id}</td>
                  <td>
                    <button type="button" className="link" aria-pressed={job.id === selected} onClick={() => onSelect(job.id)}>
                      {job.source} → {job.target}
                    </button>
                    <div className="muted small">
                      {t('dashboard.jobs.mailboxes', { count: job.mailboxes })} · {formatDateTime(job.lastRunAt ?? job.createdAt, locale)}
                    </div>
                  </td>
                  <td>
                    <span className={`pill pill-${job.state}`}>{t(jobStateKeys[job.state])}</span>
                  </td>
                  <td className="num">{formatNumber(job.done, locale)}</td>
                  <td className="num">{formatNumber(job.skipped, locale)}</td>
                  <td className="num">{formatNumber(job.failed, locale)}</td>
                  <td className="num">{formatNumber(job.pending, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      {selected !== undefined ? <JobDetail key={selected} jobId={selected} /> : null}
    </div>
  );
}
