// The resolve command's renderers: the resolution text and JSON live in report/ (shared with `check`); --trace adds cache notes.

import type { CacheAnswerInfo } from '../cache/types.js';
import { DEFAULT_LOCALE, localize, type Locale } from '../i18n/index.js';
import { resolveJson, resolutionWords, resolveText as resolutionText } from '../report/resolution.js';
import { RESOLUTION_TEXTS } from '../resolver/describe-texts.js';
import type { ResolveResult } from '../resolver/types.js';

export { resolveJson };

/** Options of {@link resolveText}. */
export interface ResolveTextOptions {
  /** The language of the words [en]: step descriptions, statuses, the well-known outcome, the cache notes. */
  readonly locale?: Locale;
}

/**
 * The resolution as text (see the report's `resolveText`), in `options.locale`. With `withTrace`, each step whose
 * answer went through a cache says so at the end of its line: `[cache hit, 12 s old]`, `[stale cache hit, ...]`,
 * or `[fetched, cached 5 min]`. The JSON form carries the same facts in each trace entry's `cache`.
 *
 * @example
 * ```ts
 * io.stdout(resolveText(await resolveServerName(name, { cache }), true, { locale: 'zh-CN' }));
 * ```
 */
export function resolveText(result: ResolveResult, withTrace: boolean, options: ResolveTextOptions = {}): string {
  const locale = options.locale ?? DEFAULT_LOCALE;
  if (!withTrace || !result.trace.some((entry) => entry.cache !== undefined))
    return resolutionText(result, withTrace, { locale });
  const words = resolutionWords(result, locale);
  const reasons = result.trace.map((entry, i) => {
    const reason = words.reasons[i] ?? entry.reason;
    return entry.cache ? `${reason} [${cacheWords(entry.cache, locale)}]` : reason;
  });
  return resolutionText(result, true, { ...words, reasons, locale });
}

/**
 * `cache hit, 12 s old`, `stale cache hit, 2 h old`, `fetched, cached 5 min`, or `fetched, not cached`, in `locale`
 * (English by default).
 */
export function cacheWords(info: CacheAnswerInfo, locale: Locale = DEFAULT_LOCALE): string {
  const t = localize(RESOLUTION_TEXTS, locale);
  if (info.hit) return t(info.stale ? 'cache.staleHit' : 'cache.hit', { age: formatAge(info.ageMs, locale) });
  if (info.storedAt !== undefined && info.validUntil !== undefined)
    return t('cache.fetched', { lifetime: formatAge(info.validUntil - info.storedAt, locale) });
  return t('cache.notCached');
}

/** `850 ms`, `42 s`, `17 min`, `5 h`, `2 d`: the largest unit that keeps a number of at least 1 (2 for minutes and up). */
function formatAge(ms: number, locale: Locale): string {
  const t = localize(RESOLUTION_TEXTS, locale);
  const seconds = ms / 1000;
  if (seconds < 1) return t('age.ms', { n: Math.max(0, Math.round(ms)) });
  if (seconds < 120) return t('age.s', { n: Math.round(seconds) });
  if (seconds < 2 * 3600) return t('age.min', { n: Math.round(seconds / 60) });
  if (seconds < 2 * 86_400) return t('age.h', { n: Math.round(seconds / 3600) });
  return t('age.d', { n: Math.round(seconds / 86_400) });
}
