// Builds the cache store a configuration names: the in-memory LRU, or Redis shared by several instances.

import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import type { CacheLogger, CacheStore } from './types.js';
import { MatrixDelegationError } from '../errors.js';

/** The `cache_store` section of a configuration, as plain values (sizes apply to the local LRU in both kinds). */
export interface CacheStoreConfig {
  /** `memory` (one process) or `redis` (shared by every instance pointing at the same Redis). */
  readonly kind: 'memory' | 'redis';
  /** For `redis`: `redis://host:port[/db]`. Required there, refused for `memory`. */
  readonly url?: string;
  /** For `redis`: prefix of every key [`matrix-delegation:`]. */
  readonly keyPrefix?: string;
  /** Most entries of the local LRU [500000]. */
  readonly maxEntries?: number;
  /** Most bytes of the local LRU [64 MiB]. */
  readonly maxBytes?: number;
  /** For `redis`: connection budget, ms [1000]. */
  readonly connectTimeoutMs?: number;
  /** For `redis`: budget of one command, ms [250]. */
  readonly commandTimeoutMs?: number;
}

/** Runtime pieces that are not configuration. */
export interface CacheStoreRuntime {
  /** The clock of the local LRU's TTLs [Date.now]. */
  readonly now?: () => number;
  /** Where a Redis store reports losing and regaining Redis [console]. */
  readonly logger?: CacheLogger;
}

/**
 * Creates the store a configuration asks for. Throws `INVALID_ARGUMENT` for an inconsistent configuration (an
 * unknown kind, a Redis store without a URL, a URL on a memory store): configuration mistakes surface at start,
 * while a Redis that is down at run time only degrades to the local LRU.
 *
 * @example
 * ```ts
 * const store = createCacheStore({ kind: 'redis', url: 'redis://127.0.0.1:6379' }, { logger });
 * const cache = createResolverCache({ store });
 * ```
 */
export function createCacheStore(config: CacheStoreConfig, runtime: CacheStoreRuntime = {}): CacheStore {
  const local = () =>
    createMemoryStore({
      ...(config.maxEntries !== undefined ? { maxEntries: config.maxEntries } : {}),
      ...(config.maxBytes !== undefined ? { maxBytes: config.maxBytes } : {}),
      ...(runtime.now ? { now: runtime.now } : {}),
    });
  if (config.kind === 'memory') {
    if (config.url !== undefined) {
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'cache_store: a url applies only to kind redis', {
        detail: { option: 'url' },
      });
    }
    return local();
  }
  if (config.kind === 'redis') {
    if (config.url === undefined) {
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'cache_store: kind redis needs a url (redis://host:port)', {
        detail: { option: 'url' },
      });
    }
    return createRedisStore({
      url: config.url,
      local: local(),
      ...(config.keyPrefix !== undefined ? { keyPrefix: config.keyPrefix } : {}),
      ...(config.connectTimeoutMs !== undefined ? { connectTimeoutMs: config.connectTimeoutMs } : {}),
      ...(config.commandTimeoutMs !== undefined ? { commandTimeoutMs: config.commandTimeoutMs } : {}),
      ...(runtime.logger ? { logger: runtime.logger } : {}),
    });
  }
  throw new MatrixDelegationError(
    'INVALID_ARGUMENT',
    `cache_store: kind must be memory or redis, got ${JSON.stringify((config as { kind: unknown }).kind)}`,
    {
      detail: { option: 'kind' },
    },
  );
}
