// The tester's check runner: cache, single flight per name (across instances with Redis), per-client rate limit, global cap, deadline.

import { createMemoryStore } from '../../cache/memory-store.js';
import type { CacheStore } from '../../cache/types.js';
import type { CheckOptions, CheckReport } from '../../checker/types.js';
import { CONFIG_DEFAULTS } from '../../config/defaults.js';
import type { TesterConfig } from '../../config/types.js';
import { DEFAULT_LOCALE } from '../../i18n/locale.js';
import type { ServerLogger } from '../logger.js';
import type { ServerMetrics } from '../metrics.js';
import { LOCAL_MARKERS, MARKER_GRACE_MS, createRedisMarkers, markerKey } from './check-markers.js';
import type { CheckMarkers } from './check-markers.js';
import { testerCheckOptions } from './check-options.js';
import { clientKey } from './client-key.js';
import { createInFlightLimit } from './in-flight.js';
import type { InFlightLimit } from './in-flight.js';
import { createClientRateLimiter } from './rate-limit.js';
import type { ClientRateLimiter } from './rate-limit.js';
import { createResultCache, resultCacheScope } from './result-cache.js';
import type * as CheckerModule from '../../checker/check.js';
import type { CachedCheck, ResultCache } from './result-cache.js';
import type { TesterRedis } from './shared-redis.js';

/** The function that checks a server (`checkServer`; tests may wrap it to count or slow down runs). */
export type CheckFunction = (serverName: string, options: CheckOptions) => Promise<CheckReport>;

/**
 * `checkServer`, loaded on the first check: the checker and what it needs (the resolver, the HTTP client, DNS,
 * X.509, the hints) are most of the code of the package, and a server whose tester is never asked never runs them.
 * Loaded at start they held about 4 MB of its heap (13.5 MB after start, 9.2 MB without them; 8.4 MB with ioredis
 * also loaded on demand).
 */
const checkServerOnDemand: CheckFunction = async (serverName, options) => {
  checkerModule ??= import('../../checker/check.js');
  const { checkServer } = await checkerModule;
  return checkServer(serverName, options);
};
let checkerModule: Promise<typeof CheckerModule> | undefined;

/** Seconds a client told "busy" should wait before retrying: about the time a typical check takes. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** Options of {@link createTesterRunner}. */
export interface TesterRunnerOptions {
  /** The tester section of the config. */
  readonly settings: TesterConfig;
  /** Replace the config's checker options key by key (command-line flags, test labs). */
  readonly checkOptions?: CheckOptions;
  /** The check to run [checkServer]. */
  readonly check?: CheckFunction;
  /**
   * Where finished checks are cached (`cache_store`: memory, or Redis shared by several instances) [an in-memory
   * LRU with the `cache_store` defaults]. The runner never closes it: its creator does.
   */
  readonly store?: CacheStore;
  /**
   * The tester's connections to the Redis of `cache_store: redis` (`createTesterRedis`): with it, the per-client
   * rate limit is kept in Redis and a name is checked by one instance at a time (in-flight markers) [none: both per
   * instance]. The runner never closes it: its creator does.
   */
  readonly redis?: TesterRedis | null;
  readonly metrics?: ServerMetrics;
  readonly logger?: ServerLogger;
}

/** How a tester request ends. */
export type TesterAnswer =
  /** A report: from a check this request started (`run`), the cache (`cached`) or a check already running for the same name (`joined`). */
  | {
      readonly kind: 'report';
      readonly source: 'run' | 'cached' | 'joined';
      readonly report: CheckReport;
      readonly finishedAt: number;
    }
  /** This client started too many checks in the current minute. */
  | { readonly kind: 'rate-limited'; readonly retryAfterSeconds: number }
  /** All check slots are taken. */
  | { readonly kind: 'busy'; readonly retryAfterSeconds: number }
  /** The check did not finish within the budget; it goes on, and its result is cached when it ends. */
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  /** The check itself failed (a bug, not a bad server: remote faults are results). */
  | { readonly kind: 'error'; readonly message: string };

