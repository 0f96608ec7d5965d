// Per-client rate limit of the tester: how many checks one client may start per minute, and what answers from the cache cost.

import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { TesterRedis } from './shared-redis.js';

/** The answer of {@link ClientRateLimiter.take}. */
export type RateLimitDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * What a request is charged: `check` for one that runs a check, `answer` for one answered with a report already
 * made (from the cache, or by joining a check of the same name that is running).
 */
export type RateLimitCost = 'check' | 'answer';

/**
 * Points of the per-client budget, per cost: a check is 20, an answer from a report already made is 1, so a client
 * may have 20 cached answers for the price of one check (with the default of 10 checks a minute: 200 cached
 * answers a minute, or fewer with checks among them). Integers, so that the budget adds up exactly.
 */
export const RATE_LIMIT_POINTS: Readonly<Record<RateLimitCost, number>> = Object.freeze({ check: 20, answer: 1 });

/** A per-client budget of checks. */
export interface ClientRateLimiter {
  /** Takes a check (or, with `'answer'`, the smaller price of a cached answer) from `key`'s budget, or says how long until it refills. */
  take(key: string, cost?: RateLimitCost): Promise<RateLimitDecision>;
  /** Gives back a check taken by {@link take} that did not run (the server was busy). */
  refund(key: string): Promise<void>;
}

/** The key prefix of the shared limit in Redis, after the `cache_store` prefix: `<key_prefix>tester-limit:<client>`. */
export const RATE_LIMIT_KEY = 'tester-limit';

/**
 * A fixed one-minute window per client key (rate-limiter-flexible): `perMinute` checks, then refusals until the
 * window that started with the client's first request ends. `perMinute` 0 means no limit. Answers from a report
 * already made (a cache hit, or joining a running check of the same name) cost a twentieth of a check
 * ({@link RATE_LIMIT_POINTS}): cheap, since no other server is contacted, but not free, since each is a whole
 * report sent (a real one is 5 to 20 KB, a hostile one up to about 750 KB).
 *
 * Without `shared`, the budget is kept in this process (the memory limiter). With `shared` (`cache_store: redis`),
 * it is kept in that Redis (the Redis limiter, one atomic script per request, keys
 * `<key_prefix>tester-limit:<client>`), so every instance sharing the Redis charges one budget per client. While
 * Redis cannot be reached, the limiter's insurance limiter takes over: a memory limiter of the same size in this
 * process, so each instance limits on its own (a client gets at most one budget per instance) until Redis is back;
 * what was counted meanwhile is not carried over. A request never fails or waits for a lost Redis: a connection
 * not ready sends nothing (`rejectIfRedisNotReady`), a command gets 250 ms.
 *
 * @example
 * ```ts
 * const limiter = createClientRateLimiter(10);
 * const decision = await limiter.take(clientKey(req.socket.remoteAddress));
 * if (!decision.allowed) res.setHeader('retry-after', String(decision.retryAfterSeconds));
 * ```
 */
export function createClientRateLimiter(perMinute: number, shared?: TesterRedis | null): ClientRateLimiter {
  if (perMinute <= 0) {
    return { take: () => Promise.resolve({ allowed: true }), refund: () => Promise.resolve() };
  }
  const points = perMinute * RATE_LIMIT_POINTS.check;
  const local = new RateLimiterMemory({ points, duration: 60 });
  let limiter: RateLimiterAbstract = local;
  if (shared !== undefined && shared !== null) {
    limiter = new RateLimiterRedis({
      storeClient: shared.commands,
      points,
      duration: 60,
      keyPrefix: `${shared.keyPrefix}${RATE_LIMIT_KEY}`,
      rejectIfRedisNotReady: true,
      insuranceLimiter: local,
    });
  }
  // The first request waits for the first connection attempt (bounded), so that the very first checks of a
  // fresh instance are not all charged to its insurance limiter.
  const ready = async (): Promise<void> => {
    if (shared !== undefined && shared !== null) await shared.ready();
  };
  return {
    async take(key, cost = 'check') {
      await ready();
      try {
        await limiter.consume(key, RATE_LIMIT_POINTS[cost]);
        return { allowed: true };
      } catch (rejection) {
        // A spent budget rejects with a RateLimiterRes; a Redis fault goes to the insurance limiter, so anything
        // else is a bug.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
    },
    async refund(key) {
      await ready();
      await limiter.reward(key, RATE_LIMIT_POINTS.check);
    },
  };
}
