// How long a /.well-known/matrix/server answer is kept (ground-truth §2, Synapse's numbers): pure, headers + history -> times.

import type { WellKnownCacheHeaders, WellKnownFetchStatus } from './types.js';

/**
 * The numbers of the well-known cache. The spec (server-server API, "Resolving server names" step 3) asks to
 * cache successes and failures, respect Cache-Control / Expires, default to 24 h, keep at most 48 h, and cache
 * errors for up to 1 h with exponential back-off; the rest are Synapse's choices (ground-truth §2).
 */
export const WELL_KNOWN_CACHE = {
  /** Lifetime of a success without caching headers (spec: 24 h), before jitter. */
  defaultLifetimeMs: 24 * 60 * 60 * 1000,
  /** Jitter on default and failure lifetimes: +/-10 %, so that restarts do not make every entry expire at once. */
  jitter: 0.1,
  /** Shortest lifetime of a header-derived success: `no-store` and `max-age=0` still keep 5 min (Synapse). */
  minLifetimeMs: 5 * 60 * 1000,
  /** Longest lifetime of a success (spec: 48 h). */
  maxLifetimeMs: 48 * 60 * 60 * 1000,
  /** Lifetime of a failure (spec: up to 1 h), before jitter; also the cap of the back-off. */
  failureLifetimeMs: 60 * 60 * 1000,
  /** Lifetime of a first failure for a domain that recently had a valid answer (Synapse: 2 min), doubled per repeat. */
  recentlyValidFailureLifetimeMs: 2 * 60 * 1000,
  /** A domain "recently had a valid answer" until this long after that answer's lifetime ended (Synapse: 2 h). */
  rememberValidMs: 2 * 60 * 60 * 1000,
  /** A success is fetched again once this fraction of its lifetime has passed (Synapse: 80 %). */
  refreshFraction: 0.8,
  /** Attempts of a fetch that fails temporarily, for a domain that recently had a valid answer (Synapse: 3). */
  retryAttempts: 3,
  /** Pause between those attempts (Synapse: 500 ms). */
  retryDelayMs: 500,
} as const;

/** What the cache remembers of a domain across its entries. */
export interface WellKnownCacheHistory {
  /** Until when the domain counts as having had a valid answer recently (ms since the epoch; 0 if never). */
  readonly hadValidUntil: number;
  /** Failures in a row since the last success (0 after a success). */
  readonly failures: number;
}

/** When an entry stops being served without a fetch, and when it is dropped. */
export interface WellKnownCachePlan {
  /** Lifetime of the entry from now, ms: after it the answer is not used any more. */
  readonly lifetimeMs: number;
  /** Time from now after which the next resolution fetches again (80 % of the lifetime for a success). */
  readonly refreshAfterMs: number;
  /** The history to keep with the entry. */
  readonly history: WellKnownCacheHistory;
}

/**
 * A fetch that failed in a way that may pass: network, TLS, timeout, 5xx, body too large (`error`), and addresses
 * the policy denied (`blocked`, which may change with DNS). A 4xx, bad JSON or a missing `m.server` is permanent.
 * Only temporary failures keep the previous good answer (Synapse's rule).
 */
export function isTemporaryWellKnownFailure(status: WellKnownFetchStatus): boolean {
  return status === 'error' || status === 'blocked';
}

/** Whether a failed attempt is worth repeating at once: only `error` (a `blocked` answer will not change in 500 ms). */
export function isRetryableWellKnownFailure(status: WellKnownFetchStatus): boolean {
  return status === 'error';
}

/** True when `history` says the domain had a valid answer recently, so its failures are cached briefly and retried. */
export function hadRecentValidAnswer(history: WellKnownCacheHistory | null, nowMs: number): boolean {
  return history !== null && nowMs < history.hadValidUntil;
}

/**
 * Parses a Cache-Control header (RFC 9111 §5.2) into directives, names lowercase, values unquoted (null for a
 * directive without a value). Repeated headers arrive joined with ", ", which parses the same.
 *
 * @example
 * ```ts
 * parseCacheControl('public, max-age=3600').get('max-age'); // '3600'
 * ```
 */
