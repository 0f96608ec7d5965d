// The monitor's state in the Redis of `cache_store`, shared by every instance: leases (SET NX PX) and fenced writes.

import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Ioredis from 'ioredis';
import type { Redis as RedisClient } from 'ioredis';
import { checkRedisUrl } from '../cache/redis-store.js';
import { decodeState, encodeState } from './state-codec.js';
import type { MonitorStateStore } from './state-store.js';
import type { MonitorLogger } from './types.js';

/** Options of {@link createRedisStateStore}. */
export interface RedisStateStoreOptions {
  /** The `cache_store` URL. */
  readonly url: string;
  /** The `cache_store` key prefix. */
  readonly keyPrefix: string;
  /** Budget of one command, ms [1000]. */
  readonly commandTimeoutMs?: number;
  readonly logger?: MonitorLogger;
}

/** How long a name's state stays in Redis after its last save [30 days]: a name no longer watched fades away. */
export const STATE_TTL_MS = 30 * 24 * 60 * 60_000;

/** Deletes the lease only if this token holds it (so an expired lease taken by another instance is left alone). */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Writes the state only while this token holds the lease: a slow instance whose lease expired cannot overwrite. */
const FENCED_SET = `if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end`;

function loadIoredis(): typeof Ioredis {
  return createRequire(import.meta.url)('ioredis') as typeof Ioredis;
}

/** The URL without its password, for logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/**
 * A state store in Redis (the `cache_store` Redis, under its key prefix): `<prefix>monitor:v1:state:<name>`,
 * `...:lease:<name>` and `...:report:<name>`. A lease is `SET lease token NX PX ms`: one instance at a time works on a
 * name; the state is written by a script that checks the lease first, so an instance that overran its lease cannot
 * overwrite the work of the one that took it over. When Redis cannot be reached every method rejects: the monitor
 * then skips the name for a while rather than check it without a lease (which could send an alert twice).
 *
 * @example
 * ```ts
 * const store = createRedisStateStore({ url: 'redis://127.0.0.1:6379', keyPrefix: 'matrix-delegation:' });
 * ```
 */
export function createRedisStateStore(options: RedisStateStoreOptions): MonitorStateStore {
  checkRedisUrl(options.url);
  const prefix = `${options.keyPrefix}monitor:v1:`;
  const commandTimeout = options.commandTimeoutMs ?? 1000;
  const { Redis } = loadIoredis();
  const redis: RedisClient = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    connectTimeout: 1000,
    commandTimeout,
    maxRetriesPerRequest: 0,
    disconnectTimeout: commandTimeout,
    connectionName: 'matrix-delegation-monitor',
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 5), 2000),
  });
  const where = redact(options.url);
  let closed = false;
  let down = false;
  redis.on('error', (error: unknown) => {
    if (closed || down) return;
    down = true;
    options.logger?.warn(
      { redis: where, error: error instanceof Error ? error.message : String(error) },
      'monitor: Redis unavailable, watched names wait until it is back',
    );
  });
  redis.on('ready', () => {
    if (closed || !down) return;
    down = false;
    options.logger?.info({ redis: where }, 'monitor: Redis reachable again');
  });
  let connecting: Promise<void> | null = null;
  const ready = async (): Promise<void> => {
    if (closed) throw new Error('the monitor state store is closed');
    if (redis.status === 'wait') connecting ??= redis.connect().catch(() => undefined);
    if (connecting !== null) await connecting;
    if (redis.status !== 'ready') throw new Error(`Redis (${where}) cannot be reached`);
  };
  const key = (kind: 'state' | 'lease' | 'report', name: string): string => `${prefix}${kind}:${name}`;

  return {
    kind: 'redis',
    where,
    async acquire(name, ms) {
      await ready();
      const token = randomUUID();
      const answer = await redis.set(key('lease', name), token, 'PX', Math.max(1, Math.ceil(ms)), 'NX');
      return answer === 'OK' ? token : null;
    },
    async release(name, token) {
      await ready();
      await redis.eval(RELEASE, 1, key('lease', name), token);
    },
    async load(name) {
      await ready();
      const text = await redis.get(key('state', name));
      if (text === null) return undefined;
      const state = decodeState(name, text);
      if (state === undefined)
        options.logger?.error(
          { serverName: name, redis: where },
          'monitor state in Redis cannot be read: the name starts afresh',
        );
      return state;
    },
    async save(state, token) {
      await ready();
      const done = await redis.eval(
        FENCED_SET,
        2,
        key('lease', state.serverName),
        key('state', state.serverName),
        token,
        encodeState(state),
        String(STATE_TTL_MS),
      );
      return done === 1;
    },
    async saveReport(name, json, ttlMs) {
      await ready();
      await redis.set(key('report', name), json, 'PX', Math.max(1, Math.ceil(ttlMs)));
    },
    async loadReport(name) {
      await ready();
      return (await redis.get(key('report', name))) ?? undefined;
    },
    // Names no longer watched expire with their state's TTL; other instances may still watch them.
    retain: () => Promise.resolve(),
    async close() {
      if (closed) return;
      closed = true;
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}
