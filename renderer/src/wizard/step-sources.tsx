import { Field, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { findProvider, imapProviders } from '../state/providers.js';
import { sourceProblem, type WizardState } from '../state/wizard-state.js';
import { AutocompleteLists } from './autocomplete-lists.js';
import { DiscoveredFiles } from './discovered-files.js';
import { StepHeading, type StepProps } from './wizard.js';

type SourceKind = WizardState['source']['kind'];
const kinds: SourceKind[] = ['files', 'imap'];

/** What to bring: Outlook files found on this PC or picked by hand, or an IMAP account. */
export function StepSources({ state, update, go }: StepProps) {
  const { t } = useI18n();
  const source = state.source;
  const set = (change: Partial<WizardState['source']>) => update((current) => ({ ...current, source: { ...current.source, ...change } }));
  const setImap = (change: Partial<WizardState['source']['imap']>) =>
    update((current) => ({ ...current, source: { ...current.source, imap: { ...current.source.imap, ...change } } }));
  const provider = findProvider(source.imap.provider);
  const problem = sourceProblem(source);

  return (
    <>
      <StepHeading>{t('wizard.sources.title')}</StepHeading>
      <p className="lead">{t('wizard.sources.lead')}</p>
      <fieldset className="choices">
        <legend>{t('wizard.sources.kindLegend')}</legend>
        {kinds.map((kind) => (
          <label key={kind} className={`choice${source.kind === kind ? ' choice-selected' : ''}`}>
            <input type="radio" name="source-kind" value={kind} checked={source.kind === kind} onChange={() => set({ kind })} />
            <span>
              <strong>{t(`wizard.sources.kind.${kind}`)}</strong>
              <span className="muted">{t(`wizard.sources.kind.${kind}.hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {source.kind === 'files' ? (
        <>
          <DiscoveredFiles selected={source.files} onChange={(files) => set({ files })} />
          <Field label={t('wizard.sources.manualPath')} hint={t('wizard.sources.manualPathHint')}>
            {(id, hint) => (
              <input id={id} aria-describedby={hint} placeholder="C:\Users\Ann\Documents\Outlook Files\ann.pst" value={source.manualPath} onChange={(event) => set({ manualPath: event.target.value })} />
            )}
          </Field>
        </>
      ) : (
        <>
          <Field label={t('wizard.sources.provider')}>
            {(id) => (
              <select
                id={id}
                value={source.imap.provider}
                onChange={(event) => {
                  const chosen = findProvider(event.target.value);
                  if (chosen === undefined) return;
                  setImap(chosen.id === 'other' ? { provider: chosen.id } : { provider: chosen.id, host: chosen.host, port: chosen.port, security: chosen.security });
                }}
              >
                {imapProviders.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.id === 'other' ? t('wizard.sources.providerOther') : entry.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {provider?.note !== undefined ? <Note>{t(provider.note)}</Note> : null}
          <div className="field-row">
            <Field label={t('wizard.sources.host')}>
              {(id) => <input id={id} value={source.imap.host} onChange={(event) => setImap({ host: event.target.value, provider: source.imap.provider })} />}
            </Field>
            <Field label={t('wizard.sources.port')}>
              {(id) => (
                <input id={id} type="number" min={1} max={65535} value={source.imap.port} onChange={(event) => setImap({ port: Number(event.target.value) || 993 })} />
              )}
            </Field>
            <Field label={t('wizard.sources.security')}>
              {(id) => (
                <select id={id} value={source.imap.security} onChange={(event) => setImap({ security: event.target.value === 'starttls' ? 'starttls' : 'tls' })}>
                  <option value="tls">{t('wizard.sources.security.tls')}</option>
                  <option value="starttls">{t('wizard.sources.security.starttls')}</option>
                </select>
              )}
            </Field>
          </div>
          <Field label={t('wizard.sources.user')} hint={t('wizard.sources.userHint')}>
            {(id, hint) => <input id={id} aria-describedby={hint} autoComplete="username" value={source.imap.user} onChange={(event) => setImap({ user: event.target.value })} />}
          </Field>
          <details className="advanced">
            <summary>{t('wizard.sources.advanced')}</summary>
            <Field label={t('wizard.sources.ca')} hint={t('wizard.sources.caHint')}>
              {(id, hint) => <input id={id} aria-describedby={hint} value={source.imap.ca} onChange={(event) => setImap({ ca: event.target.value })} />}
            </Field>
          </details>
          <Note>
            <strong>{t('wizard.sources.fullBodiesTitle')}</strong> {t('wizard.sources.fullBodies')}
          </Note>
          <p className="muted small">{t('wizard.sources.passwordLater')}</p>
        </>
      )}

      <AutocompleteLists source={source} set={set} />

      <div className="actions">
        <button type="button" className="secondary" onClick={() => go('target')}>
          {t('common.back')}
        </button>
        {problem !== undefined ? (
          <span className="muted small" id="source-problem">
            {t(`wizard.sources.problem.${problem}`)}
          </span>
        ) : null}
        <button type="button" className="primary" disabled={problem !== undefined} aria-describedby={problem !== undefined ? 'source-problem' : undefined} onClick={() => go('preflight')}>
          {t('common.next')}
        </button>
      </div>
    </>
  );
}
