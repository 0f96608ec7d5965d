// The tester's short-lived cache of finished checks, kept in a CacheStore (memory, or Redis shared by instances).

import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CacheStore } from '../../cache/types.js';
import type { CheckOptions, CheckReport } from '../../checker/types.js';
import { isJsonObject } from '../../net/json-body.js';
import { VERSION } from '../../version.js';

/**
 * The version of the stored form ({@link encodeCachedCheck}). Part of every key with the package version, so that
 * instances of another version sharing one Redis during a rolling upgrade never read each other's reports.
 */
export const RESULT_CACHE_FORMAT = 1;

/** A cached check with the time it finished. */
export interface CachedCheck {
  readonly report: CheckReport;
  /** `Date.now()` when the check finished (on the instance that ran it). */
  readonly finishedAt: number;
}

/** Why a stored value was not used; see {@link ResultCacheOptions.onProblem}. */
export interface ResultCacheProblem {
  /** The store key (without the Redis store's own prefix). */
  readonly key: string;
  /** `invalid-value`: not a result of this format for this name (corrupt, or written by something else); `store-failed`: the store threw. */
  readonly reason: 'invalid-value' | 'store-failed';
  readonly error?: unknown;
}

/** Options of {@link createResultCache}. */
export interface ResultCacheOptions {
  /** Where the entries live. The cache never closes it: its creator does. */
  readonly store: CacheStore;
  /** How long a result is reused; 0 disables the cache (the store is not touched). */
  readonly ttlSeconds: number;
  /** What the results depend on besides the name ({@link resultCacheScope}); part of every key. */
  readonly scope: string;
  /** The clock the age of an entry is measured by [Date.now]. */
  readonly now?: () => number;
  /** Told about every stored value that was treated as a miss, and every store failure (for a log line). */
  readonly onProblem?: (problem: ResultCacheProblem) => void;
}

/**
 * Decoded results kept per cache: at most this many names, and at most {@link DECODED_MAX_BYTES} by the size
 * estimate of {@link decodedSize}. A hit on one of them costs no JSON parsing and, with `report-bodies.ts`, no
 * serialising either: every answer sends the same bytes.
 */
export const DECODED_MAX_ENTRIES = 100;

/** See {@link DECODED_MAX_ENTRIES}: 32 MiB. */
export const DECODED_MAX_BYTES = 32 * 1024 * 1024;

/**
 * What a decoded result is counted as: its stored text (shared with a memory store, not copied) times four, for the
 * parsed report (a JS object takes two to three times its JSON) and the answers serialised from it.
 */
function decodedSize(text: string): number {
  return Math.max(1, text.length * 4);
}

/** The cache: get and set by the server name exactly as asked (server names are case-sensitive, spec appendix). */
export interface ResultCache {
  /** The scope of every key this cache reads and writes. */
  readonly scope: string;
  readonly ttlSeconds: number;
  /**
   * The result for `serverName`, or undefined: none, older than `ttlSeconds`, unreadable, or the store failed.
   * While the store holds the same value, every call returns the same object (decoded once): answers serialised
   * from its report can be kept with it (see `report-bodies.ts`).
   */
  get(serverName: string): Promise<CachedCheck | undefined>;
  /** Stores a result for `ttlSeconds`; a store failure only loses the entry. Never rejects. */
  set(serverName: string, entry: CachedCheck): Promise<void>;
}

/**
 * The key of a result in the store: the format, the scope and the server name exactly as asked (`Example.com`
 * and `example.com` are different names to the tester, as they are to the spec's grammar). The name went through
 * the server-name grammar, so it holds no spaces or control characters.
 *
 * @example
 * ```ts
 * resultCacheKey('1a2b3c4d5e6f7a8b', 'example.com'); // 'tester-result:v1:1a2b3c4d5e6f7a8b:example.com'
 * ```
 */
export function resultCacheKey(scope: string, serverName: string): string {
  return `tester-result:v${RESULT_CACHE_FORMAT}:${scope}:${serverName}`;
}

/**
 * A short fingerprint of what a check's outcome depends on besides the name: the package version and the checker
 * options in force (DNS servers, allowed networks, extra CA, budgets). Instances configured alike share results;
 * a reload that changes any of these makes the old results unreachable (they expire by their TTL), and a check
 * started under the old options cannot fill the cache of the new ones. Option values that are objects or
 * functions (injected ports, a test lab's resolvers) count by their presence only: they are the same for every
 * instance started the same way, and have no stable text form.
 *
 * @example
 * ```ts
 * resultCacheScope(testerCheckOptions(config.tester)); // e.g. '9f86d081884c7d65'
 * ```
 */
export function resultCacheScope(options: CheckOptions): string {
  const plain: Record<string, unknown> = {};
  for (const key of Object.keys(options).sort()) {
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    plain[key] = isPlainValue(value) ? value : Array.isArray(value) && value.every(isPlainValue) ? value : '(object)';
  }
  return createHash('sha256')
    .update(JSON.stringify({ version: VERSION, format: RESULT_CACHE_FORMAT, options: plain }))
    .digest('hex')
    .slice(0, 16);
}

