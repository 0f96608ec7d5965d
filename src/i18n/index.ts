// Languages of the human output: locale choice, typed message catalogues, Intl formatters, completeness checks.

export { DEFAULT_LOCALE, LOCALES, localeFromAcceptLanguage, localeFromEnvironment, parseLocale } from './locale.js';
export type { Locale } from './locale.js';
export { formattersFor, localize } from './messages.js';
export type {
  Catalogue,
  Formatters,
  Localized,
  Message,
  MessageParams,
  PluralForms,
  Translation,
  Translations,
} from './messages.js';
export { checkTranslations } from './completeness.js';
export type { MessageExamples, TranslationProblem } from './completeness.js';
