// The in-process cache store: an LRU bounded by entry count and by bytes (lru-cache), with a TTL per entry.

import { LRUCache } from 'lru-cache';
import { MatrixDelegationError } from '../errors.js';
import type { CacheStore, CacheStoreStats } from './types.js';

/** Options of {@link createMemoryStore}; defaults in brackets. */
export interface MemoryStoreOptions {
  /** Most entries kept; the least recently used goes first [500000]. */
  readonly maxEntries?: number;
  /** Most bytes kept, as counted by {@link memoryEntryBytes} [64 MiB]. */
  readonly maxBytes?: number;
  /** The clock for TTLs, milliseconds [Date.now]. Tests pass a fake one. */
  readonly now?: () => number;
}

/** Defaults of {@link MemoryStoreOptions}. */
export const MEMORY_STORE_DEFAULTS = { maxEntries: 500_000, maxBytes: 64 * 1024 * 1024 } as const;

/**
 * What one entry costs beyond its characters, in bytes: measured on Node 20 (x64) as the heap an entry adds to an
 * lru-cache with TTLs and sizes (its slots, the Map entry, two string headers) by bench/resolve-cached.ts, whose
 * counted and held figures then agree within 7 % (BENCHMARKS.md). Counting it makes `maxBytes` a bound on the heap
 * the store holds, not just on its text.
 */
export const MEMORY_ENTRY_OVERHEAD_BYTES = 180;

/** The bytes one entry counts against `maxBytes`: its key and value (one byte per character) plus the overhead. */
export function memoryEntryBytes(key: string, value: string): number {
  return key.length + value.length + MEMORY_ENTRY_OVERHEAD_BYTES;
}

/**
 * Creates an in-memory {@link CacheStore}: least recently used entries go first once `maxEntries` or `maxBytes`
 * is reached, and each entry expires after its own TTL (by the injected clock). Never rejects.
 *
 * @example
 * ```ts
 * const store = createMemoryStore({ maxEntries: 10_000, maxBytes: 8 * 1024 * 1024 });
 * await store.set('k', 'v', 60_000);
 * await store.get('k'); // 'v'
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = positiveInteger('maxEntries', options.maxEntries ?? MEMORY_STORE_DEFAULTS.maxEntries);
  const maxBytes = positiveInteger('maxBytes', options.maxBytes ?? MEMORY_STORE_DEFAULTS.maxBytes);
  const now = options.now ?? Date.now;
  // `max` is left unset on purpose: lru-cache preallocates its slot arrays for `max` entries up front (tens of
  // MB for a large bound), so the entry bound is enforced here instead, and the arrays grow with use.
  const lru = new LRUCache<string, string>({
    maxSize: maxBytes,
    sizeCalculation: (value, key) => memoryEntryBytes(key, value),
    // A fake clock must be read on every check, not debounced.
    perf: { now },
    ttlResolution: 0,
  });

  const store: CacheStore = {
    kind: 'memory',
    get(key) {
      return Promise.resolve(lru.get(key));
    },
    set(key, value, ttlMs) {
      if (!(ttlMs > 0)) {
        lru.delete(key);
        return Promise.resolve();
      }
      // An entry larger than the whole bound is refused by lru-cache (and would evict everything): drop it.
      if (memoryEntryBytes(key, value) <= maxBytes) {
        lru.set(exactCopy(key), exactCopy(value), { ttl: Math.ceil(ttlMs) });
        while (lru.size > maxEntries) lru.pop();
      } else {
        lru.delete(key);
      }
      return Promise.resolve();
    },
    delete(key) {
      lru.delete(key);
      return Promise.resolve();
    },
    clear() {
      lru.clear();
      return Promise.resolve();
    },
    stats(): CacheStoreStats {
      return { entries: lru.size, bytes: lru.calculatedSize };
    },
    close() {
      lru.clear();
      return Promise.resolve();
    },
  };
  return store;
}

/**
 * A copy of `text` in a string of exactly its size. Strings built by JSON.stringify or by concatenation can hold
 * about 100 bytes more than their characters (unused capacity, or the parts of a concatenation) for as long as they
 * live: for entries that live for hours that is a third of the memory. Copying costs a microsecond per write.
 */
function exactCopy(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Checks a size option: a caller's mistake throws `INVALID_ARGUMENT`. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${String(value)}`, {
      detail: { option: name, value },
    });
  }
  return value;
}
