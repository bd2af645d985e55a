import { useId, type ReactNode } from 'react';

import { useI18n } from '../i18n/i18n-context.js';
import type { MessageKey } from '../i18n/i18n.js';
import { barValue } from '../state/format.js';

/**
 * A labelled bar. An unknown total is an indeterminate (moving) bar rather than a made-up percentage, but only
 * while the thing is `active`: a queued folder or a mailbox that stopped must not look busy. A total of 0 is
 * known to hold nothing: a full bar.
 */
export function ProgressBar({ done, total, label, active }: { done: number; total: number | undefined; label: string; active: boolean }) {
  const value = barValue(done, total, active);
  return (
    <div
      className={`bar${value === undefined ? ' bar-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value}
    >
      <div className="bar-fill" style={value === undefined ? undefined : { width: `${value}%` }} />
    </div>
  );
}

export function ErrorNote({ error, title }: { error: Error | { message: string; code?: string }; title?: string }) {
  const { t } = useI18n();
  const code = (error as { code?: string }).code;
  return (
    <div className="note note-error" role="alert">
      <strong>{title ?? t('common.somethingWrong')}</strong>
      <p>{errorText(t, error)}</p>
      {code !== undefined ? <p className="muted small">{t('common.errorCode', { code })}</p> : null}
    </div>
  );
}

/** A catalogue code the person can act on gets plain words; the engine's message follows. */
export function errorText(t: (key: MessageKey) => string, error: { message: string; code?: string }): string {
  const key = `error.${error.code ?? ''}` as MessageKey;
  const known = ['SOURCE_UNREADABLE', 'SOURCE_AUTH_FAILED', 'TARGET_UNREACHABLE', 'TARGET_AUTH_FAILED', 'TARGET_BLOCKED', 'SECRET_MISSING', 'PROMPT_CANCELLED', 'CONNECTION_LOST', 'BAD_ARGUMENTS', 'JOB_NOT_FOUND', 'IPC_SENDER_REJECTED'];
  return error.code !== undefined && known.includes(error.code) ? `${t(key)} ${error.message}` : error.message;
}

export function Note({ kind = 'info', children }: { kind?: 'info' | 'warn' | 'ok'; children: ReactNode }) {
  return <div className={`note note-${kind}`}>{children}</div>;
}

export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string, describedBy: string | undefined) => ReactNode }) {
  const id = useId();
  const hintId = hint === undefined ? undefined : `${id}-hint`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint !== undefined ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Busy({ label }: { label: string }) {
  return (
    <p className="busy" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** Saves text as a file the person downloads (the report). Works in Electron and the browser. */
export function downloadText(fileName: string, mediaType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mediaType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
