import { useEffect, useState } from 'react';

import type { ItemIssue } from '../../../electron/contract/index.js';
import { IssuesTable } from '../components/issues-table.js';
import { ReportActions } from '../components/report-actions.js';
import { useJobView } from '../components/use-job-view.js';
import { Busy, ErrorNote, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { formatBytes, formatNumber } from '../state/format.js';
import { initialWizardState } from '../state/wizard-state.js';
import { AutocompleteDone } from './autocomplete-done.js';
import { StepHeading, type StepProps } from './wizard.js';

/** Done: what moved, what was skipped and why, and the report to keep. */
export function StepDone({ state, update, go }: StepProps) {
  const { t, locale } = useI18n();
  const { client } = useService();
  const jobId = state.jobId;
  const { view, error } = useJobView(jobId, { folderMailboxes: 0 });
  const [issues, setIssues] = useState<{ items: ItemIssue[]; total: number }>();
  const mailboxIds = (view?.mailboxes ?? []).map((mailbox) => mailbox.id).join(',');

  useEffect(() => {
    if (mailboxIds === '') return;
    let live = true;
    void (async () => {
      const items: ItemIssue[] = [];
      let total = 0;
      for (const id of mailboxIds.split(',').map(Number)) {
        const answer = await client.request('mailbox:issues', { mailboxId: id, limit: 200 });
        items.push(...answer.items);
        total += answer.total;
      }
      if (live) setIssues({ items, total });
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, [client, mailboxIds]);

  const job = view?.job;
  // A duplicate (the same message twice in the source, or already in the mailbox) is not something that
  // failed to come along: it is there once, as it should be. Nor is what Outlook never showed the user
  // (a PST's hidden system folders, NOT_USER_DATA): the report lists it, the summary does not alarm.
  const expected = job === undefined ? 0 : job.duplicates + job.leftOut;
  const clean = job !== undefined && job.skipped - expected <= 0 && job.failed === 0 && job.pending === 0;
  const realIssues = issues?.items.filter((item) => item.code !== 'DUPLICATE' && item.code !== 'NOT_USER_DATA') ?? [];
  const duplicatesShown = (issues?.items.length ?? 0) - realIssues.length;
  return (
    <>
      <StepHeading>{clean ? t('wizard.done.titleClean') : t('wizard.done.title')}</StepHeading>
      {job === undefined && error === undefined ? <Busy label={t('common.loading')} /> : null}
      {job !== undefined ? (
        <>
          <p className="lead">{clean ? t('wizard.done.leadClean') : t('wizard.done.lead')}</p>
          <dl className="figures" data-testid="done-figures">
            <div>
              <dt>{t('common.done')}</dt>
              <dd data-testid="done-count">{formatNumber(job.done, locale)}</dd>
            </div>
            <div>
              <dt>{t('common.duplicates')}</dt>
              <dd>{formatNumber(job.duplicates, locale)}</dd>
            </div>
            <div>
              <dt>{t('common.skipped')}</dt>
              <dd data-testid="skipped-count">{formatNumber(Math.max(0, job.skipped - expected), locale)}</dd>
            </div>
            <div>
              <dt>{t('common.failed')}</dt>
              <dd data-testid="failed-count">{formatNumber(job.failed, locale)}</dd>
            </div>
            <div>
              <dt>{t('common.size')}</dt>
              <dd>{formatBytes(job.bytes, locale)}</dd>
            </div>
          </dl>
          {job.pending > 0 ? <Note kind="warn">{t('wizard.done.pending', { count: job.pending })}</Note> : null}
          {(state.autocompleteJobIds ?? []).map((id) => (
            <AutocompleteDone key={id} jobId={id} />
          ))}
          {(state.autocompleteProblems ?? []).map((problem) => (
            <Note key={problem} kind="warn">
              {t('wizard.autocomplete.notStarted', { problem })}
            </Note>
          ))}
          {realIssues.length > 0 ? (
            <>
              <p>{t('wizard.done.issuesExplained')}</p>
              <IssuesTable items={realIssues} caption={t('wizard.done.issuesCaption', { shown: realIssues.length, total: (issues?.total ?? 0) - duplicatesShown })} />
            </>
          ) : null}
          <h2>{t('wizard.done.report')}</h2>
          <p>{t('wizard.done.reportExplained')}</p>
          <ReportActions jobId={job.id} />
        </>
      ) : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
      <div className="actions">
        {job !== undefined && job.pending > 0 ? (
          <button type="button" className="secondary" onClick={() => void client.request('job:resume', { jobId: job.id }).then(() => go('progress'), () => go('progress'))}>
            {t('wizard.done.continue')}
          </button>
        ) : null}
        <button
          type="button"
          className="primary"
          onClick={() => {
            update(() => initialWizardState);
            go('welcome');
          }}
        >
          {t('wizard.done.another')}
        </button>
      </div>
    </>
  );
}
