import { useJobView } from '../components/use-job-view.js';
import { Busy, ErrorNote, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatNumber } from '../state/format.js';

/** How many entries of one autocomplete list reached the new mailbox (its job's items are its entries). */
export function AutocompleteDone({ jobId }: { jobId: number }) {
  const { t, locale } = useI18n();
  const { view, error } = useJobView(jobId, { folderMailboxes: 0 });
  if (error !== undefined) return <ErrorNote error={error} />;
  const job = view?.job;
  if (job === undefined) return null;
  if (job.state === 'running') return <Busy label={t('wizard.autocomplete.moving')} />;
  const missed = job.failed + Math.max(0, job.skipped - job.duplicates) + job.pending;
  return (
    <Note kind={missed > 0 ? 'warn' : 'ok'}>
      <span data-testid="autocomplete-done">{t('wizard.autocomplete.done', { count: formatNumber(job.done + job.duplicates, locale) })}</span>
      {missed > 0 ? ` ${t('wizard.autocomplete.missed', { count: formatNumber(missed, locale) })}` : ''}
    </Note>
  );
}
