// Per-client rate limit of the tester: how many checks one client may start per minute, and what answers from the cache cost.

import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

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

/**
 * A fixed one-minute window per client key (rate-limiter-flexible's memory limiter): `perMinute` checks, then
 * refusals until the window that started with the client's first request ends. `perMinute` 0 means no limit.
 * Answers from a report already made (a cache hit, or joining a running check of the same name) cost a
 * twentieth of a check ({@link RATE_LIMIT_POINTS}): cheap, since no other server is contacted, but not free, since
 * each is a whole report sent (a real one is 5 to 20 KB, a hostile one up to about 750 KB).
 *
 * @example
 * ```ts
 * const limiter = createClientRateLimiter(10);
 * const decision = await limiter.take(clientKey(req.socket.remoteAddress));
 * if (!decision.allowed) res.setHeader('retry-after', String(decision.retryAfterSeconds));
 * ```
 */
export function createClientRateLimiter(perMinute: number): ClientRateLimiter {
  if (perMinute <= 0) {
    return { take: () => Promise.resolve({ allowed: true }), refund: () => Promise.resolve() };
  }
  const limiter = new RateLimiterMemory({ points: perMinute * RATE_LIMIT_POINTS.check, duration: 60 });
  return {
    async take(key, cost = 'check') {
      try {
        await limiter.consume(key, RATE_LIMIT_POINTS[cost]);
        return { allowed: true };
      } catch (rejection) {
        // The memory limiter rejects with a RateLimiterRes when the budget is spent; anything else is a bug.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
    },
    async refund(key) {
      await limiter.reward(key, RATE_LIMIT_POINTS.check);
    },
  };
}
