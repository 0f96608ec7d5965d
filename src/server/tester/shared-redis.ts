// The tester's own Redis connections (commands, and a subscriber on demand): what instances share besides results.

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { Redis as RedisClient } from 'ioredis';
import { REDIS_STORE_DEFAULTS, checkRedisUrl } from '../../cache/redis-store.js';

/** Options of {@link createTesterRedis}; defaults in brackets. */
export interface TesterRedisOptions {
  /** `redis://[[user]:password@]host[:port][/db]` (or `rediss://`): the `cache_store` URL. */
  readonly url: string;
  /** Prefix of every key and channel: the `cache_store` key prefix [`matrix-delegation:`]. */
  readonly keyPrefix?: string;
  /** Budget of a connection attempt, ms [1000, as the result store's]. */
  readonly connectTimeoutMs?: number;
  /** Budget of one command, ms: past it the command counts as failed [250, as the result store's]. */
  readonly commandTimeoutMs?: number;
  /**
   * Told when a connection (`commands` or `subscriber`) is lost or cannot be made, possibly several times per
   * outage (every failed reconnection); see `redis-outage.ts` for the one log line per outage.
   */
  readonly onDown?: (source: TesterRedisConnection, error: unknown) => void;
  /** Told when a connection is ready (again). */
  readonly onUp?: (source: TesterRedisConnection) => void;
}

/** The tester's connections to Redis, as {@link TesterRedisOptions.onDown} names them. */
export type TesterRedisConnection = 'commands' | 'subscriber';

/**
 * The tester's connections to the Redis of `cache_store`: the per-client rate limit (rate-limiter-flexible's Redis
 * limiter) and the in-flight markers use the command connection; waiting for another instance's check uses a
 * subscriber connection, opened the first time an instance waits.
 */
export interface TesterRedis {
  /** Prefix of every key and channel. */
  readonly keyPrefix: string;
  /** A random name of this instance, unique among those sharing the Redis (the owner of its markers). */
  readonly instanceId: string;
  /**
   * The command connection. Send commands only after {@link ready} resolved true; it has no offline queue, so
   * a command sent while it is down fails at once instead of waiting.
   */
  readonly commands: RedisClient;
  /**
   * Opens the command connection on first use and waits for that first attempt (bounded by the connection
   * budget), never for later reconnections. True when commands can be sent now.
   */
  ready(): Promise<boolean>;
  /**
   * Subscribes `listener` to `channel` (the subscriber connection is opened on the first call; ioredis
   * subscribes again after a reconnection). Resolves true once subscribed, false when Redis cannot be reached
   * now (the listener stays registered and hears messages once the connection is back).
   */
  subscribe(channel: string, listener: (message: string) => void): Promise<boolean>;
  /** Closes both connections; nothing may be sent afterwards. Never rejects. */
  close(): Promise<void>;
}

/** Longest wait between two reconnection attempts, ms (as the result store's). */
const MAX_RECONNECT_DELAY_MS = 2000;

/** ioredis, loaded when the first tester Redis is made (a server without `cache_store: redis` never loads it). */
function loadIoredis(): typeof Ioredis {
  return createRequire(import.meta.url)('ioredis') as typeof Ioredis;
}

/**
 * Creates the tester's Redis connections for `cache_store: redis`. Nothing connects before the first use.
 * The connections are named (`CLIENT SETNAME matrix-delegation-tester` and `...-tester-sub`) so that an operator
 * can tell them from the result store's in `CLIENT LIST`.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` when `url` is not a Redis URL.
 * @example
 * ```ts
 * const redis = createTesterRedis({ url: 'redis://127.0.0.1:6379', keyPrefix: 'matrix-delegation:' });
 * const limiter = createClientRateLimiter(10, redis);
 * ```
 */
export function createTesterRedis(options: TesterRedisOptions): TesterRedis {
  checkRedisUrl(options.url);
  const keyPrefix = options.keyPrefix ?? REDIS_STORE_DEFAULTS.keyPrefix;
  const commandTimeout = options.commandTimeoutMs ?? REDIS_STORE_DEFAULTS.commandTimeoutMs;
  const { Redis } = loadIoredis();
  let closed = false;

  const open = (source: TesterRedisConnection): RedisClient => {
    const client = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      connectTimeout: options.connectTimeoutMs ?? REDIS_STORE_DEFAULTS.connectTimeoutMs,
      commandTimeout,
      maxRetriesPerRequest: 0,
      disconnectTimeout: commandTimeout,
      connectionName: source === 'commands' ? 'matrix-delegation-tester' : 'matrix-delegation-tester-sub',
      retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
    });
    // Without an 'error' listener ioredis prints every failed reconnection itself.
    client.on('error', (error: unknown) => {
      if (!closed) options.onDown?.(source, error);
    });
    client.on('close', () => {
      if (!closed) options.onDown?.(source, new Error('connection to Redis closed'));
    });
    client.on('ready', () => {
      if (!closed) options.onUp?.(source);
    });
    return client;
  };

  const commands = open('commands');
  let connecting: Promise<void> | null = null;
  let subscriber: RedisClient | null = null;
  let subscribing: Promise<void> | null = null;
  const listeners = new Map<string, Set<(message: string) => void>>();
  /** Channels subscribed (or being subscribed); ioredis subscribes to them again after a reconnection. */
  const subscriptions = new Map<string, Promise<boolean>>();

  return {
    keyPrefix,
    instanceId: randomUUID(),
    commands,
    async ready() {
      if (closed) return false;
      if (commands.status === 'wait') connecting ??= commands.connect().catch(() => undefined);
      if (connecting !== null) await connecting;
      return commands.status === 'ready';
    },
    async subscribe(channel, listener) {
      if (closed) return false;
      let set = listeners.get(channel);
      if (set === undefined) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener);
      if (subscriber === null) {
        subscriber = open('subscriber');
        subscriber.on('message', (name: string, message: string) => {
          for (const each of listeners.get(name) ?? []) each(message);
        });
        // A failed first attempt is retried in the background like any lost connection (retryStrategy).
        subscribing = subscriber.connect().catch(() => undefined);
      }
      await subscribing;
      const client = subscriber;
      if (client.status !== 'ready') return false;
      let subscribed = subscriptions.get(channel);
      if (subscribed === undefined) {
        subscribed = client.subscribe(channel).then(
          () => true,
          () => {
            // Not subscribed: the next call tries again.
            subscriptions.delete(channel);
            return false;
          },
        );
        subscriptions.set(channel, subscribed);
      }
      return subscribed;
    },
    async close() {
      closed = true;
      for (const client of [commands, subscriber]) {
        if (client === null) continue;
        if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
        else client.disconnect();
      }
    },
  };
}
