import { Busy, ErrorNote, Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useCommand, useService } from '../service/service-context.js';
import { formatBytes, formatDateTime } from '../state/format.js';

/**
 * The Outlook data files found on this PC (outlook:discover: known folders and every Outlook profile).
 * Where there is no Outlook to find (browser mode on Linux, a Mac) it says so, and the hand-picked
 * path below is the way.
 */
export function DiscoveredFiles(props: { selected: string[]; onChange: (files: string[]) => void }) {
  const { t, locale } = useI18n();
  const { has } = useService();
  const available = has('outlook:discover');
  const found = useCommand('outlook:discover', available ? {} : undefined, []);
  if (!available) {
    return (
      <Note>
        <strong>{t('wizard.sources.discoveryUnavailable')}</strong> {t('wizard.sources.discoveryLater')}
      </Note>
    );
  }
  if (found.result.state === 'loading' && found.value === undefined) return <Busy label={t('wizard.sources.looking')} />;
  if (found.result.state === 'error') return <ErrorNote error={found.result.error} />;
  const result = found.value;
  if (result === undefined) return null;
  if (!result.platformSupported) {
    return (
      <Note>
        <strong>{t('wizard.sources.discoveryUnavailable')}</strong> {t('wizard.sources.discoveryNotWindows')}
      </Note>
    );
  }
  const dataFiles = result.files.filter((file) => file.kind === 'pst' || file.kind === 'ost');
  if (dataFiles.length === 0) return <Note>{t('wizard.sources.noneFound')}</Note>;
  const toggle = (path: string, on: boolean) => props.onChange(on ? [...props.selected, path] : props.selected.filter((entry) => entry !== path));
  return (
    <fieldset className="found-files">
      <legend>{t('wizard.sources.found', { count: dataFiles.length })}</legend>
      {dataFiles.map((file) => (
        <label key={file.path} className="check found-file">
          <input type="checkbox" checked={props.selected.includes(file.path)} disabled={file.problem !== undefined} onChange={(event) => toggle(file.path, event.target.checked)} />
          <span>
            <strong>{file.path}</strong>
            <span className="muted small">
              {' '}
              {file.kind.toUpperCase()} · {formatBytes(file.bytes, locale)} · {t('wizard.sources.modified', { date: formatDateTime(file.modified, locale) })}
              {file.profile !== undefined ? ` · ${t('wizard.sources.profile', { profile: file.profile })}` : ''}
            </span>
            {file.problem !== undefined ? <span className="error-text small"> {file.problem}</span> : null}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
