import { useEffect, useRef, useState, type FormEvent } from 'react';

import type { PromptEvent } from '../../../electron/contract/index.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';
import { secretPromptText } from '../state/secret-prompt.js';
import { ErrorNote } from './widgets.js';

async function copyText(text: string, fallback: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Without clipboard permission: select the code so Ctrl+C works, and try the old way.
    if (fallback === null) return false;
    const range = document.createRange();
    range.selectNodeContents(fallback);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    return document.execCommand('copy');
  }
}

/**
 * The engine's questions (a Microsoft sign-in code, a password the keychain lacks, a confirmation),
 * one at a time in a modal dialog. Answering in one window closes the dialog in every other one
 * (the service sends `prompt-closed`).
 */
export function PromptDialog({ prompt }: { prompt: PromptEvent }) {
  const { t } = useI18n();
  const { client } = useService();
  const dialog = useRef<HTMLDialogElement>(null);
  const code = useRef<HTMLElement>(null);
  const [secret, setSecret] = useState('');
  const [remember, setRemember] = useState(true);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<Error>();

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, [prompt.promptId]);

  const answer = (payload: { value?: string; remember?: boolean; cancelled?: boolean }) => {
    client.request('prompt:answer', { promptId: prompt.promptId, ...payload }).then(
      () => setSecret(''),
      (failure: unknown) => setError(failure instanceof Error ? failure : new Error(String(failure))),
    );
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (prompt.prompt.kind === 'secret') answer({ value: secret, remember });
    else answer({});
  };
  const body = prompt.prompt;
  const secretText = body.kind === 'secret' ? secretPromptText(body.role, body.account) : undefined;
  const titleId = `prompt-${prompt.promptId}-title`;

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        answer({ cancelled: true });
      }}
    >
      <form onSubmit={onSubmit}>
        {body.kind === 'device-code' ? (
          <>
            <h2 id={titleId}>{t('prompt.deviceCode.title')}</h2>
            <ol className="steps-list">
              <li>{t('prompt.deviceCode.step1')}</li>
              <li>
                {t('prompt.deviceCode.step2')}{' '}
                <a href={body.verificationUri} target="_blank" rel="noopener noreferrer">
                  {body.verificationUri}
                </a>
              </li>
              <li>{t('prompt.deviceCode.step3')}</li>
            </ol>
            <div className="device-code">
              <code ref={code} data-testid="device-code" aria-label={t('prompt.deviceCode.codeLabel')}>
                {body.userCode}
              </code>
              <button type="button" className="secondary" onClick={() => void copyText(body.userCode, code.current).then(setCopied)}>
                {copied ? t('prompt.deviceCode.copied') : t('prompt.deviceCode.copy')}
              </button>
            </div>
            <p className="muted">{t('prompt.deviceCode.waiting')}</p>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => answer({ cancelled: true })}>
                {t('prompt.cancel')}
              </button>
            </div>
          </>
        ) : body.kind === 'secret' ? (
          <>
            <h2 id={titleId}>{t('prompt.secret.title')}</h2>
            <p>{secretText === undefined ? body.label : t(secretText.key, secretText.params)}</p>
            <p className="muted small">{body.account}</p>
            <div className="field">
              <label htmlFor={`${titleId}-secret`}>{t('prompt.secret.label')}</label>
              <input
                id={`${titleId}-secret`}
                type="password"
                autoComplete="off"
                autoFocus
                value={secret}
                onChange={(event) => setSecret(event.target.value)}
              />
            </div>
            {body.canRemember ? (
              <label className="check">
                <input type="checkbox" checked={remember} onChange={(event) => setRemember(event.target.checked)} />
                {t('prompt.secret.remember')}
              </label>
            ) : null}
            <p className="muted small">{t('prompt.secret.never')}</p>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => answer({ cancelled: true })}>
                {t('prompt.cancel')}
              </button>
              <button type="submit" disabled={secret === ''}>
                {t('prompt.secret.submit')}
              </button>
            </div>
          </>
        ) : (
          <>
            <h2 id={titleId}>{body.title}</h2>
            <p>{body.message}</p>
            <div className="actions">
              <button type="button" className="secondary" onClick={() => answer({ cancelled: true })}>
                {t('prompt.cancel')}
              </button>
              <button type="submit" className={body.danger ? 'danger' : undefined}>
                {body.confirmLabel ?? t('prompt.confirm')}
              </button>
            </div>
          </>
        )}
        {prompt.mailbox !== undefined ? <p className="muted small">{t('prompt.forMailbox', { mailbox: prompt.mailbox })}</p> : null}
        {error !== undefined ? <ErrorNote error={error} /> : null}
      </form>
    </dialog>
  );
}
