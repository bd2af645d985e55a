import { Fragment, useEffect, useState } from 'react';

import type { ItemIssue, MailboxStatus } from '../../../electron/contract/index.js';
import { IssuesTable } from '../components/issues-table.js';
import { ReportActions } from '../components/report-actions.js';
import { useJobView } from '../components/use-job-view.js';
import { Busy, ErrorNote, errorText, ProgressBar } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { useService } from '../service/service-context.js';
import { formatBytes, formatDuration, formatNumber, formatRate } from '../state/format.js';
import { jobStateKeys } from './jobs-panel.js';
import { ThroughputChart } from './throughput-chart.js';

const mailboxStateKeys: Record<MailboxStatus['state'], MessageKey> = {
  queued: 'dashboard.mailbox.queued',
  waiting: 'dashboard.mailbox.waiting',
  running: 'dashboard.mailbox.running',
  paused: 'dashboard.mailbox.paused',
  finished: 'dashboard.mailbox.finished',
  failed: 'dashboard.mailbox.failed',
  cancelled: 'dashboard.mailbox.cancelled',
  pending: 'dashboard.mailbox.pending',
};

function MailboxIssues({ mailbox, onRetried }: { mailbox: MailboxStatus; onRetried: () => void }) {
  const { t } = useI18n();
  const { client } = useService();
  const [issues, setIssues] = useState<{ items: ItemIssue[]; total: number }>();
  const [error, setError] = useState<Error>();
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    let live = true;
    client.request('mailbox:issues', { mailboxId: mailbox.id, limit: 200 }).then(
      (answer) => live && setIssues(answer),
      (failure: unknown) => live && setError(failure instanceof Error ? failure : new Error(String(failure))),
    );
    return () => {
      live = false;
    };
  }, [client, mailbox.id, mailbox.failed, mailbox.skipped]);
  const retry = async () => {
    setError(undefined);
    try {
      const answer = await client.request('mailbox:retry', { mailboxId: mailbox.id });
      setMessage(t('dashboard.retry.started', { items: answer.items }));
      onRetried();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  };
  return (
    <div className="issues-box">
      {issues === undefined && error === undefined ? <Busy label={t('common.loading')} /> : null}
      {issues !== undefined && issues.items.length === 0 ? <p className="muted">{t('dashboard.issues.none')}</p> : null}
      {issues !== undefined && issues.items.length > 0 ? (
        <IssuesTable items={issues.items} caption={t('dashboard.issues.caption', { mailbox: mailbox.label, shown: issues.items.length, total: issues.total })} />
      ) : null}
      {mailbox.failed > 0 ? (
        <button type="button" onClick={() => void retry()}>
          {t('dashboard.retry.button', { count: mailbox.failed })}
        </button>
      ) : null}
      {message !== undefined ? (
        <p role="status" className="muted">
          {message}
        </p>
      ) : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
    </div>
  );
}

/** One job: state and actions, a bar per mailbox, the throughput chart, issues with a retry, the report. */
export function JobDetail({ jobId }: { jobId: number }) {
  const { t, locale } = useI18n();
  const { client, live } = useService();
  const { view, error, refresh } = useJobView(jobId, { folderMailboxes: 0 });
  const [open, setOpen] = useState<number>();
  const [actionError, setActionError] = useState<Error>();
  const liveJob = live.jobs[jobId];
  const liveByMailbox = new Map((liveJob?.progress?.mailboxes ?? []).map((entry) => [entry.mailboxId, entry]));

  const act = async (command: 'job:pause' | 'job:resume' | 'job:cancel') => {
    setActionError(undefined);
    try {
      await client.request(command, { jobId });
      refresh();
    } catch (failure) {
      setActionError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  };

  if (view === undefined) {
    return <section className="card">{error !== undefined ? <ErrorNote error={error} /> : <Busy label={t('common.loading')} />}</section>;
  }
  const { job, mailboxes } = view;
  const running = job.state === 'running';
  return (
    <section className="card job-detail" aria-labelledby="job-detail-heading" data-testid="job-detail">
      <div className="row-between">
        <h2 id="job-detail-heading">{t('dashboard.job.title', { id: job.id })}</h2>
        <span className={`pill pill-${job.state}`}>{t(jobStateKeys[job.state])}</span>
      </div>
      <p className="muted">
        {job.source} → {job.target}
      </p>
      <dl className="figures">
        <div>
          <dt>{t('common.done')}</dt>
          <dd>{formatNumber(job.done, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.skipped')}</dt>
          <dd>{formatNumber(job.skipped, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.failed')}</dt>
          <dd>{formatNumber(job.failed, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.pending')}</dt>
          <dd>{formatNumber(job.pending, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.rate')}</dt>
          <dd>{running && liveJob?.progress !== undefined ? formatRate(liveJob.progress.totals.itemsPerSecond, locale) : '–'}</dd>
        </div>
        <div>
          <dt>{t('common.timeLeft')}</dt>
          <dd>{running ? formatDuration(liveJob?.progress?.totals.etaSeconds) : '–'}</dd>
        </div>
      </dl>
      <div className="actions left">
        {running ? (
          <button type="button" className="secondary" onClick={() => void act('job:pause')}>
            {t('dashboard.job.pause')}
          </button>
        ) : null}
        {job.state === 'paused' || ((job.state === 'interrupted' || job.state === 'idle') && job.resumable) || (job.state === 'finished' && job.pending > 0) ? (
          <button type="button" onClick={() => void act('job:resume')}>
            {t('dashboard.job.resume')}
          </button>
        ) : null}
        {running || job.state === 'paused' ? (
          <button type="button" className="danger" onClick={() => void act('job:cancel')}>
            {t('dashboard.job.cancel')}
          </button>
        ) : null}
      </div>
      {actionError !== undefined ? <ErrorNote error={actionError} /> : null}

      <ThroughputChart mailboxIds={mailboxes.map((mailbox) => mailbox.id)} settled={job.done + job.skipped + job.failed} />

      <table className="table mailboxes-table" data-testid="mailboxes-table">
        <caption>{t('dashboard.mailboxes.caption', { count: mailboxes.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.mailboxes.mailbox')}</th>
            <th scope="col">{t('dashboard.jobs.state')}</th>
            <th scope="col" className="bar-cell">
              {t('common.progress')}
            </th>
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
              {t('common.size')}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t('dashboard.mailboxes.details')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {mailboxes.map((mailbox) => {
            const now = liveByMailbox.get(mailbox.id);
            const settled = mailbox.done + mailbox.skipped + mailbox.failed;
            const total = mailbox.total ?? (settled + mailbox.pending || undefined);
            const state = running && now !== undefined ? now.state : mailbox.state;
            return (
              <Fragment key={mailbox.id}>
                <tr data-mailbox={mailbox.label}>
                  <td>
                    {mailbox.label}
                    {mailbox.error !== undefined ? <div className="error-text small">{errorText(t, mailbox.error)}</div> : null}
                    {now?.folder !== undefined && state === 'running' ? <div className="muted small">{now.folder}</div> : null}
                  </td>
                  <td>
                    <span className={`pill pill-${state}`}>{t(mailboxStateKeys[state])}</span>
                  </td>
                  <td className="bar-cell">
                    <ProgressBar done={settled} total={total ?? (state === 'finished' ? 0 : undefined)} label={mailbox.label} active={state === 'running'} />
                  </td>
                  <td className="num">{formatNumber(mailbox.done, locale)}</td>
                  <td className="num">{formatNumber(mailbox.skipped, locale)}</td>
                  <td className="num">{formatNumber(mailbox.failed, locale)}</td>
                  <td className="num">{formatBytes(mailbox.bytes, locale)}</td>
                  <td>
                    <button type="button" className="link" aria-expanded={open === mailbox.id} onClick={() => setOpen(open === mailbox.id ? undefined : mailbox.id)}>
                      {t('dashboard.mailboxes.issues')}
                    </button>
                  </td>
                </tr>
                {open === mailbox.id ? (
                  <tr>
                    <td colSpan={8}>
                      <MailboxIssues mailbox={mailbox} onRetried={refresh} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
      <h3>{t('dashboard.job.report')}</h3>
      <ReportActions jobId={job.id} />
    </section>
  );
}
