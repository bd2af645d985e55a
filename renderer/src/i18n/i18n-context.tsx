import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';

import { initialLanguage, languageStorageKey, localeOf, translate, type Language, type MessageKey, type Params } from './i18n.js';

export interface I18n {
  language: Language;
  locale: string;
  t: (key: MessageKey, params?: Params) => string;
  setLanguage: (language: Language) => void;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function readSaved(): string | null {
  try {
    return window.localStorage.getItem(languageStorageKey);
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => initialLanguage(readSaved(), navigator.languages ?? []));
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = language;
    return {
      language,
      locale: localeOf(language),
      t: (key, params) => translate(language, key, params),
      setLanguage: (next) => {
        try {
          window.localStorage.setItem(languageStorageKey, next);
        } catch {
          // Remembering is a convenience; the choice still applies now.
        }
        setLanguageState(next);
      },
    };
  }, [language]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === undefined) throw new Error('useI18n outside I18nProvider');
  return value;
}
