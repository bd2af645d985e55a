import { Note } from '../components/widgets.js';
import { useI18n } from '../i18n/i18n-context.js';
import { useService } from '../service/service-context.js';

/**
 * The Outlook data files found on this PC (discovery room). Until that room's commands are in the
 * contract, and wherever there is no Outlook to find (browser mode on Linux), it says so and the
 * hand-picked path below is the way.
 */
export function DiscoveredFiles(props: { selected: string[]; onChange: (files: string[]) => void; platform: string | undefined; host: string | undefined }) {
  const { t } = useI18n();
  const { has } = useService();
  const available = has('discovery:scan');
  if (!available) {
    return (
      <Note>
        <strong>{t('wizard.sources.discoveryUnavailable')}</strong> {t(props.platform === 'win32' ? 'wizard.sources.discoveryLater' : 'wizard.sources.discoveryNotWindows')}
      </Note>
    );
  }
  return null;
}
