// The tester's short-lived cache of finished checks, keyed by server name.

import { LRUCache } from 'lru-cache';
import type { CheckReport } from '../../checker/types.js';

/** At most this many results are kept, whatever their age: bounds the memory a stream of names can take. */
export const RESULT_CACHE_MAX_ENTRIES = 1000;

/** A cached check with the time it finished. */
export interface CachedCheck {
  readonly report: CheckReport;
  /** `Date.now()` when the check finished. */
  readonly finishedAt: number;
}

/** The cache: get and set by the server name exactly as asked (server names are case-sensitive, spec appendix). */
export interface ResultCache {
  get(serverName: string): CachedCheck | undefined;
  set(serverName: string, entry: CachedCheck): void;
  clear(): void;
  readonly size: number;
}

/**
 * Creates the cache: entries live `ttlSeconds` (0 disables caching) in an LRU of
 * {@link RESULT_CACHE_MAX_ENTRIES} entries. A check that ended in an error (an exception, not a bad verdict) is
 * never cached by the caller.
 *
 * @example
 * ```ts
 * const cache = createResultCache(60);
 * cache.set('example.com', { report, finishedAt: Date.now() });
 * cache.get('example.com')?.report.federationOk;
 * ```
 */
export function createResultCache(ttlSeconds: number, maxEntries: number = RESULT_CACHE_MAX_ENTRIES): ResultCache {
  if (ttlSeconds <= 0) {
    return { get: () => undefined, set: () => undefined, clear: () => undefined, size: 0 };
  }
  // ttlAutopurge is off: expired entries are dropped when read or evicted, without a timer per entry.
  const lru = new LRUCache<string, CachedCheck>({ max: maxEntries, ttl: ttlSeconds * 1000 });
  return {
    get: (name) => lru.get(name),
    set: (name, entry) => {
      lru.set(name, entry);
    },
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
  };
}
