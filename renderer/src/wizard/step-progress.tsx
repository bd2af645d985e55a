import { useEffect, useState } from 'react';

import { useJobView } from '../components/use-job-view.js';
import { Busy, ErrorNote, ProgressBar } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { formatBytes, formatDuration, formatNumber, formatRate } from '../state/format.js';
import { StepHeading, type StepProps } from './wizard.js';

/** The move itself: one bar for everything, one per folder, rate and time left, pause and resume. */
export function StepProgress({ state, update, go }: StepProps) {
  const { t, locale } = useI18n();
  const { client, live } = useService();
  const jobId = state.jobId;
  const { view, error } = useJobView(jobId, { folderMailboxes: 1 });
  const [actionError, setActionError] = useState<Error>();
  const [acting, setActing] = useState(false);
  const liveJob = jobId === undefined ? undefined : live.jobs[jobId];
  const progress = liveJob?.progress;
  const job = view?.job;
  const finished = (liveJob?.summary !== undefined && job?.state !== 'running') || job?.state === 'finished';
  const paused = liveJob?.state === 'paused' || job?.state === 'paused';
  const interrupted = job?.state === 'interrupted' || job?.state === 'idle';

  useEffect(() => {
    if (finished) go('done');
  }, [finished]);

  if (jobId === undefined) {
    return (
      <>
        <StepHeading>{t('wizard.progress.title')}</StepHeading>
        <p>{t('wizard.progress.noJob')}</p>
        <button type="button" onClick={() => go('welcome')}>
          {t('common.back')}
        </button>
      </>
    );
  }

  const act = async (action: 'pause' | 'resume') => {
    setActing(true);
    setActionError(undefined);
    try {
      if (action === 'pause') await client.request('job:pause', { jobId });
      else await client.request('job:resume', { jobId });
    } catch (failure) {
      setActionError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setActing(false);
    }
  };

  // The ledger is the truth and live events only add to it: after a reload (or a resumed run, whose counters
  // start again) the figure never drops below what was already settled.
  const settledInLedger = job === undefined ? 0 : job.done + job.skipped + job.failed;
  const settledLive = progress === undefined ? 0 : progress.totals.itemsDone + progress.totals.itemsSkipped + progress.totals.itemsFailed;
  const done = Math.max(settledInLedger, settledLive);
  // Until the ledger's view has arrived, a count would be a guess (0 after a reload): show none.
  const known = view !== undefined;
  const total = progress?.totals.itemsTotal ?? (job === undefined ? undefined : job.done + job.skipped + job.failed + job.pending || undefined);
  const mailbox = view?.mailboxes[0];
  const folders = mailbox === undefined ? [] : (view?.folders[mailbox.id] ?? []);
  const currentFolder = progress?.mailboxes[0]?.folder;
  const lastWait = liveJob?.waits.at(-1);

  return (
    <>
      <StepHeading>{paused ? t('wizard.progress.pausedTitle') : t('wizard.progress.title')}</StepHeading>
      <p className="lead">{paused ? t('wizard.progress.pausedLead') : t('wizard.progress.lead')}</p>
      {view === undefined && error === undefined ? <Busy label={t('common.loading')} /> : null}
      <ProgressBar done={done} total={total} label={t('wizard.progress.overall')} active={!finished && !paused && !interrupted} />
      <dl className="figures">
        <div>
          <dt>{t('common.itemsMoved')}</dt>
          {known ? (
            <dd data-testid="items-moved">
              {formatNumber(done, locale)}
              {total !== undefined ? ` / ${formatNumber(total, locale)}` : ''}
            </dd>
          ) : (
            <dd>–</dd>
          )}
        </div>
        <div>
          <dt>{t('common.rate')}</dt>
          <dd>{paused || progress === undefined ? '–' : formatRate(progress.totals.itemsPerSecond, locale)}</dd>
        </div>
        <div>
          <dt>{t('common.timeLeft')}</dt>
          <dd>{paused || progress?.totals.etaSeconds === undefined ? '–' : formatDuration(progress.totals.etaSeconds)}</dd>
        </div>
        <div>
          <dt>{t('common.size')}</dt>
          <dd>{formatBytes(progress?.totals.bytesDone ?? job?.bytes ?? 0, locale)}</dd>
        </div>
      </dl>
      {currentFolder !== undefined && !paused ? <p className="muted">{t('wizard.progress.nowIn', { folder: currentFolder })}</p> : null}
      {lastWait !== undefined && Date.now() - lastWait.at < 60_000 ? <p className="note note-info">{lastWait.message}</p> : null}
      {interrupted ? <p className="note note-warn">{t('wizard.progress.interrupted')}</p> : null}

      {folders.length > 0 ? (
        <table className="table folders-progress">
          <caption className="visually-hidden">{t('wizard.progress.perFolder')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('common.folder')}</th>
              <th scope="col" className="bar-cell">
                {t('common.progress')}
              </th>
              <th scope="col" className="num">
                {t('common.items')}
              </th>
            </tr>
          </thead>
          <tbody>
            {folders.map((folder) => {
              const settled = folder.done + folder.skipped + folder.failed;
              // Not yet counted: its total is unknown until the source lists it (a finished job listed them all).
              const folderTotal = folder.sourceCount ?? (settled + folder.pending || (finished ? 0 : undefined));
              const here = !paused && !finished && currentFolder === folder.source.join('/');
              const name = folder.source.join(' › ') || t('common.topFolder');
              return (
                <tr key={folder.id}>
                  <td>{name}</td>
                  <td className="bar-cell">
                    <ProgressBar done={settled} total={folderTotal} label={name} active={here} />
                  </td>
                  <td className="num">
                    {formatNumber(settled, locale)} / {folderTotal === undefined ? '–' : formatNumber(folderTotal, locale)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}

      {error !== undefined ? <ErrorNote error={error} /> : null}
      {actionError !== undefined ? <ErrorNote error={actionError} /> : null}
      <div className="actions">
        {paused || interrupted ? (
          <button type="button" className="primary" disabled={acting} onClick={() => void act('resume')}>
            {t('wizard.progress.resume')}
          </button>
        ) : (
          <button type="button" className="secondary" disabled={acting || job?.state !== 'running'} onClick={() => void act('pause')}>
            {t('wizard.progress.pause')}
          </button>
        )}
        <button
          type="button"
          className="link"
          onClick={() => {
            update((current) => ({ ...current, jobId: undefined }));
            go('welcome');
          }}
          hidden={!interrupted}
        >
          {t('wizard.progress.startOver')}
        </button>
      </div>
    </>
  );
}
