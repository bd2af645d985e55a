import { useState } from 'react';

import type { HandoverInventory, HandoverPlan, HandoverRunResult } from '../../../electron/contract/index.js';
import { Busy, downloadText, ErrorNote, Field, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';

/**
 * Handing a PC to a new user: inventory (what Office left of the old user) → plan (each removal and
 * why) → an explicit confirmation → run (backup first) → what is left. The plan's confirm token ties
 * the run to exactly what was reviewed.
 */
export function HandoverPanel() {
  const { t } = useI18n();
  const { client, has } = useService();
  const [fromCapture, setFromCapture] = useState('');
  const [includeCredentialStore, setIncludeCredentialStore] = useState(false);
  const [inventory, setInventory] = useState<HandoverInventory>();
  const [plan, setPlan] = useState<HandoverPlan>();
  const [confirmed, setConfirmed] = useState(false);
  const [dryRun, setDryRun] = useState(true);
  const [result, setResult] = useState<HandoverRunResult>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<Error>();

  if (!has('handover:inventory')) return <Note>{t('dashboard.unavailable')}</Note>;

  const scope = fromCapture.trim() === '' ? {} : { fromCapture: fromCapture.trim() };
  const step = async (label: string, action: () => Promise<void>) => {
    setBusy(label);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="card" aria-labelledby="handover-heading">
      <h1 id="handover-heading">{t('dashboard.handover.title')}</h1>
      <p>{t('dashboard.handover.lead')}</p>
      <Field label={t('dashboard.handover.capture')} hint={t('dashboard.handover.captureHint')}>
        {(id, hint) => <input id={id} aria-describedby={hint} value={fromCapture} onChange={(event) => setFromCapture(event.target.value)} />}
      </Field>
      <div className="actions left">
        <button
          type="button"
          className="primary"
          disabled={busy !== undefined}
          onClick={() =>
            void step(t('dashboard.handover.reading'), async () => {
              setPlan(undefined);
              setResult(undefined);
              setInventory(await client.request('handover:inventory', scope));
            })
          }
        >
          {t('dashboard.handover.inventory')}
        </button>
      </div>
      {inventory !== undefined ? (
        <>
          <h2>{t('dashboard.handover.found')}</h2>
          <ul className="plain-list counts" data-testid="handover-inventory">
            <li>{t('dashboard.handover.count.installs', { count: inventory.installs.length })}</li>
            <li>{t('dashboard.handover.count.keys', { count: inventory.productKeys.length })}</li>
            <li>{t('dashboard.handover.count.identities', { count: inventory.identities.length })}</li>
            <li>{t('dashboard.handover.count.licenses', { count: inventory.vnextLicenses.length })}</li>
            <li>{t('dashboard.handover.count.credentials', { count: inventory.credentials.length })}</li>
          </ul>
          {inventory.warnings.map((warning) => (
            <Note key={warning} kind="warn">
              {warning}
            </Note>
          ))}
          <label className="check">
            <input type="checkbox" checked={includeCredentialStore} onChange={(event) => setIncludeCredentialStore(event.target.checked)} />
            {t('dashboard.handover.credentialStore')}
          </label>
          <div className="actions left">
            <button
              type="button"
              disabled={busy !== undefined}
              onClick={() =>
                void step(t('dashboard.handover.planning'), async () => {
                  setConfirmed(false);
                  setResult(undefined);
                  setPlan(await client.request('handover:plan', { ...scope, includeCredentialStore }));
                })
              }
            >
              {t('dashboard.handover.plan')}
            </button>
          </div>
        </>
      ) : null}
      {plan !== undefined ? (
        <>
          <table className="table" data-testid="handover-plan">
            <caption>{t('dashboard.handover.planCaption', { count: plan.steps.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.handover.what')}</th>
                <th scope="col">{t('dashboard.handover.why')}</th>
                <th scope="col">{t('dashboard.handover.admin')}</th>
              </tr>
            </thead>
            <tbody>
              {plan.steps.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <code>{entry.target}</code>
                    {entry.valueName !== undefined ? <span className="muted small"> ({entry.valueName})</span> : null}
                  </td>
                  <td>{entry.why}</td>
                  <td>{entry.needsElevation ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {plan.warnings.map((warning) => (
            <Note key={warning} kind="warn">
              {warning}
            </Note>
          ))}
          <label className="check">
            <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />
            {t('dashboard.handover.dryRun')}
          </label>
          <label className="check">
            <input type="checkbox" checked={confirmed} onChange={(event) => setConfirmed(event.target.checked)} />
            {t('dashboard.handover.confirm')}
          </label>
          <div className="actions left">
            <button
              type="button"
              className={dryRun ? 'primary' : 'danger'}
              disabled={!confirmed || busy !== undefined || plan.steps.length === 0}
              onClick={() =>
                void step(t('dashboard.handover.running'), async () => {
                  setResult(await client.request('handover:run', { confirmToken: plan.confirmToken, dryRun, includeCredentialStore }));
                })
              }
            >
              {dryRun ? t('dashboard.handover.runDry') : t('dashboard.handover.run')}
            </button>
          </div>
        </>
      ) : null}
      {result !== undefined ? (
        <>
          <h2>{result.clean ? t('dashboard.handover.clean') : t('dashboard.handover.notClean')}</h2>
          <table className="table" data-testid="handover-result">
            <caption>{t('dashboard.handover.results')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.handover.what')}</th>
                <th scope="col">{t('dashboard.jobs.state')}</th>
              </tr>
            </thead>
            <tbody>
              {result.results.map((entry) => (
                <tr key={entry.stepId}>
                  <td>
                    <code>{entry.target}</code>
                  </td>
                  <td>
                    {entry.status}
                    {entry.error !== undefined ? <span className="error-text small"> {entry.error.message}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {result.remaining.length > 0 ? (
            <ul className="plain-list">
              {result.remaining.map((entry) => (
                <li key={entry}>
                  <code>{entry}</code>
                </li>
              ))}
            </ul>
          ) : null}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void step(t('common.loading'), async () => {
                const report = await client.request('handover:report', { runId: result.runId, format: 'html' });
                downloadText(`handover-${result.runId}.html`, 'text/html', report.content);
              })
            }
          >
            {t('common.report.html')}
          </button>
        </>
      ) : null}
      {busy !== undefined ? <Busy label={busy} /> : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
    </section>
  );
}