/** The runner behind the tester API. */
export interface TesterRunner {
  /** Answers a request for `serverName` (already validated) from the client at `remoteAddress`. */
  request(serverName: string, remoteAddress: string | undefined): Promise<TesterAnswer>;
  /**
   * Applies new tester settings (a config reload): limits change at once. Cached results are keyed by what a
   * check depends on (checker options and version, see `resultCacheScope`), so a reload that changes any of
   * those ignores every earlier result, and one that does not keeps them (they are still what a check would say).
   */
  update(settings: TesterConfig): void;
  /**
   * Keeps results in `store` from now on (a reload that changed `cache_store`), and rate limits and in-flight
   * markers in `redis` (none: per instance); what the previous store held is not carried over. The caller closes
   * the previous store and Redis connections.
   */
  setStore(store: CacheStore, redis?: TesterRedis | null): void;
  /** Checks running now. */
  readonly running: number;
  /** Aborts every running check (shutdown). Requests waiting for them end with `error` or `timeout`. */
  abortAll(): void;
}

const TIMED_OUT = Symbol('timed out');

/** How a check of a name ended for the request that led it (see `lead` in {@link createTesterRunner}). */
type LeadOutcome =
  /** A result: from a check run here (`run`), or by another instance, read from the shared cache (`joined`). */
  | { readonly kind: 'result'; readonly source: 'run' | 'joined'; readonly entry: CachedCheck }
  /** Another instance's check brought no result, and every slot here was taken when this one wanted to check. */
  | { readonly kind: 'busy' };

/**
 * Creates the runner. A request is answered, in this order: from the cache; by joining a check of the same name
 * that is already running (so a page reloaded by many people costs one check); else the client's rate limit is
 * charged a check, a slot of the global cap is taken (503 when none is free, the charge refunded), and the check
 * runs. An answer from the cache or a joined check is charged too, a twentieth of a check (`RATE_LIMIT_POINTS`):
 * a client asking for a cached report over and over is refused once its budget is spent, instead of making the
 * server send that report without end. The answer waits at most the check budget (`timeoutMs`); a slower check
 * keeps its slot until it really ends, so the cap always bounds the connections made to other servers.
 *
 * With `redis` (several instances sharing `cache_store: redis`), the rate limit is one budget per client across
 * the instances, and before a check runs, its in-flight marker is set in Redis next to the result's key
 * (`check-markers.ts`). An instance that finds the marker of another does not check the name: it gives its slot
 * back, charges the client an answer's price, and waits (at most the marker's life: the budget plus
 * {@link MARKER_GRACE_MS}) for the other's result to appear in the shared cache. When the marker goes without a
 * result (that check failed, or its instance died) it claims the name and checks it itself; when the wait runs
 * out or Redis is lost, it checks without a marker. Requests of this instance for the same name join that wait as
 * they join a check. The answer still waits at most the budget: past it, `timeout`, and the work goes on.
 *
 * @example
 * ```ts
 * const runner = createTesterRunner({ settings: config.tester });
 * const answer = await runner.request('example.com', req.socket.remoteAddress);
 * if (answer.kind === 'report') console.log(answer.report.federationOk);
 * ```
 */
