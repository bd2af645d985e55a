import { useEffect } from 'react';

import { Field, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useCommand, useService } from '../service/service-context.js';
import { formatNumber } from '../state/format.js';
import type { WizardState } from '../state/wizard-state.js';

type Source = WizardState['source'];

/**
 * Outlook's autocomplete lists found on this PC (outlook:discover: .nk2 and Stream_Autocomplete_*.dat),
 * pre-ticked, each with its entry count and profile; where discovery cannot look, a path typed by hand.
 */
export function AutocompleteLists({ source, set }: { source: Source; set: (change: Partial<Source>) => void }) {
  const { t, locale } = useI18n();
  const { has } = useService();
  const available = has('outlook:discover');
  const found = useCommand('outlook:discover', available ? {} : undefined, []);
  const lists = (found.value?.files ?? []).filter((file) => file.kind === 'nk2' || file.kind === 'autocomplete');
  const readable = lists.filter((file) => file.problem === undefined).map((file) => file.path);
  const readableKey = readable.join('\n');

  useEffect(() => {
    // Pre-tick once: a list the user unticked afterwards stays unticked.
    if (source.autocompleteOffered || found.value === undefined) return;
    set({ autocomplete: readable, autocompleteOffered: true });
    // set only wraps setState; readableKey stands for readable.
  }, [source.autocompleteOffered, found.value, readableKey]);

  const toggle = (path: string, on: boolean) => set({ autocomplete: on ? [...source.autocomplete, path] : source.autocomplete.filter((entry) => entry !== path) });
  return (
    <fieldset className="found-files" aria-describedby="autocomplete-explained">
      <legend>{t('wizard.autocomplete.legend')}</legend>
      <p className="muted small" id="autocomplete-explained">
        {t('wizard.autocomplete.explained')}
      </p>
      {lists.map((file) => (
        <label key={file.path} className="check found-file">
          <input type="checkbox" checked={source.autocomplete.includes(file.path)} disabled={file.problem !== undefined} onChange={(event) => toggle(file.path, event.target.checked)} />
          <span>
            <strong>{file.path}</strong>
            <span className="muted small">
              {' '}
              {file.entries !== undefined ? t('wizard.autocomplete.entries', { count: formatNumber(file.entries, locale) }) : t('wizard.autocomplete.entriesUnknown')}
              {file.profile !== undefined ? ` · ${t('wizard.sources.profile', { profile: file.profile })}` : ''}
            </span>
            {file.problem !== undefined ? <span className="error-text small"> {file.problem}</span> : null}
          </span>
        </label>
      ))}
      {found.value?.platformSupported === true && lists.length === 0 ? <Note>{t('wizard.autocomplete.noneFound')}</Note> : null}
      <Field label={t('wizard.autocomplete.manualPath')} hint={t('wizard.autocomplete.manualPathHint')}>
        {(id, hint) => (
          <input
            id={id}
            aria-describedby={hint}
            placeholder="C:\Users\Ann\AppData\Roaming\Microsoft\Outlook\Outlook.NK2"
            value={source.autocompleteManual}
            onChange={(event) => set({ autocompleteManual: event.target.value })}
          />
        )}
      </Field>
    </fieldset>
  );
}