export function parseCacheControl(header: string | null): ReadonlyMap<string, string | null> {
  const directives = new Map<string, string | null>();
  if (header === null) return directives;
  for (const part of splitOutsideQuotes(header)) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim().toLowerCase();
    let value = eq < 0 ? null : item.slice(eq + 1).trim();
    if (value !== null && value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    // The first occurrence of a directive wins (a repeated max-age is the sender's error).
    if (name !== '' && !directives.has(name)) directives.set(name, value);
  }
  return directives;
}

/** Splits a header list on the commas that are not inside a quoted string. */
function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    if (quoted && ch === '\\' && i + 1 < text.length) {
      current += ch + text[(i += 1)]!;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const IMF_FIXDATE = /^[a-z]{3}, (\d{2}) ([a-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const RFC850_DATE = /^[a-z]{6,9}, (\d{2})-([a-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) gmt$/i;
const ASCTIME_DATE = /^[a-z]{3} ([a-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/i;

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms) into ms since the
 * epoch, or null when it is none of them. Stricter than `Date.parse`, which reads `"0"` or `"2024"` as dates: an
 * invalid Expires must count as already expired (RFC 9111 §5.3), not as some day in 2000.
 */
export function parseHttpDate(text: string, nowMs: number = Date.now()): number | null {
  const value = text.trim();
  let fields: { day: string; month: string; year: number; time: [string, string, string] };
  let m: RegExpExecArray | null;
  if ((m = IMF_FIXDATE.exec(value)) !== null) {
    fields = { day: m[1]!, month: m[2]!, year: Number(m[3]), time: [m[4]!, m[5]!, m[6]!] };
  } else if ((m = RFC850_DATE.exec(value)) !== null) {
    // RFC 9110: a two-digit year more than 50 years in the future means the most recent past year with those digits.
    const thisYear = new Date(nowMs).getUTCFullYear();
    let year = Math.floor(thisYear / 100) * 100 + Number(m[3]);
    if (year > thisYear + 50) year -= 100;
    fields = { day: m[1]!, month: m[2]!, year, time: [m[4]!, m[5]!, m[6]!] };
  } else if ((m = ASCTIME_DATE.exec(value)) !== null) {
    fields = { day: m[2]!.trim(), month: m[1]!, year: Number(m[6]), time: [m[3]!, m[4]!, m[5]!] };
  } else {
    return null;
  }
  const month = MONTHS.indexOf(fields.month.toLowerCase());
  const day = Number(fields.day);
  const [h, min, s] = fields.time.map(Number) as [number, number, number];
  if (month < 0 || day < 1 || day > 31 || h > 23 || min > 59 || s > 60) return null;
  // A leap second (:60) is read as :59.
  const ms = Date.UTC(fields.year, month, day, h, min, Math.min(s, 59));
  // Date.UTC rolls 31 February over into March: refuse a day the month does not have.
  return new Date(ms).getUTCDate() === day ? ms : null;
}

/**
 * The lifetime the response's headers ask for, in ms, or null when they say nothing (then the default applies).
 * `no-store` -> 0; else a valid `max-age` wins over `Expires`; else `Expires` minus now (an invalid `Expires`
 * counts as already expired: 0). The result is not clamped yet (see {@link successLifetimeMs}).
 */
export function headerLifetimeMs(headers: WellKnownCacheHeaders, nowMs: number): number | null {
  const directives = parseCacheControl(headers.cacheControl);
  if (directives.has('no-store')) return 0;
  const maxAge = directives.get('max-age');
  if (maxAge !== undefined && maxAge !== null && /^\d+$/.test(maxAge)) return Number(maxAge) * 1000;
  if (headers.expires !== null) {
    const expires = parseHttpDate(headers.expires, nowMs);
    return expires === null ? 0 : Math.max(0, expires - nowMs);
  }
  return null;
}

/** `value` scaled by a factor drawn uniformly from [1 - jitter, 1 + jitter). */
function jittered(value: number, random: () => number): number {
  const r = random();
  const unit = r >= 0 && r < 1 ? r : 0.5;
  return value * (1 - WELL_KNOWN_CACHE.jitter + 2 * WELL_KNOWN_CACHE.jitter * unit);
}

/**
 * Lifetime of a success: from the headers clamped to [5 min, 48 h]; without caching headers, 24 h +/-10 %.
 *
 * @example
 * ```ts
 * successLifetimeMs({ cacheControl: 'max-age=60', expires: null }, Date.now(), Math.random); // 300000 (5 min floor)
 * ```
 */
export function successLifetimeMs(headers: WellKnownCacheHeaders, nowMs: number, random: () => number): number {
  const fromHeaders = headerLifetimeMs(headers, nowMs);
  if (fromHeaders === null) return jittered(WELL_KNOWN_CACHE.defaultLifetimeMs, random);
  return Math.min(WELL_KNOWN_CACHE.maxLifetimeMs, Math.max(WELL_KNOWN_CACHE.minLifetimeMs, fromHeaders));
}

/**
 * Lifetime of a failure: 1 h, or, for a domain that had a valid answer recently, 2 min doubled for each failure in a
 * row before this one (2, 4, 8, ... min) up to the 1 h cap; then +/-10 % jitter.
 */
export function failureLifetimeMs(recentlyValid: boolean, previousFailures: number, random: () => number): number {
  const base = recentlyValid ? WELL_KNOWN_CACHE.recentlyValidFailureLifetimeMs : WELL_KNOWN_CACHE.failureLifetimeMs;
  const backedOff = Math.min(
    WELL_KNOWN_CACHE.failureLifetimeMs,
    base * 2 ** Math.min(Math.max(0, previousFailures), 20),
  );
  return jittered(backedOff, random);
}

/**
 * Plans the cache entry for a fresh fetch result: its lifetime, when to refresh it and the history to keep.
 * Headers count only for a success; every other status is a failure.
 *
 * @example
 * ```ts
 * const plan = planWellKnownCache({ status: 'delegated', headers: { cacheControl: null, expires: null },
 *   nowMs: Date.now(), history: null, random: Math.random });
 * // plan.lifetimeMs ~ 24 h, plan.refreshAfterMs = 80 % of it, plan.history.hadValidUntil = now + lifetime + 2 h
 * ```
 */
export function planWellKnownCache(input: {
  readonly status: WellKnownFetchStatus;
  readonly headers: WellKnownCacheHeaders;
  readonly nowMs: number;
  readonly history: WellKnownCacheHistory | null;
  readonly random: () => number;
}): WellKnownCachePlan {
  const { status, headers, nowMs, history, random } = input;
  if (status === 'delegated') {
    const lifetimeMs = successLifetimeMs(headers, nowMs, random);
    return {
      lifetimeMs,
      refreshAfterMs: lifetimeMs * WELL_KNOWN_CACHE.refreshFraction,
      history: { hadValidUntil: nowMs + lifetimeMs + WELL_KNOWN_CACHE.rememberValidMs, failures: 0 },
    };
  }
  const previousFailures = history?.failures ?? 0;
  const lifetimeMs = failureLifetimeMs(hadRecentValidAnswer(history, nowMs), previousFailures, random);
  return {
    lifetimeMs,
    // A failure is simply fetched again when it expires.
    refreshAfterMs: lifetimeMs,
    history: { hadValidUntil: history?.hadValidUntil ?? 0, failures: previousFailures + 1 },
  };
}

/**
 * When a refresh of a still valid success fails temporarily: keep serving it, and try again after the failure
 * lifetime (2 min, backing off), but never past the end of its own lifetime.
 */
export function planKeptAnswer(input: {
  readonly expiresAt: number;
  readonly nowMs: number;
  readonly history: WellKnownCacheHistory;
  readonly random: () => number;
}): { readonly refreshAt: number; readonly history: WellKnownCacheHistory } {
  const { expiresAt, nowMs, history, random } = input;
  const retryInMs = failureLifetimeMs(true, history.failures, random);
  return { refreshAt: Math.min(expiresAt, nowMs + retryInMs), history: { ...history, failures: history.failures + 1 } };
}
