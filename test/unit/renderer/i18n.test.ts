import { describe, expect, it } from 'vitest';

import { en } from '../../../renderer/src/i18n/en.js';
import { fr } from '../../../renderer/src/i18n/fr.js';
import { initialLanguage, languages, translate } from '../../../renderer/src/i18n/i18n.js';
import { nl } from '../../../renderer/src/i18n/nl.js';

const endUser = /^(app|common|wizard|prompt|provider|error)\./;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('the i18n layer', () => {
  for (const [code, dictionary] of [['nl', nl], ['fr', fr]] as const) {
    it(`${code}: every end-user string is translated, non-empty, with the same placeholders as English`, () => {
      const missing = Object.keys(en).filter((key) => endUser.test(key) && !(key in dictionary));
      expect(missing).toEqual([]);
      for (const [key, text] of Object.entries(dictionary)) {
        expect(key in en, `${code} has a key English does not: ${key}`).toBe(true);
        expect(text.trim(), key).not.toBe('');
        expect(placeholders(text), key).toEqual(placeholders(en[key as keyof typeof en]));
      }
    });

    it(`${code}: is really another language (no English left in the wizard)`, () => {
      const untranslated = Object.entries(dictionary).filter(
        ([key, text]) => key.startsWith('wizard.') && text === en[key as keyof typeof en] && !/^\{|^Microsoft 365$|^Port$|^Item$|^Server$|^Pause$/.test(text),
      );
      expect(untranslated).toEqual([]);
    });
  }

  it('names each language in itself', () => {
    expect(languages.map((language) => language.name)).toEqual(['English', 'Nederlands', 'Français']);
  });

  it('fills placeholders, formats numbers per language, and falls back to English for technician screens', () => {
    expect(translate('en', 'wizard.done.pending', { count: 12345 })).toBe('12,345 items are still to do.');
    expect(translate('nl', 'wizard.done.pending', { count: 12345 })).toBe('Er zijn nog 12.345 items te doen.');
    expect(translate('fr', 'wizard.done.pending', { count: 12345 })).toBe('Il reste 12\u202f345 éléments à faire.');
    expect(translate('nl', 'dashboard.jobs.title')).toBe(en['dashboard.jobs.title']);
  });

  it('remembers a choice, else follows the browser, else English', () => {
    expect(initialLanguage('fr', ['nl-BE'])).toBe('fr');
    expect(initialLanguage(null, ['de-DE', 'nl-BE'])).toBe('nl');
    expect(initialLanguage('xx', ['de'])).toBe('en');
  });
});
