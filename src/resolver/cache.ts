// createResolverCache(): the well-known and DNS caches, their shared in-flight maps, and a memo of whole results.

import { createCoalescer } from '../cache/coalesce.js';
import { createMemoryStore, positiveInteger } from '../cache/memory-store.js';
import { createNameRecordStore } from '../cache/name-records.js';
import type { CacheAnswerInfo, CacheStore } from '../cache/types.js';
import { createCachedDns, DNS_CACHE_DEFAULTS, dnsFieldKeepUntil } from '../dns/cache.js';
import type { CachedDnsOptions, CachedDnsResult } from '../dns/cache.js';
import { createCachedWellKnown, wellKnownFieldKeepUntil } from '../well-known/cached.js';
import type { WellKnownFlightResult } from '../well-known/cached.js';
import type { ResolveResult, ResolverCache, SrvRecordFacts, TraceEntry } from './types.js';

// The cache's own interface lives with the resolver's types (ResolveOptions.cache names it); exported here too.
export type { ResolverCache, ResolverCacheStats } from './types.js';

/** Options of {@link createResolverCache}; defaults in brackets. */
export interface ResolverCacheOptions {
  /** Where answers are kept: `createMemoryStore()` or a Redis store shared by several instances [a memory store]. */
  readonly store?: CacheStore;
  /** The clock, ms since the epoch [Date.now]. Tests drive a fake one. */
  readonly now?: () => number;
  /** Jitter source for well-known lifetimes, uniform in [0, 1) [Math.random]. */
  readonly random?: () => number;
  /** Waits between well-known retries [a timer]. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** DNS cache limits (see `createCachedDns`). */
  readonly dns?: Pick<
    CachedDnsOptions,
    'minTtlSeconds' | 'maxTtlSeconds' | 'negativeTtlSeconds' | 'maxNegativeTtlSeconds' | 'staleSeconds'
  >;
  /**
   * The in-process memo of whole results, which answers a name whose every answer is cached without running the
   * steps again (see {@link ResolverCache.recall}); `false` turns it off [{ maxEntries: 10000 }]. Each result costs
   * about 1.3 KB (its trace kept deflated); when full, the oldest result goes first.
   */
  readonly memo?: false | { readonly maxEntries?: number };
}

/** Defaults of {@link ResolverCacheOptions}. */
export const RESOLVER_CACHE_DEFAULTS = { memoMaxEntries: 10_000 } as const;

/**
 * A memo entry: the result's answer (shared and frozen) flattened into the entry itself, so that a hit reads one
 * object (on a large heap every extra object read is a likely cache and TLB miss, which cost more than the rest).
 */
interface MemoEntry extends Omit<ResolveResult, 'trace'> {
  /**
   * The trace, as deflated JSON: a trace is most of a result's memory (a dozen entries with their words and data,
   * about 5 KB as objects) and is rarely read again, so it is kept at about a tenth of that and rebuilt on demand.
   * Held as a latin1 string: on the V8 heap, in exactly its size (a small Buffer could pin a larger slab).
   */
  readonly trace: string;
  readonly validUntil: number;
  readonly defaultPort: number;
  readonly wellKnownPort: number;
}

/**
 * Creates the resolver's caches: the well-known cache (ground-truth §2, Synapse's rules), the DNS cache (TTLs with a
 * floor and a ceiling, brief negative caching, stale answers when the DNS fails), both stored per name in `store`,
 * in-flight sharing so that concurrent resolutions of one name make one fetch and one set of queries, and a memo of
 * whole results for names resolved again while all their answers are valid.
 *
 * @example
 * ```ts
 * const cache = createResolverCache();                      // or { store: createCacheStore({ kind: 'redis', url }) }
 * const a = await resolveServerName('example.com', { cache }); // cold: fetches and asks, overlapping lookups
 * const b = await resolveServerName('example.com', { cache }); // from the cache: same targets
 * ```
 */
export function createResolverCache(options: ResolverCacheOptions = {}): ResolverCache {
  const now = options.now ?? Date.now;
  const store = options.store ?? createMemoryStore({ now });
  const staleMs = (options.dns?.staleSeconds ?? DNS_CACHE_DEFAULTS.staleSeconds) * 1000;
  // One record per name holds its DNS answers (fields 4, 6, f, l, s) and its well-known answers (w, w<port>).
  const records = createNameRecordStore(store, (field, value, base) =>
    field.startsWith('w') ? wellKnownFieldKeepUntil(value, base) : dnsFieldKeepUntil(value, base, staleMs),
  );
  const dnsFlights = createCoalescer<CachedDnsResult>();
  const wellKnownFlights = createCoalescer<WellKnownFlightResult>();
  const memoMax =
    options.memo === false
      ? 0
      : positiveInteger('memo.maxEntries', options.memo?.maxEntries ?? RESOLVER_CACHE_DEFAULTS.memoMaxEntries);
  // A Map in insertion order, the oldest entry going first when full: an entry lives at most as long as its
  // shortest-lived answer (minutes) and is then replaced, so first-in-first-out is close to least-recently-used
  // here, and a hit costs one Map lookup with no bookkeeping.
  const memo = memoMax > 0 ? new Map<string, MemoEntry>() : null;
  let memoHits = 0;
  let memoMisses = 0;

  return {
    store,
    now,
    dns(resolver) {
      return createCachedDns(resolver, { records, now, flights: dnsFlights, ...options.dns });
    },
    wellKnown(fetch, wellKnownPort) {
      return createCachedWellKnown(fetch, {
        records,
        now,
        flights: wellKnownFlights,
        field: wellKnownPort === 443 ? 'w' : `w${wellKnownPort}`,
        ...(options.random ? { random: options.random } : {}),
        ...(options.sleep ? { sleep: options.sleep } : {}),
      });
    },
    recall(serverName, defaultPort, wellKnownPort) {
      if (memo === null) return undefined;
      // Keyed by the name alone (no key string to build on the hot path); the ports are checked in the entry.
      const entry = memo.get(serverName);
      if (entry === undefined || entry.defaultPort !== defaultPort || entry.wellKnownPort !== wellKnownPort) {
        memoMisses += 1;
        return undefined;
      }
      const t = now();
      if (t >= entry.validUntil) {
        memo.delete(serverName);
        memoMisses += 1;
        return undefined;
      }
      memoHits += 1;
      return new RecalledResult(entry, t);
    },
    remember(serverName, defaultPort, wellKnownPort, result) {
      if (memo === null) return;
      const validUntil = memoValidity(result);
      if (validUntil === null || validUntil <= now()) return;
      memo.delete(serverName);
      memo.set(serverName, packResult(result, validUntil, defaultPort, wellKnownPort));
      if (memo.size > memoMax) memo.delete(memo.keys().next().value!);
    },
    stats() {
      return {
        store: store.stats(),
        memoEntries: memo?.size ?? 0,
        memoHits,
        memoMisses,
        inFlight: { dns: dnsFlights.size, wellKnown: wellKnownFlights.size },
      };
    },
    async clear() {
      memo?.clear();
      await store.clear();
    },
    async close() {
      memo?.clear();
      await store.close();
    },
  };
}

