// In-flight markers next to the result cache: one check per server name across instances, the others told when it ends.

import { RESULT_CACHE_FORMAT } from './result-cache.js';
import type { TesterRedis } from './shared-redis.js';

/**
 * How long a marker outlives the check budget, ms. A check reports within its budget (the checker stops what is
 * still under way at the deadline), then its result is written (one command, at most 250 ms): an instance that is
 * alive always clears its marker first. An instance that dies in the middle holds the name this long at most.
 */
export const MARKER_GRACE_MS = 2000;

/**
 * How often a waiting instance asks Redis whether the marker is still there, ms. The end of a check is published,
 * so this only matters when the message is lost (the subscriber reconnecting) or the owner died (the marker
 * expires without a message).
 */
export const MARKER_POLL_MS = 500;

/**
 * The key of the marker of a running check: beside the result's key (`resultCacheKey`), with the same format,
 * scope and server name exactly as asked.
 *
 * @example
 * ```ts
 * markerKey('1a2b3c4d5e6f7a8b', 'example.com'); // 'tester-running:v1:1a2b3c4d5e6f7a8b:example.com'
 * ```
 */
export function markerKey(scope: string, serverName: string): string {
  return `tester-running:v${RESULT_CACHE_FORMAT}:${scope}:${serverName}`;
}

/** The channel on which the end of a check is published (after the `cache_store` prefix). */
export const MARKER_CHANNEL = 'tester-running:ended';

/** The answer of {@link CheckMarkers.claim}. */
export type MarkerClaim =
  /**
   * This instance checks the name: its marker is set (or markers are not shared, or Redis cannot be reached:
   * then every instance checks on its own). `release` clears the marker and tells the waiting instances; it never
   * rejects, and clears only this claim's marker (not one set by another instance after this one expired).
   */
  | { readonly kind: 'claimed'; release(): Promise<void> }
  /** Another instance is checking the name; its marker expires in `remainingMs` at the latest. */
  | { readonly kind: 'taken'; readonly remainingMs: number };

/** How {@link CheckMarkers.waitForEnd} ended. */
export type MarkerWait =
  /** The marker is gone: the check ended (its result is in the cache, unless it failed) or its owner died. */
  | 'ended'
  /** The bound passed with the marker still there. */
  | 'timeout'
  /** Redis cannot be reached now: the waiting instance should check on its own. */
  | 'unavailable'
  /** The signal was aborted (shutdown). */
  | 'aborted';

/** Markers of running checks, shared by every instance that uses the same Redis. */
export interface CheckMarkers {
  /** False for the local markers: every claim is granted and nothing is shared. */
  readonly shared: boolean;
  /** Marks `key` as being checked by this instance for `ttlMs`, unless another instance holds it. */
  claim(key: string, ttlMs: number): Promise<MarkerClaim>;
  /** Waits until the marker under `key` is gone, at most `boundMs`. Never rejects. */
  waitForEnd(key: string, boundMs: number, signal?: AbortSignal): Promise<MarkerWait>;
}

const LOCAL_CLAIM: MarkerClaim = Object.freeze({ kind: 'claimed', release: () => Promise.resolve() });

/** Markers of one instance alone (`cache_store: memory`): every claim is granted, within the instance the runner's single flight applies. */
export const LOCAL_MARKERS: CheckMarkers = Object.freeze({
  shared: false,
  claim: () => Promise.resolve(LOCAL_CLAIM),
  waitForEnd: () => Promise.resolve('ended' as const),
});

/** SET NX with a TTL, or the TTL left of the marker already there: `[1]` claimed, `[0, pttl]` taken. */
const CLAIM_SCRIPT = `if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return {1} end
return {0, redis.call('pttl', KEYS[1])}`;

/** Deletes the marker if it is still this claim's, then publishes its end. */
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('del', KEYS[1])
  redis.call('publish', ARGV[2], KEYS[1])
  return 1
