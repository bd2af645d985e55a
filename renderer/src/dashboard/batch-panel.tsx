import { useState } from 'react';

import type { JobPlan, JobSpec } from '../../../electron/contract/index.js';
import { PlanView } from '../components/plan-view.js';
import { Busy, ErrorNote, Field, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { exchangeOnlineGraph } from '../state/wizard-state.js';

type TargetKind = 'm365' | 'exchange' | 'folder';

/**
 * A batch from Microsoft's IMAP migration CSV (EmailAddress,UserName,Password[,UserRoot]): the same
 * rules as `cloudward migrate --batch`, since the service applies them. Bad rows are listed with
 * their line numbers; good rows still run. Passwords go from the CSV to the keychain, never the ledger.
 */
export function BatchPanel({ onStarted }: { onStarted: (jobId: number) => void }) {
  const { t } = useI18n();
  const { client } = useService();
  const [host, setHost] = useState('');
  const [port, setPort] = useState(993);
  const [security, setSecurity] = useState<'tls' | 'starttls'>('tls');
  const [adminUser, setAdminUser] = useState('');
  const [loginFormat, setLoginFormat] = useState('dovecot');
  const [targetKind, setTargetKind] = useState<TargetKind>('m365');
  const [tenant, setTenant] = useState('');
  const [clientId, setClientId] = useState('');
  const [ewsUrl, setEwsUrl] = useState('');
  const [folder, setFolder] = useState('');
  const [parallel, setParallel] = useState(4);
  const [removePasswords, setRemovePasswords] = useState(true);
  const [csv, setCsv] = useState('');
  const [sourceCa, setSourceCa] = useState('');
  const [plan, setPlan] = useState<JobPlan>();
  const [busy, setBusy] = useState<'planning' | 'starting'>();
  const [error, setError] = useState<Error>();

  const spec = (): JobSpec => {
    const scheme = security === 'tls' ? 'imaps' : 'imap';
    const defaultPort = security === 'tls' ? 993 : 143;
    const options: Record<string, string> = {};
    if (sourceCa.trim() !== '') options.sourceCa = sourceCa.trim();
    if (adminUser.trim() !== '') {
      options.adminUser = adminUser.trim();
      options.loginFormat = loginFormat;
    }
    let target: string;
    if (targetKind === 'folder') target = `dir:${folder.trim()}`;
    else if (targetKind === 'exchange') target = `ews:${ewsUrl.trim()}`;
    else {
      target = exchangeOnlineGraph;
      options.targetAuth = 'client-credentials';
      if (tenant.trim() !== '') options.tenant = tenant.trim();
      if (clientId.trim() !== '') options.clientId = clientId.trim();
    }
    return {
      source: `${scheme}://${host.trim()}${port === defaultPort ? '' : `:${port}`}`,
      target,
      options,
      batchCsv: csv.trim(),
      parallel,
      removePasswords,
    };
  };

  const ready = host.trim() !== '' && csv.trim() !== '' && (targetKind !== 'folder' || folder.trim() !== '') && (targetKind !== 'exchange' || ewsUrl.trim() !== '');

  const makePlan = async () => {
    setBusy('planning');
    setError(undefined);
    setPlan(undefined);
    try {
      setPlan(await client.request('job:plan', spec()));
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(undefined);
    }
  };
  const start = async () => {
    if (plan === undefined) return;
    setBusy('starting');
    setError(undefined);
    try {
      const answer = await client.request('job:start', { planId: plan.planId });
      onStarted(answer.jobId);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="card" aria-labelledby="batch-heading">
      <h1 id="batch-heading">{t('dashboard.batch.title')}</h1>
      <p>{t('dashboard.batch.lead')}</p>
      <div className="field-row">
        <Field label={t('dashboard.batch.host')}>
          {(id) => <input id={id} value={host} placeholder="mail.example.com" onChange={(event) => setHost(event.target.value)} />}
        </Field>
        <Field label={t('wizard.sources.port')}>
          {(id) => <input id={id} type="number" min={1} max={65535} value={port} onChange={(event) => setPort(Number(event.target.value) || 993)} />}
        </Field>
        <Field label={t('wizard.sources.security')}>
          {(id) => (
            <select id={id} value={security} onChange={(event) => setSecurity(event.target.value === 'starttls' ? 'starttls' : 'tls')}>
              <option value="tls">{t('wizard.sources.security.tls')}</option>
              <option value="starttls">{t('wizard.sources.security.starttls')}</option>
            </select>
          )}
        </Field>
      </div>
      <div className="field-row">
        <Field label={t('dashboard.batch.adminUser')} hint={t('dashboard.batch.adminUserHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={adminUser} onChange={(event) => setAdminUser(event.target.value)} />}
        </Field>
        <Field label={t('dashboard.batch.loginFormat')}>
          {(id) => (
            <select id={id} value={loginFormat} onChange={(event) => setLoginFormat(event.target.value)} disabled={adminUser.trim() === ''}>
              <option value="dovecot">Dovecot (user*admin)</option>
              <option value="sasl">SASL (authzid)</option>
              <option value="exchange">Exchange (domain/admin/user)</option>
              <option value="mirapoint">Mirapoint (user#admin)</option>
            </select>
          )}
        </Field>
      </div>
      <Field label={t('dashboard.batch.csv')} hint={t('dashboard.batch.csvHint')}>
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            value={csv}
            placeholder="C:\Migration\users.csv"
            onChange={(event) => {
              setPlan(undefined);
              setCsv(event.target.value);
            }}
          />
        )}
      </Field>
      <Field label={t('dashboard.batch.sourceCa')} hint={t('dashboard.batch.sourceCaHint')}>
        {(id, hint) => <input id={id} aria-describedby={hint} value={sourceCa} onChange={(event) => setSourceCa(event.target.value)} />}
      </Field>
      <fieldset className="choices compact">
        <legend>{t('dashboard.batch.target')}</legend>
        {(['m365', 'exchange', 'folder'] as const).map((kind) => (
          <label key={kind} className={`choice${targetKind === kind ? ' choice-selected' : ''}`}>
            <input type="radio" name="batch-target" value={kind} checked={targetKind === kind} onChange={() => setTargetKind(kind)} />
            <span>
              <strong>{t(`dashboard.batch.target.${kind}`)}</strong>
            </span>
          </label>
        ))}
      </fieldset>
      {targetKind === 'm365' ? (
        <div className="field-row">
          <Field label={t('dashboard.batch.tenant')}>{(id) => <input id={id} value={tenant} placeholder="contoso.onmicrosoft.com" onChange={(event) => setTenant(event.target.value)} />}</Field>
          <Field label={t('dashboard.batch.clientId')}>{(id) => <input id={id} value={clientId} onChange={(event) => setClientId(event.target.value)} />}</Field>
        </div>
      ) : null}
      {targetKind === 'exchange' ? (
        <Field label={t('wizard.target.ewsUrl')}>{(id) => <input id={id} type="url" value={ewsUrl} onChange={(event) => setEwsUrl(event.target.value)} />}</Field>
      ) : null}
      {targetKind === 'folder' ? (
        <Field label={t('wizard.target.folder')} hint={t('dashboard.batch.folderHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={folder} onChange={(event) => setFolder(event.target.value)} />}
        </Field>
      ) : null}
      <div className="field-row">
        <Field label={t('dashboard.batch.parallel')} hint={t('dashboard.batch.parallelHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} type="number" min={1} max={64} value={parallel} onChange={(event) => setParallel(Math.min(64, Math.max(1, Number(event.target.value) || 1)))} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={removePasswords} onChange={(event) => setRemovePasswords(event.target.checked)} />
        {t('dashboard.batch.removePasswords')}
      </label>
      <div className="actions left">
        <button type="button" className="primary" disabled={!ready || busy !== undefined} onClick={() => void makePlan()}>
          {t('dashboard.batch.check')}
        </button>
      </div>
      {busy === 'planning' ? <Busy label={t('dashboard.batch.planning')} /> : null}
      {error !== undefined ? <ErrorNote error={error} /> : null}
      {plan !== undefined ? (
        <>
          {plan.badRows.length > 0 ? (
            <table className="table bad-rows" data-testid="bad-rows">
              <caption>{t('dashboard.batch.badRows', { count: plan.badRows.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.batch.line')}</th>
                  <th scope="col">{t('common.issue.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {plan.badRows.map((row) => (
                  <tr key={row.line}>
                    <td>{row.line}</td>
                    <td>{row.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Note kind="ok">{t('dashboard.batch.allRowsGood')}</Note>
          )}
          <PlanView plan={plan} folderLimit={8} />
          <div className="actions left">
            <button type="button" className="primary" disabled={busy !== undefined || plan.mailboxes.length === 0} onClick={() => void start()}>
              {t('dashboard.batch.start', { count: plan.mailboxes.length })}
            </button>
          </div>
        </>
      ) : null}
    </section>
  );
}
