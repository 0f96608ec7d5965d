// Unit tests of the well-known cache policy: header parsing and Synapse's numbers (ground-truth §2).

import { describe, expect, it } from 'vitest';
import {
  WELL_KNOWN_CACHE,
  failureLifetimeMs,
  headerLifetimeMs,
  isTemporaryWellKnownFailure,
  parseCacheControl,
  parseHttpDate,
  planKeptAnswer,
  planWellKnownCache,
  successLifetimeMs,
} from '../../src/well-known/cache-policy.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const headers = (cacheControl: string | null, expires: string | null = null) => ({ cacheControl, expires });
/** random() = 0.5 puts the jitter factor at exactly 1. */
const middle = () => 0.5;

describe('parseCacheControl', () => {
  it('lowercases names, unquotes values, keeps the first of repeated directives', () => {
    const d = parseCacheControl('Public, MAX-AGE=60, max-age=5, private="set-cookie, x", no-store');
    expect([...d]).toEqual([
      ['public', null],
      ['max-age', '60'],
      ['private', 'set-cookie, x'],
      ['no-store', null],
    ]);
  });

  it('tolerates empty list elements and spaces, and an absent header', () => {
    expect([...parseCacheControl(' , max-age = 10 ,, ')]).toEqual([['max-age', '10']]);
    expect(parseCacheControl(null).size).toBe(0);
  });
});