/**
 * Until when a result may be recalled: the earliest validity of the answers its trace used, or null when it must
 * not be (an answer not from the cache or not stored, a stale answer, a random SRV order).
 */
function memoValidity(result: ResolveResult): number | null {
  let validUntil = Number.POSITIVE_INFINITY;
  for (const entry of result.trace) {
    if (entry.query === undefined) continue;
    const info = entry.cache;
    if (info === undefined || info.validUntil === undefined || info.stale === true) return null;
    validUntil = Math.min(validUntil, info.validUntil);
    if (
      entry.status === 'taken' &&
      entry.data !== undefined &&
      'records' in entry.data &&
      hasRandomOrder(entry.data.records)
    )
      return null;
  }
  return validUntil;
}

/** True when RFC 2782 ordering of these SRV records draws at random: two records of one priority, not all weight 0. */
function hasRandomOrder(records: readonly SrvRecordFacts[]): boolean {
  const byPriority = new Map<number, number[]>();
  for (const r of records) {
    if (r.target === '.') continue;
    const weights = byPriority.get(r.priority) ?? [];
    weights.push(r.weight);
    byPriority.set(r.priority, weights);
  }
  for (const weights of byPriority.values()) if (weights.length > 1 && weights.some((w) => w !== 0)) return true;
  return false;
}

/**
 * A memo result handed out again: the shared immutable parts of the stored result, and a trace rebuilt on first read
 * with the answers' current ages. `trace` is a getter (rebuilding it on every hit would cost more than the rest of
 * the hit); `toJSON` includes it, so JSON output is the same as for a result that ran the steps.
 */
class RecalledResult implements ResolveResult {
  readonly serverName: string;
  readonly parsed: ResolveResult['parsed'];
  readonly wellKnown: ResolveResult['wellKnown'];
  readonly targets: ResolveResult['targets'];
  readonly error: ResolveResult['error'];
  readonly #packed: string;
  readonly #at: number;
  #trace: readonly TraceEntry[] | undefined;

  constructor(entry: MemoEntry, at: number) {
    this.serverName = entry.serverName;
    this.parsed = entry.parsed;
    this.wellKnown = entry.wellKnown;
    this.targets = entry.targets;
    this.error = entry.error;
    this.#packed = entry.trace;
    this.#at = at;
  }

  get trace(): readonly TraceEntry[] {
    return (this.#trace ??= unpackTrace(this.#packed).map((entry) => retimed(entry, this.#at)));
  }

  toJSON(): ResolveResult {
    return {
      serverName: this.serverName,
      parsed: this.parsed,
      wellKnown: this.wellKnown,
      targets: this.targets,
      trace: this.trace,
      error: this.error,
    };
  }
}

/** A trace entry of a recalled result: no time spent, and its answer shown as a hit of its current age. */
function retimed(entry: TraceEntry, t: number): TraceEntry {
  const info = entry.cache;
  if (info === undefined || info.storedAt === undefined) return { ...entry, startMs: 0, durationMs: 0 };
  const cache: CacheAnswerInfo = {
    hit: true,
    ageMs: t - info.storedAt,
    storedAt: info.storedAt,
    ...(info.validUntil !== undefined ? { validUntil: info.validUntil } : {}),
  };
  return { ...entry, startMs: 0, durationMs: 0, cache };
}

/** What the memo keeps of a result: its answer, frozen (recalled results share it), and its trace, deflated. */
function packResult(result: ResolveResult, validUntil: number, defaultPort: number, wellKnownPort: number): MemoEntry {
  for (const target of result.targets) Object.freeze(target);
  Object.freeze(result.targets);
  Object.freeze(result.wellKnown);
  if (result.parsed !== null) Object.freeze(result.parsed);
  if (result.error !== null) Object.freeze(result.error);
  const { serverName, parsed, wellKnown, targets, error } = result;
  const trace = process.getBuiltinModule('node:zlib').deflateRawSync(JSON.stringify(result.trace)).toString('latin1');
  return { serverName, parsed, wellKnown, targets, error, trace, validUntil, defaultPort, wellKnownPort };
}

function unpackTrace(packed: string): TraceEntry[] {
  return JSON.parse(
    process.getBuiltinModule('node:zlib').inflateRawSync(Buffer.from(packed, 'latin1')).toString('utf8'),
  ) as TraceEntry[];
}
