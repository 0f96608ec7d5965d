// A well-known lookup with Synapse's cache rules: TTLs from cache-policy.ts, retries, refresh at 80 %, keep good on failure.

import type { CacheAnswerInfo, CacheStore } from '../cache/types.js';
import { createCoalescer } from '../cache/coalesce.js';
import type { Coalescer } from '../cache/coalesce.js';
import { createNameRecordStore } from '../cache/name-records.js';
import type { NameRecordStore } from '../cache/name-records.js';
import { MatrixDelegationError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { parseServerName } from '../server-name/index.js';
import {
  WELL_KNOWN_CACHE,
  hadRecentValidAnswer,
  isRetryableWellKnownFailure,
  isTemporaryWellKnownFailure,
  planKeptAnswer,
  planWellKnownCache,
} from './cache-policy.js';
import type { WellKnownCacheHistory } from './cache-policy.js';
import { WELL_KNOWN_SERVER_PATH } from './fetch.js';
import type { WellKnownAnswer, WellKnownFetcher, WellKnownFetchStatus } from './types.js';

/** What one shared fetch produced (exported for the shared coalescer's type). */
export interface WellKnownFlightResult {
  readonly answer: WellKnownAnswer;
  readonly info: CacheAnswerInfo;
}

/** Options of {@link createCachedWellKnown}; defaults in brackets. Give `store` or `records`. */
export interface CachedWellKnownOptions {
  readonly store?: CacheStore;
  /** The per-name record layer, when it is shared with the DNS cache. */
  readonly records?: NameRecordStore;
  /** The clock, ms since the epoch [Date.now]. */
  readonly now?: () => number;
  /** Jitter source, uniform in [0, 1) [Math.random]. */
  readonly random?: () => number;
  /** Waits between retries [a timer]; tests pass one that advances their fake clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Field of the host's record holding the answer ['w']: one per well-known port, so labs do not mix. */
  readonly field?: string;
  /** In-flight fetches, shared by every wrapper of one cache so concurrent resolutions fetch once. */
  readonly flights?: Coalescer<WellKnownFlightResult>;
}

/** A cached well-known answer, decoded. */
interface Entry {
  readonly answer: WellKnownAnswer;
  readonly storedAt: number;
  readonly refreshAt: number;
  readonly expiresAt: number;
  readonly history: WellKnownCacheHistory;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Wraps a well-known fetch with the cache rules of ground-truth §2 (numbers in `WELL_KNOWN_CACHE`):
 * - a success is kept for its Cache-Control / Expires lifetime clamped to [5 min, 48 h], or 24 h +/-10 %, and is
 *   fetched again once 80 % of that lifetime has passed;
 * - a failure is kept 1 h +/-10 %, or 2 min (doubling with each failure in a row, up to 1 h) when the domain had a
 *   valid answer within its lifetime + 2 h;
 * - for such a domain a temporary failure (network, TLS, 5xx, too large) is tried 3 times, 500 ms apart, and a
 *   refresh that still fails temporarily keeps serving the previous answer until its lifetime ends (marked `stale`),
 *   trying again after the failure period;
 * - concurrent lookups of one host share one fetch.
 *
 * Rejects only when the caller's `signal` aborts (as the fetch itself does).
 *
 * @example
 * ```ts
 * const wellKnown = createCachedWellKnown(fetchPort, { store: createMemoryStore() });
 * const first = await wellKnown('example.com', { signal });  // fetched: first.cache = { hit: false, ... }
 * const again = await wellKnown('example.com', { signal });  // again.cache = { hit: true, ageMs, ... }
 * ```
 */
export function createCachedWellKnown(fetch: WellKnownFetcher, options: CachedWellKnownOptions): WellKnownFetcher {
  const records =
    options.records ??
    (options.store
      ? createNameRecordStore(options.store, (_field, value, base) => wellKnownFieldKeepUntil(value, base))
      : undefined);
  if (records === undefined)
    throw new MatrixDelegationError('INVALID_ARGUMENT', 'createCachedWellKnown needs a store (or a record layer)');
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? sleepFor;
  const field = options.field ?? 'w';
  const flights = options.flights ?? createCoalescer<WellKnownFlightResult>();

  return async (hostname, { signal }) => {
    const host = hostname.toLowerCase().replace(/\.$/, '');
    const record = await records.read(host);
    const raw = record?.fields.get(field);
    const entry = raw !== undefined && record !== undefined ? decodeEntry(raw, record.base, host) : undefined;
    const t = now();
    if (entry !== undefined && t < entry.refreshAt) {
      return {
        ...entry.answer,
        cache: { hit: true, ageMs: t - entry.storedAt, storedAt: entry.storedAt, validUntil: entry.refreshAt },
      };
    }
    const { answer, info } = await flights.run(
      `${field}:${host}`,
      async (flightSignal) => {
        // Retries only for a domain that recently had a valid answer (Synapse): for the others a failure is the
        // common case (no well-known at all), and retrying it would only add latency.
        const history = entry?.history ?? null;
        const attempts = hadRecentValidAnswer(history, t) ? WELL_KNOWN_CACHE.retryAttempts : 1;
        let fresh = await fetch(hostname, { signal: flightSignal });
        for (let attempt = 1; attempt < attempts && isRetryableWellKnownFailure(fresh.status); attempt += 1) {
          await sleep(WELL_KNOWN_CACHE.retryDelayMs, flightSignal);
          fresh = await fetch(hostname, { signal: flightSignal });
        }
        const t2 = now();

        // A refresh of a still valid success that fails temporarily: keep the good answer, try again later.
        if (
          fresh.status !== 'delegated' &&
          isTemporaryWellKnownFailure(fresh.status) &&
          entry?.answer.status === 'delegated' &&
          t2 < entry.expiresAt
        ) {
          const kept = planKeptAnswer({ expiresAt: entry.expiresAt, nowMs: t2, history: entry.history, random });
          const next: Entry = { ...entry, refreshAt: Math.round(kept.refreshAt), history: kept.history };
          await store(next, t2);
          const answer: WellKnownAnswer = {
            ...entry.answer,
            data: { httpStatus: null, ...entry.answer.data, refreshFailed: fresh.detail },
          };
          return {
            answer,
            info: {
              hit: true,
              ageMs: t2 - entry.storedAt,
              storedAt: entry.storedAt,
              validUntil: next.refreshAt,
              stale: true,
            },
          };
        }

        const plan = planWellKnownCache({
          status: fresh.status,
          headers: fresh.headers ?? { cacheControl: null, expires: null },
          nowMs: t2,
          history,
          random,
        });
        // Whole milliseconds: jittered lifetimes are fractional, and stored entries should stay short.
        const expiresAt = t2 + Math.round(plan.lifetimeMs);
        const next: Entry = {
          answer: fresh,
          storedAt: t2,
          // The plan's refresh point, from the rounded lifetime (which is what the stored entry can rebuild).
          refreshAt: t2 + usualRefreshMs(fresh.status, expiresAt - t2),
          expiresAt,
          // (For a success: its end + 2 h, from the rounded end, which is what the stored entry can rebuild.)
          history: {
            ...plan.history,
            hadValidUntil:
              fresh.status === 'delegated'
                ? expiresAt + WELL_KNOWN_CACHE.rememberValidMs
                : Math.round(plan.history.hadValidUntil),
          },
        };
        await store(next, t2);
        return { answer: fresh, info: { hit: false, ageMs: 0, storedAt: t2, validUntil: next.refreshAt } };
      },
      signal,
    );
    return { ...answer, cache: info };

    function store(next: Entry, at: number): Promise<void> {
      return records!.update(host, field, (base) => encodeEntry(next, base, host), at);
    }
  };
}

/**
 * Until when a stored well-known answer must be kept: its end, or later while its "had a valid answer" history
 * matters (it shortens failure lifetimes and enables retries). Given to the per-name record layer.
 */
export function wellKnownFieldKeepUntil(value: readonly unknown[], base: number): number {
  const entry = decodeEntry(value, base, '');
  return entry === undefined ? 0 : Math.max(entry.expiresAt, entry.history.hadValidUntil);
}

const STATUS_LETTERS: Readonly<Record<WellKnownFetchStatus, string>> = {
  delegated: 'd',
  absent: 'a',
  invalid: 'i',
  error: 'e',
  blocked: 'b',
};
const LETTER_STATUS = new Map(
  Object.entries(STATUS_LETTERS).map(([status, letter]) => [letter, status as WellKnownFetchStatus]),
);

/** The detail the fetch writes for the two common outcomes; such a detail is not stored but rebuilt. */
function usualDetail(
  host: string,
  status: WellKnownFetchStatus,
  mServer: string | null,
  httpStatus: unknown,
): string | null {
  const url = `https://${host}${WELL_KNOWN_SERVER_PATH}`;
  if (status === 'delegated' && mServer !== null) return `${url} delegates to ${mServer}`;
  if (status === 'absent' && httpStatus === 404) return `${url} answered 404: there is no well-known document`;
  return null;
}

/** The refresh time an entry has unless a kept answer moved it: 80 % of a success's lifetime, a failure's end. */
function usualRefreshMs(status: WellKnownFetchStatus, lifetimeMs: number): number {
  return status === 'delegated' ? Math.round(lifetimeMs * WELL_KNOWN_CACHE.refreshFraction) : lifetimeMs;
}

/** The "had a valid answer until" a success sets (its end + 2 h); failures carry the one before them. */
function usualHadValidUntil(status: WellKnownFetchStatus, storedAt: number, lifetimeMs: number): number {
  return status === 'delegated' ? storedAt + lifetimeMs + WELL_KNOWN_CACHE.rememberValidMs : 0;
}

/**
 * `[storedAt - base, lifetime ms, status letter, mServer, httpStatus, code, detail, refresh ms, hadValidUntil - base,
 * failures]`, where what has its usual value is null (the usual detail, refresh time and history) and trailing
 * nulls are left out: a plain success is `[0,86400000,"d","matrix.example.com:443",200]`.
 */
function encodeEntry(entry: Entry, base: number, host: string): unknown[] {
  const { answer } = entry;
  const lifetimeMs = entry.expiresAt - entry.storedAt;
  const httpStatus = answer.data?.httpStatus ?? null;
  const refreshMs = entry.refreshAt - entry.storedAt;
  const hadValid = entry.history.hadValidUntil;
  const out: unknown[] = [
    Math.round(entry.storedAt - base),
    lifetimeMs,
    STATUS_LETTERS[answer.status],
    answer.mServer,
    httpStatus,
    answer.code,
    answer.detail === usualDetail(host, answer.status, answer.mServer, httpStatus) ? null : answer.detail,
    refreshMs === usualRefreshMs(answer.status, lifetimeMs) ? null : refreshMs,
    hadValid === usualHadValidUntil(answer.status, entry.storedAt, lifetimeMs) ? null : Math.round(hadValid - base),
    entry.history.failures === 0 ? null : entry.history.failures,
  ];
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

function decodeEntry(value: readonly unknown[], base: number, host: string): Entry | undefined {
  const [offset, lifetimeMs, letter, mServer, httpStatus, code, detail, refreshMs, hadValid, failures] = value;
  const status = typeof letter === 'string' ? LETTER_STATUS.get(letter) : undefined;
  if (typeof offset !== 'number' || typeof lifetimeMs !== 'number' || status === undefined) return undefined;
  const storedAt = base + offset;
  const server = typeof mServer === 'string' ? mServer : null;
  const status_ = typeof httpStatus === 'number' ? httpStatus : null;
  // The stored m.server is parsed again (the store holds text, and a shared store may hold anything): as the
  // resolver takes a delegation only with its parsed form, a value that no longer parses is an invalid answer.
  const parsed = status === 'delegated' && server !== null ? parseServerName(server) : null;
  const answer: WellKnownAnswer = {
    status,
    mServer: server,
    serverName: parsed?.ok === true ? parsed.value : null,
    code: typeof code === 'string' ? (code as ErrorCode) : null,
    detail: typeof detail === 'string' ? detail : (usualDetail(host, status, server, status_) ?? ''),
    data: { httpStatus: status_ },
  };
  return {
    answer,
    storedAt,
    refreshAt: storedAt + (typeof refreshMs === 'number' ? refreshMs : usualRefreshMs(status, lifetimeMs)),
    expiresAt: storedAt + lifetimeMs,
    history: {
      hadValidUntil: typeof hadValid === 'number' ? base + hadValid : usualHadValidUntil(status, storedAt, lifetimeMs),
      failures: typeof failures === 'number' ? failures : 0,
    },
  };
}