describe('parseHttpDate', () => {
  it('reads the three forms of RFC 9110', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
  });

  it('refuses what Date.parse would accept but HTTP does not', () => {
    for (const bad of [
      '0',
      '-1',
      '2024',
      'tomorrow',
      'Sun, 31 Feb 2027 00:00:00 GMT',
      'Sun, 06 Nov 1994 25:00:00 GMT',
      '',
    ]) {
      expect(parseHttpDate(bad), bad).toBeNull();
    }
  });

  it('puts a two-digit year at most 50 years ahead (RFC 9110)', () => {
    expect(new Date(parseHttpDate('Monday, 01-Jan-70 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(2070);
    // 2026 + 50 = 2076: still ahead; 2077 would be 51 years ahead, so it is 1977.
    expect(new Date(parseHttpDate('Monday, 01-Jan-76 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(2076);
    expect(new Date(parseHttpDate('Monday, 01-Jan-77 00:00:00 GMT', NOW)!).getUTCFullYear()).toBe(1977);
  });
});

describe('headerLifetimeMs', () => {
  const inOneHour = new Date(NOW + HOUR).toUTCString();

  it('says nothing without caching headers', () => {
    expect(headerLifetimeMs(headers(null), NOW)).toBeNull();
    expect(headerLifetimeMs(headers('public'), NOW)).toBeNull();
  });

  it('no-store is 0, whatever else is there', () => {
    expect(headerLifetimeMs(headers('no-store, max-age=600', inOneHour), NOW)).toBe(0);
  });

  it('max-age wins over Expires', () => {
    expect(headerLifetimeMs(headers('max-age=600', inOneHour), NOW)).toBe(600_000);
  });

  it('an unusable max-age falls back to Expires', () => {
    expect(headerLifetimeMs(headers('max-age=soon', inOneHour), NOW)).toBe(HOUR);
    expect(headerLifetimeMs(headers('max-age', inOneHour), NOW)).toBe(HOUR);
  });

  it('an invalid Expires means already expired; a past one too', () => {
    expect(headerLifetimeMs(headers(null, '0'), NOW)).toBe(0);
    expect(headerLifetimeMs(headers(null, 'garbage'), NOW)).toBe(0);
    expect(headerLifetimeMs(headers(null, new Date(NOW - HOUR).toUTCString()), NOW)).toBe(0);
  });
});

describe('successLifetimeMs', () => {
  it('defaults to 24 h with +/-10 % jitter', () => {
    expect(successLifetimeMs(headers(null), NOW, middle)).toBe(24 * HOUR);
    expect(successLifetimeMs(headers(null), NOW, () => 0)).toBe(24 * HOUR * 0.9);
    expect(successLifetimeMs(headers(null), NOW, () => 0.999_999)).toBeCloseTo(24 * HOUR * 1.1, -3);
  });

  it('clamps header lifetimes to [5 min, 48 h], without jitter', () => {
    expect(successLifetimeMs(headers('max-age=60'), NOW, () => 0)).toBe(5 * MIN);
    expect(successLifetimeMs(headers('no-store'), NOW, () => 0)).toBe(5 * MIN);
    expect(successLifetimeMs(headers('max-age=0'), NOW, () => 0)).toBe(5 * MIN);
    expect(successLifetimeMs(headers(null, 'invalid'), NOW, () => 0)).toBe(5 * MIN);
    expect(successLifetimeMs(headers('max-age=604800'), NOW, () => 0)).toBe(48 * HOUR);
    expect(successLifetimeMs(headers('max-age=7200'), NOW, () => 0)).toBe(2 * HOUR);
  });
});

describe('failureLifetimeMs', () => {
  it('1 h +/-10 % for a domain without a recent valid answer, however many failures', () => {
    expect(failureLifetimeMs(false, 0, middle)).toBe(HOUR);
    expect(failureLifetimeMs(false, 5, middle)).toBe(HOUR);
    expect(failureLifetimeMs(false, 0, () => 0)).toBe(0.9 * HOUR);
  });

  it('2 min for a domain with a recent valid answer, doubling per failure in a row up to 1 h', () => {
    const series = [0, 1, 2, 3, 4, 5, 6, 30].map((n) => failureLifetimeMs(true, n, middle) / MIN);
    expect(series).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
  });
});

describe('planWellKnownCache', () => {
  it('a success: lifetime, refresh at 80 %, remembered as valid until lifetime + 2 h', () => {
    const plan = planWellKnownCache({
      status: 'delegated',
      headers: headers('max-age=3600'),
      nowMs: NOW,
      history: null,
      random: middle,
    });
    expect(plan).toEqual({
      lifetimeMs: HOUR,
      refreshAfterMs: 0.8 * HOUR,
      history: { hadValidUntil: NOW + 3 * HOUR, failures: 0 },
    });
  });

  it('a failure keeps the history and counts the failures in a row; headers do not count', () => {
    const history = { hadValidUntil: NOW + HOUR, failures: 2 };
    const plan = planWellKnownCache({
      status: 'absent',
      headers: headers('max-age=86400'),
      nowMs: NOW,
      history,
      random: middle,
    });
    expect(plan).toEqual({
      lifetimeMs: 8 * MIN,
      refreshAfterMs: 8 * MIN,
      history: { hadValidUntil: NOW + HOUR, failures: 3 },
    });
  });

  it('a failure after the remembered validity is over: back to 1 h', () => {
    const history = { hadValidUntil: NOW - 1, failures: 0 };
    expect(
      planWellKnownCache({ status: 'error', headers: headers(null), nowMs: NOW, history, random: middle }).lifetimeMs,
    ).toBe(HOUR);
  });
});

describe('temporary failures', () => {
  it('network-like errors and blocked addresses are temporary; 4xx and bad documents are not', () => {
    expect(['error', 'blocked'].every((s) => isTemporaryWellKnownFailure(s as 'error'))).toBe(true);
    expect(['absent', 'invalid', 'delegated'].some((s) => isTemporaryWellKnownFailure(s as 'absent'))).toBe(false);
  });

  it('a kept answer is tried again after the short failure period, never past its own end', () => {
    const history = { hadValidUntil: NOW + 10 * HOUR, failures: 0 };
    expect(planKeptAnswer({ expiresAt: NOW + HOUR, nowMs: NOW, history, random: middle })).toEqual({
      refreshAt: NOW + 2 * MIN,
      history: { hadValidUntil: NOW + 10 * HOUR, failures: 1 },
    });
    expect(planKeptAnswer({ expiresAt: NOW + MIN, nowMs: NOW, history, random: middle }).refreshAt).toBe(NOW + MIN);
  });

  it('uses Synapse numbers', () => {
    expect(WELL_KNOWN_CACHE).toMatchObject({
      retryAttempts: 3,
      retryDelayMs: 500,
      refreshFraction: 0.8,
      rememberValidMs: 2 * HOUR,
    });
  });
});
