import { useState } from 'react';

import type { JobSummary } from '../../../electron/contract/index.js';
import { ErrorNote } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useCommand, useService } from '../service/service-context.js';
import { formatDateTime, formatNumber } from '../state/format.js';
import { initialWizardState } from '../state/wizard-state.js';
import { StepHeading, type StepProps } from './wizard.js';

/** Welcome: what will happen, in plain words; and any job the ledger says was left unfinished. */
export function StepWelcome({ update, go }: StepProps) {
  const { t, locale } = useI18n();
  const { client } = useService();
  const jobs = useCommand('jobs:list', {}, []);
  const [error, setError] = useState<Error>();
  const unfinished = (jobs.value?.jobs ?? []).filter((job) => job.state === 'interrupted' || job.state === 'running' || job.state === 'paused');

  const continueJob = async (job: JobSummary) => {
    setError(undefined);
    try {
      if (job.state === 'interrupted') await client.request('job:resume', { jobId: job.id });
      update((state) => ({ ...state, jobId: job.id, planId: undefined }));
      go('progress');
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  };

  return (
    <>
      <StepHeading>{t('wizard.welcome.title')}</StepHeading>
      <p className="lead">{t('wizard.welcome.lead')}</p>
      <ul className="plain-list">
        <li>{t('wizard.welcome.point1')}</li>
        <li>{t('wizard.welcome.point2')}</li>
        <li>{t('wizard.welcome.point3')}</li>
        <li>{t('wizard.welcome.point4')}</li>
      </ul>
      {unfinished.length > 0 ? (
        <div className="note note-warn" data-testid="unfinished-jobs">
          <h2>{t('wizard.welcome.unfinished')}</h2>
          <ul className="plain-list">
            {unfinished.map((job) => (
              <li key={job.id} className="row-between">
                <span>
                  {t('wizard.welcome.unfinishedJob', { source: job.source, target: job.target, done: formatNumber(job.done, locale), pending: formatNumber(job.pending, locale) })}
                  <span className="muted small"> · {formatDateTime(job.lastRunAt ?? job.createdAt, locale)}</span>
                </span>
                <button type="button" onClick={() => void continueJob(job)} disabled={!job.resumable && job.state === 'interrupted'}>
                  {t('wizard.welcome.resume')}
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => {
            update((state) => ({ ...initialWizardState, target: state.target, source: state.source }));
            go('target');
          }}
        >
          {t('wizard.welcome.start')}
        </button>
      </div>
    </>
  );
}
