// Per-client rate limit of the tester: how many checks one client may start per minute.

import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** The answer of {@link ClientRateLimiter.take}. */
export type RateLimitDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A per-client budget of checks. */
export interface ClientRateLimiter {
  /** Takes one check from `key`'s budget, or says how long until the budget refills. */
  take(key: string): Promise<RateLimitDecision>;
  /** Gives back a check taken by {@link take} that did not run (the server was busy). */
  refund(key: string): Promise<void>;
}

/**
 * A fixed one-minute window per client key (rate-limiter-flexible's memory limiter): `perMinute` checks, then
 * refusals until the window that started with the client's first check ends. `perMinute` 0 means no limit.
 * Only checks that would actually run count: cache hits and joins to a running check of the same name are free.
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
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return {
    async take(key) {
      try {
        await limiter.consume(key, 1);
        return { allowed: true };
      } catch (rejection) {
        // The memory limiter rejects with a RateLimiterRes when the budget is spent; anything else is a bug.
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
    },
    async refund(key) {
      await limiter.reward(key, 1);
    },
  };
}
