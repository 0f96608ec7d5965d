// The resolve command's renderers: the resolution text and JSON live in report/ (shared with `check`); --trace adds cache notes.

import type { CacheAnswerInfo } from '../cache/types.js';
import { resolveJson, resolveText as resolutionText } from '../report/resolution.js';
import type { ResolveResult } from '../resolver/types.js';

export { resolveJson };

/**
 * The resolution as text (see the report's `resolveText`). With `withTrace`, each step whose answer went through a
 * cache says so at the end of its line: `[cache hit, 12 s old]`, `[stale cache hit, ...]`, or `[fetched, cached
 * 5 min]`. The JSON form carries the same facts in each trace entry's `cache`.
 *
 * @example
 * ```ts
 * io.stdout(resolveText(await resolveServerName(name, { cache }), true));
 * ```
 */
export function resolveText(result: ResolveResult, withTrace: boolean): string {
  if (!withTrace || !result.trace.some((entry) => entry.cache !== undefined)) return resolutionText(result, withTrace);
  const trace = result.trace.map((entry) =>
    entry.cache ? { ...entry, reason: `${entry.reason} [${cacheWords(entry.cache)}]` } : entry,
  );
  return resolutionText(
    {
      serverName: result.serverName,
      parsed: result.parsed,
      wellKnown: result.wellKnown,
      targets: result.targets,
      trace,
      error: result.error,
    },
    true,
  );
}

/** `cache hit, 12 s old`, `stale cache hit, 2 h old`, `fetched, cached 5 min`, or `fetched, not cached`. */
export function cacheWords(info: CacheAnswerInfo): string {
  if (info.hit) return `${info.stale ? 'stale cache hit' : 'cache hit'}, ${formatAge(info.ageMs)} old`;
  if (info.storedAt !== undefined && info.validUntil !== undefined)
    return `fetched, cached ${formatAge(info.validUntil - info.storedAt)}`;
  return 'fetched, not cached';
}

/** `850 ms`, `42 s`, `17 min`, `5 h`, `2 d`: the largest unit that keeps a number of at least 1 (2 for minutes and up). */
function formatAge(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 1) return `${Math.max(0, Math.round(ms))} ms`;
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
