// The shared cache store: Redis (ioredis) in front of a local LRU, degrading to the LRU alone whenever Redis fails.

import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { Redis as RedisClient } from 'ioredis';
import { MatrixDelegationError } from '../errors.js';
import { createMemoryStore } from './memory-store.js';
import type { CacheLogger, CacheStore, CacheStoreStats } from './types.js';

/** Options of {@link createRedisStore}; defaults in brackets. */
export interface RedisStoreOptions {
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://` for TLS). */
  readonly url: string;
  /** Prefix of every key, so several applications can share one Redis [`matrix-delegation:`]. */
  readonly keyPrefix?: string;
  /** The local store used alongside Redis and instead of it while Redis is unreachable [createMemoryStore()]. */
  readonly local?: CacheStore;
  /** Budget of a connection attempt, ms [1000]. */
  readonly connectTimeoutMs?: number;
  /** Budget of one command, ms: past it the command counts as failed and the local store answers [250]. */
  readonly commandTimeoutMs?: number;
  /** Where the "Redis unavailable" / "reachable again" lines go (once per outage) [console]. */
  readonly logger?: CacheLogger;
}

/** Defaults of {@link RedisStoreOptions}. */
export const REDIS_STORE_DEFAULTS = {
  keyPrefix: 'matrix-delegation:',
  connectTimeoutMs: 1000,
  commandTimeoutMs: 250,
} as const;

/** Longest wait between two reconnection attempts, ms. */
const MAX_RECONNECT_DELAY_MS = 2000;

const consoleLogger: CacheLogger = {
  warn: (detail, message) => console.warn(`matrix-delegation: ${message}`, detail),
  info: (detail, message) => console.info(`matrix-delegation: ${message}`, detail),
};

/**
 * ioredis, loaded when the first Redis store is made: most processes (every `serve` without `cache_store: redis`,
 * one-shot commands) never need it, and loaded up front it and its dependencies stay in the heap of a server that
 * answers well-known requests all day. It is a CommonJS package, so a synchronous require does.
 */
function loadIoredis(): typeof Ioredis {
  return createRequire(import.meta.url)('ioredis') as typeof Ioredis;
}

/**
 * Creates a {@link CacheStore} shared through Redis, so that several `serve` instances behind a load balancer
 * resolve each name once between them.
 *
 * - Reads go to Redis while it is connected (so every instance sees the others' answers and refreshes), and
 *   copy what they find into the local store; writes go to both. While Redis is unreachable, reads and writes
 *   use the local store alone: losing Redis costs sharing, never an error or a wait (no offline queue: a command
 *   issued while disconnected fails at once, and any failure is answered from the local store).
 * - The connection is opened on first use (`lazyConnect`), and re-opened in the background after a loss.
 * - The first failure of an outage is logged once (`warn`), and the recovery once (`info`).
 *
 * @example
 * ```ts
 * const store = createRedisStore({ url: 'redis://127.0.0.1:6379' });
 * const cache = createResolverCache({ store });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): CacheStore {
  checkRedisUrl(options.url);
  const prefix = options.keyPrefix ?? REDIS_STORE_DEFAULTS.keyPrefix;
  const local = options.local ?? createMemoryStore();
  const logger = options.logger ?? consoleLogger;
  const where = redactUrl(options.url);
  const { Redis } = loadIoredis();
  const redis: RedisClient = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: options.connectTimeoutMs ?? REDIS_STORE_DEFAULTS.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs,
    maxRetriesPerRequest: 0,
    // close() disconnects; ioredis then waits up to this long for a socket that may never have connected (its
    // default, 2 s, kept a one-shot CLI alive for 2 s after its work when Redis was down).
    disconnectTimeout: options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
  });
  let degraded = false;
  let closed = false;
  let connecting: Promise<void> | null = null;

  const degrade = (error: unknown): void => {
    if (degraded || closed) return;
    degraded = true;
    logger.warn(
      { redis: where, error: error instanceof Error ? error.message : String(error) },
      'Redis cache unavailable: using the local cache only',
    );
  };
  // Without an 'error' listener ioredis would print every reconnection failure itself. A lost connection is an
  // outage too, before any reconnection attempt fails.
  redis.on('error', degrade);
  redis.on('close', () => degrade(new Error('connection to Redis closed')));
  const recovered = (): void => {
    if (!degraded || closed) return;
    degraded = false;
    logger.info({ redis: where }, 'Redis cache reachable again');
  };
  redis.on('ready', recovered);

  /** True when Redis can take a command now; opens the connection on first use. */
  async function usable(): Promise<boolean> {
    if (closed) return false;
    if (redis.status === 'wait') connecting ??= redis.connect().catch(degrade);
    // Every operation waits for the first connection attempt (bounded by connectTimeoutMs), so that operations
    // issued while it is under way do not split between the local store and Redis; later reconnections are
    // never waited for.
    if (connecting !== null) await connecting;
    return redis.status === 'ready';
  }

  const key = (k: string): string => prefix + k;

  return {
    kind: 'redis',
    async get(k) {
      if (!(await usable())) return local.get(k);
      try {
        const replies = await redis.pipeline().get(key(k)).pttl(key(k)).exec();
        const failed = replies?.find(([error]) => error !== null)?.[0];
        if (failed) throw failed;
        recovered();
        const value = replies?.[0]?.[1];
        const ttlMs = replies?.[1]?.[1];
        if (typeof value !== 'string') return undefined;
        // A copy for the time Redis might be lost (no TTL reported: keep it no longer than a minute).
        await local.set(k, value, typeof ttlMs === 'number' && ttlMs > 0 ? ttlMs : 60_000);
        return value;
      } catch (error) {
        degrade(error);
        return local.get(k);
      }
    },
    async set(k, value, ttlMs) {
      await local.set(k, value, ttlMs);
      if (!(await usable())) return;
      try {
        if (ttlMs > 0) await redis.set(key(k), value, 'PX', Math.ceil(ttlMs));
        else await redis.del(key(k));
        recovered();
      } catch (error) {
        degrade(error);
      }
    },
    async delete(k) {
      await local.delete(k);
      if (!(await usable())) return;
      try {
        await redis.del(key(k));
      } catch (error) {
        degrade(error);
      }
    },
    async clear() {
      await local.clear();
      if (!(await usable())) return;
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 500);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
      } catch (error) {
        degrade(error);
      }
    },
    stats(): CacheStoreStats {
      return { ...local.stats(), shared: !closed && redis.status === 'ready' };
    },
    async close() {
      closed = true;
      await local.close();
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/** A URL ioredis can use, or `INVALID_ARGUMENT` (a configuration mistake, reported at once). */
export function checkRedisUrl(url: string): void {
  let protocol: string | null = null;
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `the Redis URL must look like redis://host:port, got ${JSON.stringify(url)}`,
      {
        detail: { option: 'url' },
      },
    );
  }
}

/** The URL without its password, for logs. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/** Escapes Redis glob characters in a literal prefix. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
