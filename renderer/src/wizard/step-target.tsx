import { Field, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { targetProblem, type WizardState } from '../state/wizard-state.js';
import { StepHeading, type StepProps } from './wizard.js';

type TargetKind = WizardState['target']['kind'];
const kinds: TargetKind[] = ['m365', 'exchange', 'folder'];

/** Where the mail goes: Microsoft 365 (signing in with a code), an Exchange server, or a folder. */
export function StepTarget({ state, update, go }: StepProps) {
  const { t } = useI18n();
  const target = state.target;
  // Unknown (an older host) shows the field without requiring it; false requires it: otherwise sign-in is a dead end.
  const signInConfigured = useService().info?.signInConfigured;
  const set = (change: Partial<WizardState['target']>) => update((current) => ({ ...current, target: { ...current.target, ...change } }));
  const problem = targetProblem(target, signInConfigured === false);

  return (
    <>
      <StepHeading>{t('wizard.target.title')}</StepHeading>
      <p className="lead">{t('wizard.target.lead')}</p>
      <fieldset className="choices">
        <legend>{t('wizard.target.kindLegend')}</legend>
        {kinds.map((kind) => (
          <label key={kind} className={`choice${target.kind === kind ? ' choice-selected' : ''}`}>
            <input type="radio" name="target-kind" value={kind} checked={target.kind === kind} onChange={() => set({ kind })} />
            <span>
              <strong>{t(`wizard.target.kind.${kind}`)}</strong>
              <span className="muted">{t(`wizard.target.kind.${kind}.hint`)}</span>
            </span>
          </label>
        ))}
      </fieldset>

      {target.kind !== 'folder' ? (
        <Field label={t('wizard.target.mailbox')} hint={t('wizard.target.mailboxHint')}>
          {(id, hint) => (
            <input id={id} aria-describedby={hint} type="email" autoComplete="email" value={target.mailbox} onChange={(event) => set({ mailbox: event.target.value })} />
          )}
        </Field>
      ) : null}
      {target.kind === 'exchange' ? (
        <>
          <Field label={t('wizard.target.ewsUrl')} hint={t('wizard.target.ewsUrlHint')}>
            {(id, hint) => (
              <input id={id} aria-describedby={hint} type="url" placeholder="https://mail.example.com/EWS/Exchange.asmx" value={target.ewsUrl} onChange={(event) => set({ ewsUrl: event.target.value })} />
            )}
          </Field>
          <Field label={t('wizard.target.auth')}>
            {(id) => (
              <select id={id} value={target.auth} onChange={(event) => set({ auth: event.target.value === 'ntlm' ? 'ntlm' : 'basic' })}>
                <option value="basic">{t('wizard.target.auth.basic')}</option>
                <option value="ntlm">{t('wizard.target.auth.ntlm')}</option>
              </select>
            )}
          </Field>
        </>
      ) : null}
      {target.kind === 'folder' ? (
        <Field label={t('wizard.target.folder')} hint={t('wizard.target.folderHint')}>
          {(id, hint) => <input id={id} aria-describedby={hint} value={target.folder} onChange={(event) => set({ folder: event.target.value })} />}
        </Field>
      ) : null}
      {target.kind === 'm365' && signInConfigured !== true ? (
        <>
          <Note>{t('wizard.target.clientIdExplained')}</Note>
          <Field label={t('wizard.target.clientId')} hint={t('wizard.target.clientIdHint')}>
            {(id, hint) => (
              <input
                id={id}
                aria-describedby={hint}
                spellCheck={false}
                autoComplete="off"
                placeholder="00000000-0000-0000-0000-000000000000"
                value={target.clientId ?? ''}
                onChange={(event) => set({ clientId: event.target.value })}
              />
            )}
          </Field>
        </>
      ) : null}
      {target.kind === 'm365' ? <Note>{t('wizard.target.deviceCodeExplained')}</Note> : null}
      {target.kind === 'exchange' ? <Note>{t('wizard.target.passwordExplained')}</Note> : null}

      <div className="actions">
        <button type="button" className="secondary" onClick={() => go('welcome')}>
          {t('common.back')}
        </button>
        {problem !== undefined ? (
          <span className="muted small" id="target-problem">
            {t(`wizard.target.problem.${problem}`)}
          </span>
        ) : null}
        <button type="button" className="primary" disabled={problem !== undefined} aria-describedby={problem !== undefined ? 'target-problem' : undefined} onClick={() => go('sources')}>
          {t('common.next')}
        </button>
      </div>
    </>
  );
}