end
return 0`;

/**
 * Markers in the Redis of `cache_store`. A claim is an atomic `SET key token PX ttl NX` (token: this instance's id
 * and a counter); its release deletes the key only if it still holds that token and publishes the key on
 * `<key_prefix>tester-running:ended`. A waiting instance subscribes to that channel (one subscription per
 * instance), and asks Redis every {@link MARKER_POLL_MS} whether the marker is still there, in case the message is
 * lost or the owner died. Whenever Redis cannot be reached, a claim is granted without a marker and a wait ends
 * as `unavailable`: instances then check on their own, as they do without Redis.
 *
 * @example
 * ```ts
 * const markers = createRedisMarkers(redis);
 * const claim = await markers.claim(markerKey(cache.scope, name), budgetMs + MARKER_GRACE_MS);
 * if (claim.kind === 'claimed') try { await runCheck(); } finally { await claim.release(); }
 * ```
 */
export function createRedisMarkers(redis: TesterRedis): CheckMarkers {
  const prefix = redis.keyPrefix;
  const channel = `${prefix}${MARKER_CHANNEL}`;
  /** Waiters by full key, woken by a message naming their key. */
  const waiters = new Map<string, Set<() => void>>();
  let claims = 0;

  const onMessage = (fullKey: string): void => {
    for (const wake of waiters.get(fullKey) ?? []) wake();
  };

  /** Whether the marker is there: true, false, or null when Redis cannot say. */
  const exists = async (fullKey: string): Promise<boolean | null> => {
    try {
      return (await redis.commands.exists(fullKey)) === 1;
    } catch {
      return null;
    }
  };

  return {
    shared: true,
    async claim(key, ttlMs) {
      if (!(await redis.ready())) return LOCAL_CLAIM;
      const fullKey = prefix + key;
      claims += 1;
      const token = `${redis.instanceId}:${claims}`;
      let reply: unknown;
      try {
        reply = await redis.commands.eval(CLAIM_SCRIPT, 1, fullKey, token, String(Math.max(1, Math.ceil(ttlMs))));
      } catch {
        return LOCAL_CLAIM;
      }
      if (Array.isArray(reply) && reply[0] === 0) {
        const pttl = Number(reply[1]);
        // A marker without a TTL (-1) was not written by this code: wait no longer than for one of ours.
        return { kind: 'taken', remainingMs: pttl > 0 ? pttl : ttlMs };
      }
      return {
        kind: 'claimed',
        async release() {
          try {
            await redis.commands.eval(RELEASE_SCRIPT, 1, fullKey, token, channel);
          } catch {
            // Redis lost meanwhile: the marker expires by its TTL, and the waiting instances notice by polling.
          }
        },
      };
    },
    async waitForEnd(key, boundMs, signal) {
      if (signal?.aborted) return 'aborted';
      if (!(await redis.ready())) return 'unavailable';
      const fullKey = prefix + key;
      return new Promise<MarkerWait>((resolve) => {
        let done = false;
        let polling = false;
        const finish = (outcome: MarkerWait): void => {
          if (done) return;
          done = true;
          clearTimeout(bound);
          clearInterval(poll);
          signal?.removeEventListener('abort', aborted);
          const set = waiters.get(fullKey);
          set?.delete(wake);
          if (set?.size === 0) waiters.delete(fullKey);
          resolve(outcome);
        };
        const look = async (): Promise<void> => {
          if (polling || done) return;
          polling = true;
          const there = await exists(fullKey);
          polling = false;
          if (there === null) finish('unavailable');
          else if (!there) finish('ended');
        };
        const wake = (): void => finish('ended');
        const aborted = (): void => finish('aborted');
        const bound = setTimeout(() => finish('timeout'), Math.max(0, boundMs));
        const poll = setInterval(() => void look(), MARKER_POLL_MS);
        signal?.addEventListener('abort', aborted, { once: true });
        let set = waiters.get(fullKey);
        if (set === undefined) {
          set = new Set();
          waiters.set(fullKey, set);
        }
        set.add(wake);
        // Subscribed first, then asked: a check that ended before the subscription is seen by the question.
        void redis.subscribe(channel, onMessage).then(() => look());
      });
    },
  };
}
