// The cache store port: string values with a time to live, in memory (LRU) or in Redis, never throwing.

/** What a store holds now, for metrics and benchmarks. */
export interface CacheStoreStats {
  /** Entries held locally (the in-process LRU; for Redis, its local copy). */
  readonly entries: number;
  /** The bytes the byte bound counts for those entries (see `createMemoryStore`). */
  readonly bytes: number;
  /** For a Redis store: whether Redis is in use right now (false while it is unreachable). */
  readonly shared?: boolean;
}

/**
 * Where the resolver's caches keep their entries: opaque string values under string keys, each with a time to
 * live. Implementations never reject for their own faults (a lost Redis connection, a full cache): a store that
 * cannot answer behaves as a miss, and a value it cannot keep is dropped, so a cache can only make resolution
 * cheaper, never make it fail.
 */
export interface CacheStore {
  /** `'memory'` (in-process LRU) or `'redis'` (shared, with a local LRU behind it). */
  readonly kind: 'memory' | 'redis';
  /** The value stored under `key`, or undefined when there is none or it has expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs` milliseconds (a non-positive `ttlMs` deletes the key). */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Removes every entry of this store (for Redis: the keys under its prefix only). */
  clear(): Promise<void>;
  stats(): CacheStoreStats;
  /** Releases connections; the store must not be used afterwards. */
  close(): Promise<void>;
}

/**
 * Where an answer came from, as the resolver's trace shows it: present on answers that went through a cache,
 * whether they were found there (`hit`) or fetched now and stored.
 */
export interface CacheAnswerInfo {
  /** True when the answer came from the cache; false when it was fetched now. */
  readonly hit: boolean;
  /** How old the answer is, in milliseconds (0 for one fetched now). */
  readonly ageMs: number;
  /** When the answer was fetched, milliseconds since the epoch by the cache's clock (absent when not stored). */
  readonly storedAt?: number;
  /**
   * Until when the cache answers from this entry without asking again, milliseconds since the epoch (a DNS
   * answer's TTL, a well-known answer's refresh time). Absent when the answer was not stored (DNS errors).
   */
  readonly validUntil?: number;
  /**
   * Served because a fresh lookup failed: a DNS answer past its TTL while the DNS server fails, or the previous
   * well-known answer kept while its refresh fails temporarily.
   */
  readonly stale?: true;
}

/** Something that can log a line: pino's `warn` / `info` fit. */
export interface CacheLogger {
  warn(detail: Readonly<Record<string, unknown>>, message: string): void;
  info(detail: Readonly<Record<string, unknown>>, message: string): void;
}
