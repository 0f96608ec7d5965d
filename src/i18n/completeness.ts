// Checks a catalogue's translations against English: every key, the same placeholders, no message left in English.

import { LOCALES, type Locale } from './locale.js';
import { formattersFor, type Catalogue, type MessageParams, type Translations } from './messages.js';

/** Example parameters for every message that takes some: what the completeness check renders each message with. */
export type MessageExamples<C extends Catalogue> = {
  readonly [K in keyof C as MessageParams<C[K]> extends [] ? never : K]: MessageParams<C[K]>[0];
};

/** One problem {@link checkTranslations} found. */
export interface TranslationProblem {
  readonly locale: Locale;
  readonly key: string;
  readonly problem: string;
}

/** Han characters: a Chinese message without one was left in English (or is only a code or a value). */
const HAN = /\p{Script=Han}/u;

/** Every string leaf of an example's parameters (array items, object values, at any depth). */
function stringLeaves(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string' && value.length >= 3) into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, into);
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) stringLeaves(item, into);
  return into;
}

/**
 * The problems of a catalogue's translations, rendered with `examples`: a key missing in a language, a message that
 * throws, a placeholder value shown in one language and not in the other (every string of at least 3 characters in
 * the examples that the English message shows must be shown by each translation, and the other way round), and a
 * Chinese message with no Han character (left in English). `untranslated` lists keys that are the same in every
 * language on purpose (a code, a unit): they are exempt from the last check.
 *
 * Make the example strings distinct, so that each one stands for one placeholder.
 *
 * @example
 * ```ts
 * expect(checkTranslations(HINT_MESSAGES, HINT_EXAMPLES)).toEqual([]);
 * ```
 */
export function checkTranslations<C extends Catalogue>(
  translations: Translations<C>,
  examples: MessageExamples<C>,
  untranslated: readonly (keyof C & string)[] = [],
): TranslationProblem[] {
  const problems: TranslationProblem[] = [];
  const english = translations.en;
  const render = (locale: Locale, key: string): string | null => {
    const message = (translations[locale] as Catalogue)[key];
    if (message === undefined) {
      problems.push({ locale, key, problem: 'missing' });
      return null;
    }
    if (typeof message === 'string') return message;
    try {
      return message((examples as Record<string, unknown>)[key], formattersFor(locale));
    } catch (error) {
      problems.push({ locale, key, problem: `throws with the example parameters: ${(error as Error).message}` });
      return null;
    }
  };
  for (const locale of LOCALES) {
    const catalogue = translations[locale] as Catalogue;
    for (const key of Object.keys(catalogue)) {
      if (!(key in english)) problems.push({ locale, key, problem: 'not in the English catalogue' });
    }
  }
  for (const key of Object.keys(english)) {
    const reference = render('en', key);
    const leaves = [...stringLeaves((examples as Record<string, unknown>)[key])];
    for (const locale of LOCALES) {
      if (locale === 'en') continue;
      const text = render(locale, key);
      if (text === null || reference === null) continue;
      for (const leaf of leaves) {
        const inEnglish = reference.includes(leaf);
        if (inEnglish !== text.includes(leaf)) {
          problems.push({
            locale,
            key,
            problem: inEnglish
              ? `does not show ${JSON.stringify(leaf)}`
              : `shows ${JSON.stringify(leaf)}, English does not`,
          });
        }
      }
      if (locale === 'zh-CN' && !HAN.test(text) && !untranslated.includes(key as keyof C & string)) {
        problems.push({ locale, key, problem: `no Chinese in ${JSON.stringify(text)}` });
      }
    }
  }
  return problems;
}
