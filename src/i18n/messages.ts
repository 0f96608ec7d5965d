// Message catalogues: typed functions per message, one catalogue per language, checked against English by the compiler.

import { DEFAULT_LOCALE, type Locale } from './locale.js';

/**
 * What a message may use to format its values in its own language (all through `Intl`): lists, numbers, dates,
 * durations and plurals.
 */
export interface Formatters {
  readonly locale: Locale;
  /** `a, b and c` / `a、b和c` (`'or'`: `a, b or c` / `a、b或c`). */
  list(items: readonly string[], kind?: 'and' | 'or'): string;
  /** `12,345` in the language's digits and grouping. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
  /** A date and time, UTC unless told otherwise. */
  date(value: Date | number, options?: Intl.DateTimeFormatOptions): string;
  /** The plural form of `count` in this language, e.g. `plural(n, { one: 'address', other: 'addresses' })`. */
  plural(count: number, forms: PluralForms): string;
}

/** The plural forms of a message: `other` always, the language's other categories where it has them. */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { readonly other: string };

/**
 * One message: a function of its named placeholders (an object, or nothing) and the formatters. A message without
 * placeholders may be a plain string.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each message declares its own parameter type
export type Message = string | ((params: any, format: Formatters) => string);

/** A catalogue: message keys to messages. */
export type Catalogue = Readonly<Record<string, Message>>;

/**
 * The same messages in another language: every key of the English catalogue, each taking the same parameters.
 * The compiler refuses a missing key and a parameter the English message does not have.
 */
export type Translation<C extends Catalogue> = { readonly [K in keyof C]: C[K] };

/** A catalogue's messages in every language. */
export type Translations<C extends Catalogue> = { readonly en: C } & {
  readonly [L in Exclude<Locale, 'en'>]: Translation<C>;
};

/** The parameters a message takes (nothing for a plain string or a function without parameters). */
export type MessageParams<M> = M extends (params: infer P, format: Formatters) => string
  ? unknown extends P
    ? []
    : [params: P]
  : [];

/** A catalogue bound to one language: `text('key', { ...params })` gives the string. */
export type Localized<C extends Catalogue> = <K extends keyof C & string>(
  key: K,
  ...params: MessageParams<C[K]>
) => string;

const formattersByLocale = new Map<Locale, Formatters>();

/** The formatters of a language (built once per language). */
export function formattersFor(locale: Locale): Formatters {
  let known = formattersByLocale.get(locale);
  if (known === undefined) {
    // Each Intl object is made on first use: the first one of a process loads ICU's data for the language, several
    // milliseconds that a command printing no list, plural or number (resolve --json) must not pay at start-up.
    let and: Intl.ListFormat | undefined;
    let or: Intl.ListFormat | undefined;
    let plurals: Intl.PluralRules | undefined;
    known = {
      locale,
      list: (items, kind = 'and') =>
        kind === 'or'
          ? (or ??= new Intl.ListFormat(locale, { type: 'disjunction' })).format(items)
          : (and ??= new Intl.ListFormat(locale, { type: 'conjunction' })).format(items),
      number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
      date: (value, options) =>
        new Intl.DateTimeFormat(locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: 'UTC',
          ...options,
        }).format(value),
      plural: (count, forms) => forms[(plurals ??= new Intl.PluralRules(locale)).select(count)] ?? forms.other,
    };
    formattersByLocale.set(locale, known);
  }
  return known;
}

/**
 * Binds a catalogue's translations to one language. A language without its own catalogue uses English.
 *
 * @example
 * ```ts
 * const en = { greeting: (p: { name: string }) => `Hello, ${p.name}` } satisfies Catalogue;
 * const zhCN: Translation<typeof en> = { greeting: (p) => `你好，${p.name}` };
 * const text = localize({ en, 'zh-CN': zhCN }, 'zh-CN');
 * text('greeting', { name: 'Alice' }); // '你好，Alice'
 * ```
 */
export function localize<C extends Catalogue>(translations: Translations<C>, locale: Locale): Localized<C> {
  const catalogue: Catalogue = translations[locale] ?? translations[DEFAULT_LOCALE];
  const format = formattersFor(locale);
  return ((key: string, params?: unknown) => {
    const message = catalogue[key] ?? translations[DEFAULT_LOCALE][key];
    if (message === undefined) throw new Error(`no message ${key}`);
    return typeof message === 'string' ? message : message(params, format);
  }) as Localized<C>;
}
