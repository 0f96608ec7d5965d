// One warning per Redis outage for everything `serve` keeps in Redis (results, rate limits, in-flight markers).

import type { CacheLogger } from '../../cache/types.js';

/** The warning logged once when Redis is lost (by any of the connections that use it). */
export const REDIS_OUTAGE_MESSAGE =
  'Redis unavailable: tester results, rate limits and running checks are per instance until it is back';

/** The line logged once when every connection that was lost is back. */
export const REDIS_RECOVERY_MESSAGE =
  'Redis reachable again: tester results, rate limits and running checks are shared again';

/** Collects the state of several Redis connections into one outage. */
export interface RedisOutageLog {
  /** `source` lost Redis (or could not reach it); logs the warning when it is the first one down. */
  down(source: string, error: unknown): void;
  /** `source` is ready again; logs the recovery when no source is down any more. */
  up(source: string): void;
  /** A {@link CacheLogger} for the result store: its outage warning and recovery line count as source `results`. */
  readonly storeLogger: CacheLogger;
}

/**
 * Creates the outage log of one `cache_store`. `serve` talks to Redis over up to three connections (the result
 * store's, the tester's commands, and its subscriber); a restart of Redis drops all of them, and each notices on its
 * own, several times while reconnection fails. What the operator needs to know is one thing: the instance stopped
 * sharing, and later that it shares again. So the warning is logged when the first connection goes down while all
 * were up, and the recovery when the last one is back: one warning and one recovery line per outage and instance.
 *
 * @example
 * ```ts
 * const outage = createRedisOutageLog(logger, { redis: 'redis://127.0.0.1:6379/' });
 * const store = createCacheStore({ kind: 'redis', url }, { logger: outage.storeLogger });
 * const redis = createTesterRedis({ url, onDown: outage.down, onUp: outage.up });
 * ```
 */
export function createRedisOutageLog(
  logger: Pick<CacheLogger, 'warn' | 'info'>,
  detail: Readonly<Record<string, unknown>> = {},
): RedisOutageLog {
  const downSources = new Set<string>();
  const down = (source: string, error: unknown): void => {
    const first = downSources.size === 0;
    downSources.add(source);
    if (first)
      logger.warn(
        { ...detail, connection: source, error: error instanceof Error ? error.message : String(error) },
        REDIS_OUTAGE_MESSAGE,
      );
  };
  const up = (source: string): void => {
    if (!downSources.delete(source)) return;
    if (downSources.size === 0) logger.info({ ...detail }, REDIS_RECOVERY_MESSAGE);
  };
  return {
    down,
    up,
    // The store calls `warn` only for its outage and `info` only for its recovery, once each (redis-store.ts).
    storeLogger: {
      warn: (storeDetail, message) => down('results', storeDetail['error'] ?? message),
      info: () => up('results'),
    },
  };
}
