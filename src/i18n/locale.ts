// The languages a person can read the output in, and how one is chosen: a flag, the environment, Accept-Language.

/** The languages of the messages. English is the default and the fallback for every other language. */
export const LOCALES = ['en', 'zh-CN'] as const;

/** A language of the messages. */
export type Locale = (typeof LOCALES)[number];

/** The default, and the fallback for a language without messages. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * The locale a language tag or a POSIX locale name stands for, or null when it is none of ours.
 *
 * Accepted: BCP 47 tags (`zh-CN`, `zh-Hans`, `zh-Hans-CN`, `zh`, `en-GB`), POSIX locale names (`zh_CN.UTF-8`,
 * `zh_CN`, `en_US.utf8@euro`), case-insensitive. Simplified Chinese is `zh` with the Hans script or a region that
 * writes it (CN, SG, MY); `zh-TW`, `zh-HK`, `zh-MO` and `zh-Hant` are Traditional Chinese, which has no messages yet:
 * null (English). `C` and `POSIX` are English.
 *
 * @example
 * ```ts
 * parseLocale('zh_CN.UTF-8'); // 'zh-CN'
 * parseLocale('zh-Hant-TW'); // null
 * ```
 */
export function parseLocale(tag: string): Locale | null {
  const trimmed = tag.trim();
  if (trimmed === '') return null;
  // POSIX: language[_territory][.codeset][@modifier].
  const name = trimmed.replace(/[.@].*$/, '');
  if (/^(c|posix)$/i.test(name)) return 'en';
  const parts = name.split(/[-_]/).map((part) => part.toLowerCase());
  const language = parts[0];
  if (language === 'en') return 'en';
  if (language !== 'zh') return null;
  const rest = parts.slice(1);
  if (rest.includes('hant')) return null;
  if (rest.includes('hans')) return 'zh-CN';
  const region = rest.find((part) => /^[a-z]{2}$/.test(part));
  if (region === undefined) return 'zh-CN';
  return ['cn', 'sg', 'my'].includes(region) ? 'zh-CN' : null;
}

/**
 * The locale of a command line's environment, as gettext reads it: the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
 * that is set and not empty decides; a language without messages (or an unset environment) gives English.
 *
 * @example
 * ```ts
 * localeFromEnvironment({ LANG: 'zh_CN.UTF-8' }); // 'zh-CN'
 * localeFromEnvironment({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }); // 'en'
 * ```
 */
export function localeFromEnvironment(env: Readonly<Record<string, string | undefined>>): Locale {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value !== undefined && value !== '') return parseLocale(value) ?? DEFAULT_LOCALE;
  }
  return DEFAULT_LOCALE;
}

/** At most this many ranges of an Accept-Language header are read (a hostile header can be long). */
const MAX_LANGUAGE_RANGES = 32;

/**
 * The locale an HTTP `Accept-Language` header asks for (RFC 9110 §12.5.4): the acceptable ranges by weight, the
 * first with messages wins; none (or no header) gives English. `q=0` means "not acceptable".
 *
 * @example
 * ```ts
 * localeFromAcceptLanguage('fr-FR, zh-CN;q=0.8, en;q=0.5'); // 'zh-CN'
 * ```
 */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (header === undefined) return DEFAULT_LOCALE;
  const ranges = header
    .split(',', MAX_LANGUAGE_RANGES)
    .map((part, index) => {
      const [range = '', ...params] = part.split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find((m) => m !== null);
      return { range: range.trim(), weight: q ? Number(q[1]) : 1, index };
    })
    .filter((r) => r.range !== '' && r.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { range } of ranges) {
    if (range === '*') return DEFAULT_LOCALE;
    const locale = parseLocale(range);
    if (locale !== null) return locale;
  }
  return DEFAULT_LOCALE;
}
