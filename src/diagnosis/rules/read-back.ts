// Reads a check's English problem sentence back into its values, through a catalogue message that writes it.

import {
  formattersFor,
  localize,
  type Catalogue,
  type Locale,
  type Translation,
  type Translations,
} from '../../i18n/index.js';

/** The names of a message's placeholders (none for a plain string or a message without parameters). */
export type PlaceholderNames<M> = M extends (params: infer P, ...rest: never[]) => string
  ? unknown extends P
    ? readonly []
    : readonly (keyof P & string)[]
  : readonly [];

/** One sentence read back: the message that writes it and its values (strings, as read). */
export interface ReadBack<C extends Catalogue> {
  readonly key: keyof C & string;
  readonly params: Readonly<Record<string, string>>;
}

/** Reads a sentence with the messages `keys` (in that order): the first that writes it again wins. */
export type SentenceReader<C extends Catalogue> = (
  sentence: string,
  keys: readonly (keyof C & string)[],
) => ReadBack<C> | null;

// Marks a placeholder while a message is turned into a pattern: a character no message or sentence contains.
const MARK = '\u0000';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function render(message: Catalogue[string], params: Readonly<Record<string, string>>): string {
  return typeof message === 'string' ? message : message(params, formattersFor('en'));
}

/**
 * The pattern of one message: its English text with each placeholder a lazy group (a placeholder shown twice is a
 * back reference the second time), anchored at both ends.
 */
function patternOf(message: Catalogue[string], names: readonly string[]): { regex: RegExp; order: string[] } {
  const sample = Object.fromEntries(names.map((name, i) => [name, `${MARK}${i}${MARK}`]));
  const parts = render(message, sample).split(new RegExp(`${MARK}(\\d+)${MARK}`));
  const order: string[] = [];
  let source = '^';
  parts.forEach((part, i) => {
    if (i % 2 === 0) {
      source += escapeRegExp(part);
      return;
    }
    const name = names[Number(part)] ?? '';
    const seen = order.indexOf(name);
    if (seen >= 0) source += `\\${seen + 1}`;
    else {
      order.push(name);
      source += '([\\s\\S]*?)';
    }
  });
  return { regex: new RegExp(`${source}$`), order };
}

/**
 * A reader of the English sentences that the messages of `en` write, each message listed with the names of its
 * placeholders (string values only). A sentence is read back only when the message, given the values read, writes
 * it again byte for byte; otherwise (a sentence cut by the report's bounds, one worded differently by another
 * version of the checker) the reader gives null, and the caller shows the sentence as it is.
 *
 * Why: the check report keeps its problems as English sentences (the report's data, the same in every language);
 * a hint says them again in the reader's language from the values they carry, and a cached report can be
 * diagnosed again in another language.
 *
 * @example
 * ```ts
 * const read = sentenceReader({ status: (p: { url: string; status: string }) => `${p.url} answered ${p.status}` },
 *   { status: ['url', 'status'] });
 * read('https://a.example answered 500', ['status']); // { key: 'status', params: { url: 'https://a.example', status: '500' } }
 * ```
 */
export function sentenceReader<C extends Catalogue>(
  en: C,
  placeholders: { readonly [K in keyof C]: PlaceholderNames<C[K]> },
): SentenceReader<C> {
  const patterns = new Map<string, { regex: RegExp; order: string[] }>();
  return (sentence, keys) => {
    for (const key of keys) {
      let pattern = patterns.get(key);
      if (pattern === undefined) {
        pattern = patternOf(en[key] as Catalogue[string], placeholders[key] as readonly string[]);
        patterns.set(key, pattern);
      }
      const match = pattern.regex.exec(sentence);
      if (match === null) continue;
      const params = Object.fromEntries(pattern.order.map((name, i) => [name, match[i + 1] ?? '']));
      if (render(en[key] as Catalogue[string], params) === sentence) return { key, params };
    }
    return null;
  };
}

/** A sentence read back, said in `locale` by the same message of `translations` with the values read. */
export function sayAgain<C extends Catalogue>(
  translations: Translations<C>,
  locale: Locale,
  read: ReadBack<C>,
): string {
  const say = localize(translations, locale) as unknown as (
    key: string,
    params: Readonly<Record<string, string>>,
  ) => string;
  return say(read.key, read.params);
}

/** What a hint says for a sentence of the check that no form reads: the check's words, marked as such in another language. */
const unreadEn = { unread: (p: { sentence: string }) => p.sentence } satisfies Catalogue;
const unreadZh: Translation<typeof unreadEn> = { unread: (p) => `检查结果（原文）：${p.sentence}` };

/** The marking of a sentence no form reads, in every language. */
export const UNREAD_TEXTS: Translations<typeof unreadEn> = { en: unreadEn, 'zh-CN': unreadZh };

/**
 * A sentence of the check that no form reads (cut by the report's bounds, worded by another version), shown as it is
 * and marked as the check's own words in `locale` (检查结果（原文）: CONTRIBUTING "Languages").
 */
export function unreadWords(sentence: string, locale: Locale): string {
  return localize(UNREAD_TEXTS, locale)('unread', { sentence });
}
