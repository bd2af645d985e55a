import { useEffect, useState } from 'react';

import type { PreflightFinding, PreflightRun } from '../../../electron/contract/index.js';
import { PreflightFindings } from '../components/preflight-findings.js';
import { Busy, ErrorNote, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { buildJobSpec } from '../state/wizard-state.js';
import { StepHeading, type StepProps } from './wizard.js';

/** Checks before anything moves (preflight room): can we reach both ends, is the domain ready. */
export function StepPreflight({ state, go }: StepProps) {
  const { t } = useI18n();
  const { client, has, onEvent } = useService();
  const [run, setRun] = useState<PreflightRun>();
  const [running, setRunning] = useState<{ runId?: number; findings: PreflightFinding[] }>();
  const [error, setError] = useState<Error>();
  const available = has('preflight:run');
  const mailbox = state.target.kind === 'folder' ? undefined : state.target.mailbox.trim();
  const domain = mailbox?.split('@')[1];
  const spec = buildJobSpec(state);
  const nothingToCheck = domain === undefined && state.source.kind === 'files';

  useEffect(
    () =>
      onEvent((event) => {
        if (event.type === 'preflight-check') setRunning((current) => (current === undefined ? current : { ...current, findings: [...current.findings, event.finding] }));
      }),
    [onEvent],
  );

  const start = async () => {
    if (domain === undefined) return;
    setError(undefined);
    setRun(undefined);
    setRunning({ findings: [] });
    try {
      const answer = await client.request('preflight:run', {
        domain,
        phase: 'before',
        ...(state.source.kind === 'imap' ? { imap: spec.source } : {}),
        target: spec.target,
        targetOptions: spec.options ?? {},
        smtp: false,
      });
      setRun(answer);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setRunning(undefined);
    }
  };

  return (
    <>
      <StepHeading>{t('wizard.preflight.title')}</StepHeading>
      <p className="lead">{t('wizard.preflight.lead')}</p>
      {!available ? (
        <Note>{t('wizard.preflight.unavailable')}</Note>
      ) : nothingToCheck || domain === undefined ? (
        <Note kind="ok">{t('wizard.preflight.nothingToCheck')}</Note>
      ) : (
        <>
          {run === undefined && running === undefined ? (
            <button type="button" onClick={() => void start()}>
              {t('wizard.preflight.run', { domain })}
            </button>
          ) : null}
          {running !== undefined ? (
            <>
              <Busy label={t('wizard.preflight.running')} />
              <PreflightFindings findings={running.findings} showEvidence={false} />
            </>
          ) : null}
          {run !== undefined ? (
            <>
              <PreflightFindings findings={run.findings} summary={run.summary} showEvidence={false} />
              {run.summary.fail > 0 ? <Note kind="warn">{t('wizard.preflight.hasFailures')}</Note> : <Note kind="ok">{t('wizard.preflight.allGood')}</Note>}
              <button type="button" className="secondary" onClick={() => void start()}>
                {t('wizard.preflight.again')}
              </button>
            </>
          ) : null}
          {error !== undefined ? <ErrorNote error={error} /> : null}
        </>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => go('sources')}>
          {t('common.back')}
        </button>
        <button type="button" className="primary" onClick={() => go('preview')} disabled={running !== undefined}>
          {available && !nothingToCheck && run === undefined ? t('wizard.preflight.skip') : t('common.next')}
        </button>
      </div>
    </>
  );
}
