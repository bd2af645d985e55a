import { useEffect, useState } from 'react';

import { serviceCommands } from '../../electron/contract/index.js';
import { PromptDialog } from './components/prompt-dialog.js';
import { Dashboard } from './dashboard/dashboard.js';
import { I18nProvider, useI18n } from './i18n/i18n-context.js';
import { languages, isLanguage } from './i18n/i18n.js';
import type { ClientLookup } from './service/find-client.js';
import { ServiceProvider, useService } from './service/service-context.js';
import { Wizard } from './wizard/wizard.js';

const commandNames = Object.keys(serviceCommands);
type View = 'wizard' | 'dashboard';
const viewStorageKey = 'cloudward.view';

function readView(): View {
  try {
    return window.localStorage.getItem(viewStorageKey) === 'dashboard' ? 'dashboard' : 'wizard';
  } catch {
    return 'wizard';
  }
}

function LanguagePicker() {
  const { t, language, setLanguage } = useI18n();
  return (
    <div className="language">
      <label htmlFor="language-picker">{t('app.language')}</label>
      <select
        id="language-picker"
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {languages.map((entry) => (
          <option key={entry.code} value={entry.code} lang={entry.code}>
            {entry.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function Shell() {
  const { t } = useI18n();
  const { live, info } = useService();
  const [view, setView] = useState<View>(readView);
  useEffect(() => {
    try {
      window.localStorage.setItem(viewStorageKey, view);
    } catch {
      // Only a convenience.
    }
  }, [view]);
  const prompt = live.prompts[0];
  return (
    <>
      <a className="skip-link" href="#content">
        {t('app.skipToContent')}
      </a>
      <header className="topbar">
        <div className="brand">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
            <path d="M9 23h15a6 6 0 0 0 .6-11.97A8 8 0 0 0 9.2 13 5 5 0 0 0 9 23z" fill="#fff" opacity="0.95" />
            <path d="M16 12v8m0 0-3.5-3.5M16 20l3.5-3.5" stroke="#0b5cab" strokeWidth="2" fill="none" strokeLinecap="round" />
          </svg>
          <span>Cloudward</span>
        </div>
        <nav aria-label={t('app.navLabel')}>
          <button type="button" className="nav-tab" aria-current={view === 'wizard' ? 'page' : undefined} onClick={() => setView('wizard')}>
            {t('app.nav.wizard')}
          </button>
          <button type="button" className="nav-tab" aria-current={view === 'dashboard' ? 'page' : undefined} onClick={() => setView('dashboard')}>
            {t('app.nav.dashboard')}
          </button>
        </nav>
        <LanguagePicker />
      </header>
      <main id="content" tabIndex={-1}>
        {view === 'wizard' ? <Wizard /> : <Dashboard />}
      </main>
      <footer className="footer muted small">
        {info === undefined
          ? t('app.connecting')
          : t(info.host === 'electron' ? 'app.footer.desktop' : 'app.footer.browser', { version: info.version, ledger: info.ledger })}
      </footer>
      {prompt !== undefined ? <PromptDialog key={prompt.promptId} prompt={prompt} /> : null}
    </>
  );
}

function NoToken() {
  const { t } = useI18n();
  return (
    <main id="content" className="narrow">
      <div className="card">
        <h1>{t('app.noToken.title')}</h1>
        <p>{t('app.noToken.body')}</p>
        <pre className="command">cloudward ui</pre>
      </div>
    </main>
  );
}

export function App({ lookup }: { lookup: ClientLookup }) {
  return (
    <I18nProvider>
      {lookup.kind === 'ready' ? (
        <ServiceProvider client={lookup.client} commands={commandNames}>
          <Shell />
        </ServiceProvider>
      ) : (
        <NoToken />
      )}
    </I18nProvider>
  );
}