function isPlainValue(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** The stored form of a result: JSON of the report with its finish time. */
export function encodeCachedCheck(entry: CachedCheck): string {
  return JSON.stringify({ format: RESULT_CACHE_FORMAT, finishedAt: entry.finishedAt, report: entry.report });
}

/**
 * Reads a stored result back, or undefined when `text` is not one (corrupt, truncated, another format, or the
 * report of another name: a value written into the shared Redis by something else must not be shown as this
 * name's report). The check is of the shape the renderers rely on, not of every field: values of this format and
 * version are written by this code only.
 */
export function decodeCachedCheck(text: string, serverName: string): CachedCheck | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(parsed) || parsed.format !== RESULT_CACHE_FORMAT) return undefined;
  const { finishedAt, report } = parsed;
  if (typeof finishedAt !== 'number' || !Number.isFinite(finishedAt) || !isJsonObject(report)) return undefined;
  if (
    report.serverName !== serverName ||
    typeof report.federationOk !== 'boolean' ||
    typeof report.checkedAt !== 'string'
  )
    return undefined;
  if (!Array.isArray(report.addresses) || !Array.isArray(report.hints) || !Array.isArray(report.wellKnownByAddress))
    return undefined;
  if (!isJsonObject(report.resolution) || !isJsonObject(report.version) || !isJsonObject(report.probes))
    return undefined;
  return { report: report as unknown as CheckReport, finishedAt };
}

/**
 * Creates the cache over `store`: entries live `ttlSeconds` (0 disables caching). The store's TTL removes an
 * entry in time, and the age is checked again on read against `finishedAt`, so an entry written by an instance
 * with a longer `cache_seconds` is not served past this one's. A check that ended in an error (an exception, not
 * a bad verdict) is never cached by the caller. Nothing here rejects: a store failure or an unreadable value is a
 * miss, so a lost Redis costs a check, never a tester answer.
 *
 * The store is asked on every `get` (it decides what is cached, and for how long), but its value is parsed only
 * when it differs from the one decoded last for that key: the last decoded results are kept, by the stored text
 * they came from (see {@link DECODED_MAX_ENTRIES}). A value written by another instance is decoded once here.
 *
 * @example
 * ```ts
 * const cache = createResultCache({ store: createMemoryStore(), ttlSeconds: 60, scope: resultCacheScope(options) });
 * await cache.set('example.com', { report, finishedAt: Date.now() });
 * (await cache.get('example.com'))?.report.federationOk;
 * ```
 */
export function createResultCache(options: ResultCacheOptions): ResultCache {
  const { store, ttlSeconds, scope, onProblem } = options;
  const now = options.now ?? Date.now;
  const ttlMs = ttlSeconds * 1000;
  if (!(ttlSeconds > 0)) {
    return { scope, ttlSeconds, get: () => Promise.resolve(undefined), set: () => Promise.resolve() };
  }
  const decoded = new LRUCache<string, { readonly text: string; readonly entry: CachedCheck }>({
    max: DECODED_MAX_ENTRIES,
    maxSize: DECODED_MAX_BYTES,
    sizeCalculation: (value) => decodedSize(value.text),
  });
  return {
    scope,
    ttlSeconds,
    async get(serverName) {
      const key = resultCacheKey(scope, serverName);
      let text: string | undefined;
      try {
        text = await store.get(key);
      } catch (error) {
        // Stores promise never to reject; a broken promise still must not break a tester request.
        onProblem?.({ key, reason: 'store-failed', error });
        return undefined;
      }
      if (text === undefined) {
        decoded.delete(key);
        return undefined;
      }
      // The same value as decoded last time: compared as text, which costs nothing when it is the same string as
      // the store's (kept below), and far less than parsing it when it is not (a Redis read).
      const known = decoded.get(key);
      let entry = known !== undefined && known.text === text ? known.entry : undefined;
      if (entry !== undefined) {
        // Keep the store's own string: from the next hit on, the comparison is of one string with itself.
        decoded.set(key, { text, entry });
      } else {
        entry = decodeCachedCheck(text, serverName);
        if (entry === undefined) {
          decoded.delete(key);
          onProblem?.({ key, reason: 'invalid-value' });
          return undefined;
        }
        decoded.set(key, { text, entry });
      }
      // A clock of another instance a little ahead gives a negative age: still fresh.
      return now() - entry.finishedAt > ttlMs ? undefined : entry;
    },
    async set(serverName, entry) {
      const key = resultCacheKey(scope, serverName);
      const text = encodeCachedCheck(entry);
      // The entry itself is what later hits return while the store keeps this value.
      decoded.set(key, { text, entry });
      try {
        await store.set(key, text, ttlMs);
      } catch (error) {
        onProblem?.({ key, reason: 'store-failed', error });
      }
    },
  };
}