export function createTesterRunner(options: TesterRunnerOptions): TesterRunner {
  const check = options.check ?? checkServerOnDemand;
  const { metrics, logger } = options;
  let settings = options.settings;
  let checkOptions = testerCheckOptions(settings, options.checkOptions);
  let redis: TesterRedis | null = options.redis ?? null;
  let limiter: ClientRateLimiter = createClientRateLimiter(settings.rateLimitPerMinute, redis);
  let markers: CheckMarkers = redis === null ? LOCAL_MARKERS : createRedisMarkers(redis);
  let store: CacheStore =
    options.store ??
    createMemoryStore({
      maxEntries: CONFIG_DEFAULTS.cacheStore.maxEntries,
      maxBytes: CONFIG_DEFAULTS.cacheStore.maxBytes,
    });
  const makeCache = (): ResultCache =>
    createResultCache({
      store,
      ttlSeconds: settings.cacheSeconds,
      scope: resultCacheScope(checkOptions),
      onProblem: ({ key, reason, error }) =>
        logger?.warn(
          { key, reason, ...(error === undefined ? {} : { err: error }) },
          'tester result cache: entry ignored',
        ),
    });
  let cache: ResultCache = makeCache();
  const inFlight: InFlightLimit = createInFlightLimit(settings.maxInFlight);
  const pending = new Map<string, Promise<LeadOutcome>>();
  const controllers = new Set<AbortController>();
  /** Aborted by {@link TesterRunner.abortAll}: ends the waits for other instances' checks. */
  let stopping = new AbortController();

  const budgetMs = (): number => checkOptions.timeoutMs ?? settings.timeoutMs;

  async function run(serverName: string, release: () => void): Promise<CachedCheck> {
    const controller = new AbortController();
    controllers.add(controller);
    // A check started under other checker options must not fill the cache of the new ones (a reload meanwhile).
    const startedScope = cache.scope;
    const started = performance.now();
    metrics?.checksInFlight.inc();
    try {
      // In English whatever the caller's options say: one cached result serves every language (`/api/check` in
      // another language makes the summary and hints again from it, localize-report.ts), and `/api/report` is English.
      const report = await check(serverName, { ...checkOptions, signal: controller.signal, locale: DEFAULT_LOCALE });
      const entry: CachedCheck = { report, finishedAt: Date.now() };
      // Awaited, so that once this answer is sent another instance asking Redis finds it (bounded by the store's
      // command timeout; a store never rejects).
      if (startedScope === cache.scope) await cache.set(serverName, entry);
      metrics?.checks.inc({ result: report.federationOk ? 'good' : 'bad' });
      logger?.info(
        { serverName, federationOk: report.federationOk, durationMs: Math.round(performance.now() - started) },
        'check finished',
      );
      return entry;
    } catch (error) {
      metrics?.checks.inc({ result: 'error' });
      logger?.error({ serverName, err: error }, 'check failed');
      throw error;
    } finally {
      metrics?.checkDuration.observe((performance.now() - started) / 1000);
      metrics?.checksInFlight.dec();
      controllers.delete(controller);
      release();
    }
  }

  /**
   * Gets the result of `serverName` for the request that holds the slot `release`: checks it here, or, when another
   * instance sharing the Redis is checking it, waits for that result (see {@link createTesterRunner}).
   */
  async function lead(serverName: string, release: () => void): Promise<LeadOutcome> {
    // Without a shared cache another instance's result could not be read: nothing to wait for.
    if (!markers.shared || cache.ttlSeconds <= 0)
      return { kind: 'result', source: 'run', entry: await run(serverName, release) };
    const key = markerKey(cache.scope, serverName);
    const ttlMs = budgetMs() + MARKER_GRACE_MS;
    const deadline = performance.now() + ttlMs;
    let slot: (() => void) | null = release;
    let waited = false;
    try {
      // Each turn either checks or waits for a marker; the waits together end by the deadline.
      for (;;) {
        const claim = await markers.claim(key, ttlMs);
        if (claim.kind === 'claimed') {
          // A check that ended between this request's cache miss and its claim wrote its result before it
          // released its marker: read once more, or the name would be checked twice.
          const finished = await cache.get(serverName);
          if (finished !== undefined) {
            await claim.release();
            return { kind: 'result', source: 'joined', entry: finished };
          }
          slot ??= inFlight.tryAcquire();
          if (slot === null) {
            await claim.release();
            return { kind: 'busy' };
          }
          const acquired = slot;
          slot = null;
          try {
            return { kind: 'result', source: 'run', entry: await run(serverName, acquired) };
          } finally {
            await claim.release();
          }
        }
        // Another instance checks this name: no slot is needed to wait for it.
        slot?.();
        slot = null;
        if (!waited) logger?.debug({ serverName }, 'tester: waiting for the check another instance runs');
        waited = true;
        const left = deadline - performance.now();
        const end =
          left > 0 ? await markers.waitForEnd(key, Math.min(claim.remainingMs, left), stopping.signal) : 'timeout';
        if (end === 'aborted') throw new Error('the server is shutting down');
        const entry = await cache.get(serverName);
        if (entry !== undefined) return { kind: 'result', source: 'joined', entry };
        // No result: that check failed, or its instance died (the marker expired). Claim the name, unless time is
        // up or Redis is gone.
        if (end === 'unavailable' || deadline - performance.now() <= 0) break;
      }
      logger?.info({ serverName }, 'tester: no result from the instance that was checking this name; checking it here');
      slot ??= inFlight.tryAcquire();
      if (slot === null) return { kind: 'busy' };
      const acquired = slot;
      slot = null;
      return { kind: 'result', source: 'run', entry: await run(serverName, acquired) };
    } finally {
      // A slot no check took (run releases its own).
      slot?.();
    }
  }

  async function waitFor(role: 'run' | 'joined', promise: Promise<LeadOutcome>): Promise<TesterAnswer> {
    const timeoutMs = budgetMs();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
    });
    try {
      const outcome = await Promise.race([promise, deadline]);
      if (outcome === TIMED_OUT) {
        metrics?.testerRequests.inc({ outcome: 'timeout' });
        return { kind: 'timeout', timeoutMs };
      }
      if (outcome.kind === 'busy') return busy();
      const source = role === 'joined' ? 'joined' : outcome.source;
      metrics?.testerRequests.inc({ outcome: source });
      return { kind: 'report', source, report: outcome.entry.report, finishedAt: outcome.entry.finishedAt };
    } catch (error) {
      metrics?.testerRequests.inc({ outcome: 'error' });
      return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  function busy(): TesterAnswer {
    metrics?.testerRequests.inc({ outcome: 'busy' });
    logger?.warn({ maxInFlight: inFlight.max }, 'tester busy: every check slot is taken');
    return { kind: 'busy', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
  }

  return {
    async request(serverName, remoteAddress) {
      const key = clientKey(remoteAddress);
      const refused = (decision: { readonly retryAfterSeconds: number }): TesterAnswer => {
        metrics?.testerRequests.inc({ outcome: 'rate_limited' });
        logger?.info({ client: key }, 'tester rate limit reached');
        return { kind: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds };
      };
      const cached = await cache.get(serverName);
      if (cached !== undefined) {
        const charged = await limiter.take(key, 'answer');
        if (!charged.allowed) return refused(charged);
        metrics?.testerRequests.inc({ outcome: 'cached' });
        return { kind: 'report', source: 'cached', report: cached.report, finishedAt: cached.finishedAt };
      }
      const running = pending.get(serverName);
      if (running !== undefined) {
        const charged = await limiter.take(key, 'answer');
        if (!charged.allowed) return refused(charged);
        return waitFor('joined', running);
      }

      const decision = await limiter.take(key);
      if (!decision.allowed) return refused(decision);
      // The limiter is asynchronous: a check of this name may have started meanwhile.
      const startedMeanwhile = pending.get(serverName);
      if (startedMeanwhile !== undefined) {
        // Charged an answer's price, like any other join.
        await limiter.refund(key);
        await limiter.take(key, 'answer');
        return waitFor('joined', startedMeanwhile);
      }
      const release = inFlight.tryAcquire();
      if (release === null) {
        await limiter.refund(key);
        return busy();
      }
      const promise = lead(serverName, release);
      pending.set(serverName, promise);
      const forget = (): void => {
        if (pending.get(serverName) === promise) pending.delete(serverName);
      };
      // Joiners and the deadline race observe the promise; this also keeps a rejection from being reported
      // unhandled when nobody waits any more (the requester timed out).
      promise.then(forget, forget);
      const answer = await waitFor('run', promise);
      if (answer.kind === 'busy') {
        await limiter.refund(key);
      } else if (answer.kind === 'report' && answer.source === 'joined') {
        // Another instance ran the check: this client is charged an answer's price, like any other join.
        await limiter.refund(key);
        await limiter.take(key, 'answer');
      }
      return answer;
    },
    update(next) {
      if (next.rateLimitPerMinute !== settings.rateLimitPerMinute)
        limiter = createClientRateLimiter(next.rateLimitPerMinute, redis);
      inFlight.max = Math.max(1, next.maxInFlight);
      settings = next;
      checkOptions = testerCheckOptions(next, options.checkOptions);
      cache = makeCache();
    },
    setStore(next, nextRedis = null) {
      store = next;
      cache = makeCache();
      if (nextRedis !== redis) {
        redis = nextRedis;
        limiter = createClientRateLimiter(settings.rateLimitPerMinute, redis);
        markers = redis === null ? LOCAL_MARKERS : createRedisMarkers(redis);
      }
    },
    get running() {
      return inFlight.running;
    },
    abortAll() {
      for (const controller of controllers) controller.abort(new Error('the server is shutting down'));
      stopping.abort();
      stopping = new AbortController();
    },
  };
}
