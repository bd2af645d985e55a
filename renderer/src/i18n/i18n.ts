import { en } from './en.js';
import { fr } from './fr.js';
import { nl } from './nl.js';

/**
 * The one i18n layer. English is the reference dictionary: its keys are the type every `t()` call
 * is checked against. Dutch and French must cover every key of the end-user wizard (the type of
 * their dictionaries says so, so a missing string fails the typecheck); technician-only screens fall
 * back to English where they are not translated yet.
 */
export type MessageKey = keyof typeof en;
/** Keys an end user meets: shell, wizard, prompts, shared words. */
export type EndUserKey = Extract<MessageKey, `app.${string}` | `common.${string}` | `wizard.${string}` | `prompt.${string}` | `provider.${string}` | `error.${string}`>;
export type Dictionary = Record<EndUserKey, string> & Partial<Record<MessageKey, string>>;

export const languages = [
  { code: 'en', name: 'English', locale: 'en-GB' },
  { code: 'nl', name: 'Nederlands', locale: 'nl-BE' },
  { code: 'fr', name: 'Français', locale: 'fr-BE' },
] as const;
export type Language = (typeof languages)[number]['code'];

const dictionaries: Record<Language, Dictionary> = { en, nl, fr };

export type Params = Record<string, string | number>;

export function isLanguage(value: unknown): value is Language {
  return languages.some((language) => language.code === value);
}

export function localeOf(language: Language): string {
  return languages.find((entry) => entry.code === language)?.locale ?? 'en-GB';
}

/** `{name}` placeholders are filled from params; numbers in the reader's format. */
export function translate(language: Language, key: MessageKey, params?: Params): string {
  const text = dictionaries[language][key] ?? en[key];
  if (params === undefined) return text;
  const locale = localeOf(language);
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? new Intl.NumberFormat(locale).format(value) : value;
  });
}

export const languageStorageKey = 'cloudward.language';

/** The remembered choice, else the first of the browser's languages we speak, else English. */
export function initialLanguage(saved: string | null | undefined, preferred: readonly string[]): Language {
  if (isLanguage(saved)) return saved;
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}
