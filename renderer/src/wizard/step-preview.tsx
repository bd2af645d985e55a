import { useEffect, useState } from 'react';

import type { JobPlan } from '../../../electron/contract/index.js';
import { PlanView } from '../components/plan-view.js';
import { Busy, ErrorNote } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { autocompleteFiles, buildAutocompleteJobSpecs, buildJobSpec } from '../state/wizard-state.js';
import { StepHeading, type StepProps } from './wizard.js';

/** The preview: what the sources hold and how long it should take; nothing is written yet. */
export function StepPreview({ state, update, go }: StepProps) {
  const { t } = useI18n();
  const { client } = useService();
  const [plan, setPlan] = useState<JobPlan>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState<'planning' | 'starting'>();
  const [attempt, setAttempt] = useState(0);
  const specKey = JSON.stringify(buildJobSpec(state));

  useEffect(() => {
    let live = true;
    setBusy('planning');
    setError(undefined);
    client.request('job:plan', JSON.parse(specKey)).then(
      (answer) => {
        if (!live) return;
        setPlan(answer);
        update((current) => ({ ...current, planId: answer.planId }));
      },
      (failure: unknown) => live && setError(failure instanceof Error ? failure : new Error(String(failure))),
    ).finally(() => live && setBusy(undefined));
    return () => {
      live = false;
    };
    // update is stable enough: it only wraps setState.
  }, [client, specKey, attempt]);

  const start = async () => {
    if (plan === undefined) return;
    setBusy('starting');
    setError(undefined);
    try {
      // A plan kept too long expires in the service: then the same spec starts it directly.
      const answer = await client.request('job:start', { planId: plan.planId }).catch(async (failure: { code?: string }) => {
        if (failure?.code !== 'JOB_NOT_FOUND') throw failure;
        return client.request('job:start', { spec: JSON.parse(specKey) });
      });
      update((current) => ({ ...current, jobId: answer.jobId, planId: undefined, autocompleteJobIds: undefined, autocompleteProblems: undefined }));
      // The autocomplete lists go alongside, into the same mailbox; one that cannot start does not stop the
      // mail, and the done screen says why it did not come along.
      const autocompleteJobIds: number[] = [];
      const autocompleteProblems: string[] = [];
      for (const spec of buildAutocompleteJobSpecs(state)) {
        await client.request('job:start', { spec }).then(
          (started) => autocompleteJobIds.push(started.jobId),
          (failure: unknown) => autocompleteProblems.push(`${spec.source.slice('nk2:'.length)}: ${failure instanceof Error ? failure.message : String(failure)}`),
        );
      }
      update((current) => ({ ...current, autocompleteJobIds, autocompleteProblems }));
      go('progress');
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(undefined);
    }
  };

  const unreadable = plan !== undefined && plan.mailboxes.every((mailbox) => mailbox.error !== undefined);
  return (
    <>
      <StepHeading>{t('wizard.preview.title')}</StepHeading>
      <p className="lead">{t('wizard.preview.lead')}</p>
      {busy === 'planning' ? <Busy label={t(state.source.kind === 'files' ? 'wizard.preview.reading' : 'wizard.preview.readingImap')} /> : null}
      {plan !== undefined && busy !== 'planning' ? <PlanView plan={plan} /> : null}
      {autocompleteFiles(state.source).map((file) => (
        <p key={file} className="muted small">
          {t('wizard.autocomplete.alsoComing', { file })}
        </p>
      ))}
      {error !== undefined ? <ErrorNote error={error} title={t('wizard.preview.failed')} /> : null}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => go('sources')}>
          {t('common.back')}
        </button>
        {error !== undefined || unreadable ? (
          <button type="button" className="secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('common.tryAgain')}
          </button>
        ) : null}
        <button type="button" className="primary" disabled={plan === undefined || busy !== undefined || unreadable} onClick={() => void start()}>
          {busy === 'starting' ? t('wizard.preview.starting') : t('wizard.preview.start')}
        </button>
      </div>
    </>
  );
}
