// A client or support document problem's sentence read back and said in a language, its nested fetch error too.

import type { Locale } from '../../i18n/index.js';
import {
  CLIENT_PROBLEM_TEXTS,
  SUPPORT_PROBLEM_TEXTS,
  readClientProblem,
  readSupportProblem,
} from './document-problems-texts.js';
import { errorWords } from './error-words.js';
import { sayAgain } from './read-back.js';

/** The forms whose `detail` or `error` is a fetch's or a body's error sentence (src/net, src/well-known, ...). */
const FETCH_ERROR_FORMS: ReadonlySet<string> = new Set([
  'fetchFailed',
  'invalidJson',
  'versionsNoAnswer',
  'identityNoAnswer',
  'versionsNotJson',
  'preflightNoAnswer',
]);

/** A problem read back, its nested error sentence said in `locale` too (Node's words in it marked as such). */
function withErrorWords<R extends { readonly key: string; readonly params: Readonly<Record<string, string>> }>(
  read: R,
  cause: string | null,
  locale: Locale,
): R {
  if (!FETCH_ERROR_FORMS.has(read.key)) return read;
  const params = { ...read.params };
  for (const name of ['detail', 'error'])
    if (params[name] !== undefined) params[name] = errorWords(cause, params[name], locale);
  return { ...read, params };
}

/**
 * A client or support document problem's sentence said again in `locale` from the values read back out of it (a
 * fetch error inside it through `errorWords`; `cause` is the problem's network code), or null when no form of its
 * code writes it (the caller shows it marked as the check's words). The hints (documents.ts) and the report's text and
 * page (problem-words.ts) both say document problems through it.
 */
export function documentProblemWords(
  kind: 'client' | 'support',
  code: string,
  message: string,
  cause: string | null,
  locale: Locale,
): string | null {
  if (kind === 'client') {
    const read = readClientProblem(code, message);
    return read === null ? null : sayAgain(CLIENT_PROBLEM_TEXTS, locale, withErrorWords(read, cause, locale));
  }
  const read = readSupportProblem(code, message);
  return read === null ? null : sayAgain(SUPPORT_PROBLEM_TEXTS, locale, withErrorWords(read, cause, locale));
}
