import { useEffect, useState, type FormEvent } from 'react';

import type { PreflightFinding, PreflightRun } from '../../../electron/contract/index.js';
import { PreflightFindings } from '../components/preflight-findings.js';
import { Busy, ErrorNote, Field, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { formatDateTime } from '../state/format.js';

/** The domain's preflight (DNS, mail routing, reachability), with the earlier runs beside it. */
export function PreflightPanel() {
  const { t, locale } = useI18n();
  const { client, has, onEvent } = useService();
  const [domain, setDomain] = useState('');
  const [imap, setImap] = useState('');
  const [phase, setPhase] = useState<'before' | 'after'>('before');
  const [run, setRun] = useState<PreflightRun>();
  const [history, setHistory] = useState<PreflightRun[]>([]);
  const [partial, setPartial] = useState<PreflightFinding[]>();
  const [error, setError] = useState<Error>();

  useEffect(() => onEvent((event) => event.type === 'preflight-check' && setPartial((current) => (current === undefined ? current : [...current, event.finding]))), [onEvent]);

  if (!has('preflight:run')) return <Note>{t('dashboard.unavailable')}</Note>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setRun(undefined);
    setPartial([]);
    try {
      const answer = await client.request('preflight:run', { domain: domain.trim(), phase, ...(imap.trim() !== '' ? { imap: imap.trim() } : {}) });
      setRun(answer);
      setHistory((await client.request('preflight:history', { domain: domain.trim(), limit: 10 })).runs);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setPartial(undefined);
    }
  };

  return (
    <section className="card" aria-labelledby="preflight-heading">
      <h1 id="preflight-heading">{t('dashboard.preflight.title')}</h1>
      <p>{t('dashboard.preflight.lead')}</p>
      <form onSubmit={(event) => void submit(event)}>
        <div className="field-row">
          <Field label={t('dashboard.preflight.domain')}>{(id) => <input id={id} value={domain} placeholder="example.com" onChange={(event) => setDomain(event.target.value)} />}</Field>
          <Field label={t('dashboard.preflight.phase')}>
            {(id) => (
              <select id={id} value={phase} onChange={(event) => setPhase(event.target.value === 'after' ? 'after' : 'before')}>
                <option value="before">{t('dashboard.preflight.before')}</option>
                <option value="after">{t('dashboard.preflight.after')}</option>
              </select>
            )}
          </Field>
        </div>
        <Field label={t('dashboard.preflight.imap')} hint={t('dashboard.preflight.imapHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={imap} placeholder="imaps://ann@mail.example.com" onChange={(event) => setImap(event.target.value)} />}
        </Field>
        <div className="actions left">
          <button type="submit" className="primary" disabled={domain.trim() === '' || partial !== undefined}>
            {t('dashboard.preflight.run')}
          </button>
        </div>
      </form>
      {partial !== undefined ? (
        <>
          <Busy label={t('wizard.preflight.running')} />
          <PreflightFindings findings={partial} showEvidence />
        </>
      ) : null}
      {run !== undefined ? <PreflightFindings findings={run.findings} summary={run.summary} showEvidence /> : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
      {history.length > 1 ? (
        <table className="table">
          <caption>{t('dashboard.preflight.history')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashboard.preflight.when')}</th>
              <th scope="col">{t('dashboard.preflight.phase')}</th>
              <th scope="col">{t('dashboard.preflight.result')}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((entry) => (
              <tr key={entry.runId}>
                <td>{formatDateTime(entry.startedAt, locale)}</td>
                <td>{entry.phase === 'after' ? t('dashboard.preflight.after') : t('dashboard.preflight.before')}</td>
                <td>{t('common.preflight.summary', { ...entry.summary })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
