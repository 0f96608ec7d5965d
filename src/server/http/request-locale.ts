// The language a tester answer is asked for: `?lang=`, else the Accept-Language header, else English.

import { localeFromAcceptLanguage, parseLocale } from '../../i18n/locale.js';
import type { Locale } from '../../i18n/locale.js';
import type { RequestContext } from './context.js';

/** The `Vary` header of an answer whose language follows the request (RFC 9110 §12.5.5). */
export const VARY_LANGUAGE: Readonly<Record<string, string>> = Object.freeze({ vary: 'Accept-Language' });

/**
 * The language of the hints (and summary) an answer carries: the first `lang` query parameter when it names a
 * language we have messages for (`zh-CN`, `zh-Hans`, `zh`, `en`, ...); otherwise the request's `Accept-Language`
 * (RFC 9110 §12.5.4: the acceptable range of highest weight that we have); otherwise English. An unknown `lang`
 * (`fr`, `zh-TW`) is not an error: the page passes the browser's choice on, and English is the fallback for any
 * language without messages, as for the header.
 *
 * @example
 * ```ts
 * requestLocale(ctx); // 'zh-CN' for ?lang=zh-CN, or for Accept-Language: zh-CN,zh;q=0.9
 * ```
 */
export function requestLocale(ctx: Pick<RequestContext, 'query' | 'req'>): Locale {
  const lang = ctx.query.get('lang')?.[0];
  const chosen = lang === undefined ? null : parseLocale(lang.slice(0, 64));
  if (chosen !== null) return chosen;
  const header = ctx.req.headers['accept-language'];
  return localeFromAcceptLanguage(typeof header === 'string' ? header : undefined);
}
