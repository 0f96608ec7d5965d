// The tester's result cache over a CacheStore: stored form, age, foreign values, failing stores, scopes, and the runner's use of it.

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import type { CacheStore } from '../../src/cache/types.js';
import type { CheckReport } from '../../src/checker/types.js';
import { toNativeJson } from '../../src/report/native.js';
import { CONFIG_DEFAULTS } from '../../src/config/index.js';
import type { TesterConfig } from '../../src/config/index.js';
import {
  createResultCache,
  decodeCachedCheck,
  encodeCachedCheck,
  resultCacheKey,
  resultCacheScope,
} from '../../src/server/tester/result-cache.js';
import type { ResultCacheProblem } from '../../src/server/tester/result-cache.js';
import { reportBody } from '../../src/server/tester/report-bodies.js';
import { createTesterRunner } from '../../src/server/tester/runner.js';
import type { CheckFunction } from '../../src/server/tester/runner.js';
import { fixtureReport } from '../report/report-fixture.js';

/** A report with the shape the stored form is checked for, and a value that must survive the round trip. */
function fakeReport(serverName: string, extra: Record<string, unknown> = {}): CheckReport {
  return {
    serverName,
    checkedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 12,
    federationOk: true,
    reachable: true,
    summary: 'Federation works.',
    resolution: { steps: [{ step: 'well-known', status: 'ok' }] },
    wellKnownByAddress: [],
    addresses: [{ address: '192.0.2.1:8448', ok: true }],
    version: { name: 'Synapse', version: '1.140.0', error: null },
    client: null,
    support: null,
    probes: {},
    hints: [{ id: 'x', severity: 'info', area: 'federation', title: 'é ✓', detail: 'd', fix: 'f' }],
    ...extra,
  } as unknown as CheckReport;
}

/** A store that records the TTLs it was given. */
function spyStore(inner: CacheStore = createMemoryStore()): CacheStore & { ttls: number[] } {
  const ttls: number[] = [];
  return {
    ...inner,
    kind: inner.kind,
    ttls,
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => {
      ttls.push(ttlMs);
      return inner.set(key, value, ttlMs);
    },
  };
}

/** A store that breaks its promise never to reject. */
const brokenStore: CacheStore = {
  kind: 'redis',
  get: () => Promise.reject(new Error('boom')),
  set: () => Promise.reject(new Error('boom')),
  delete: () => Promise.reject(new Error('boom')),
  clear: () => Promise.reject(new Error('boom')),
  stats: () => ({ entries: 0, bytes: 0 }),
  close: () => Promise.resolve(),
};

describe('the stored form', () => {
  it('round-trips a report and its finish time through JSON', () => {
    const report = fakeReport('example.com');
    const text = encodeCachedCheck({ report, finishedAt: 1_700_000_000_123 });
    expect(typeof text).toBe('string');
    expect(decodeCachedCheck(text, 'example.com')).toEqual({ report, finishedAt: 1_700_000_000_123 });
  });

  it('refuses what is not a result of this format for this exact name', () => {
    const text = encodeCachedCheck({ report: fakeReport('example.com'), finishedAt: 1 });
    expect(decodeCachedCheck(text, 'Example.com')).toBeUndefined();
    expect(decodeCachedCheck(text, 'other.example.com')).toBeUndefined();
    expect(decodeCachedCheck(text.slice(0, -5), 'example.com')).toBeUndefined();
    expect(decodeCachedCheck('', 'example.com')).toBeUndefined();
    expect(decodeCachedCheck('"GOOD"', 'example.com')).toBeUndefined();
    expect(decodeCachedCheck('null', 'example.com')).toBeUndefined();
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(decodeCachedCheck(JSON.stringify({ ...parsed, format: 2 }), 'example.com')).toBeUndefined();
    expect(decodeCachedCheck(JSON.stringify({ ...parsed, finishedAt: 'yesterday' }), 'example.com')).toBeUndefined();
    expect(
      decodeCachedCheck(
        JSON.stringify({ ...parsed, report: { serverName: 'example.com', federationOk: true } }),
        'example.com',
      ),
    ).toBeUndefined();
    expect(
      decodeCachedCheck(
        JSON.stringify({ ...parsed, report: fakeReport('example.com', { addresses: 'none' }) }),
        'example.com',
      ),
    ).toBeUndefined();
  });
});

describe('resultCacheKey and resultCacheScope', () => {
  it('keys by the exact name within a scope', () => {
    expect(resultCacheKey('abc', 'Example.com:8448')).toBe('tester-result:v1:abc:Example.com:8448');
  });

  it('the scope follows the checker options that decide a result, not their order; objects count by presence', () => {
    const base = {
      dnsServers: ['192.0.2.53'],
      allowNetworks: ['10.0.0.0/8'],
      timeoutMs: 30_000,
      operationTimeoutMs: 10_000,
    };
    const scope = resultCacheScope(base);
    expect(scope).toMatch(/^[0-9a-f]{16}$/);
    expect(
      resultCacheScope({
        operationTimeoutMs: 10_000,
        timeoutMs: 30_000,
        allowNetworks: ['10.0.0.0/8'],
        dnsServers: ['192.0.2.53'],
      }),
    ).toBe(scope);
    expect(resultCacheScope({ ...base, dnsServers: ['192.0.2.54'] })).not.toBe(scope);
    expect(resultCacheScope({ ...base, ca: ['-----BEGIN CERTIFICATE-----\nA'] })).not.toBe(
      resultCacheScope({ ...base, ca: ['-----BEGIN CERTIFICATE-----\nB'] }),
    );
    expect(resultCacheScope({ ...base, timeoutMs: 10_000 })).not.toBe(scope);
    expect(resultCacheScope({ ...base, now: () => 1 })).toBe(resultCacheScope({ ...base, now: () => 2 }));
    expect(resultCacheScope({ ...base, now: () => 1 })).not.toBe(scope);
  });
});

describe('createResultCache', () => {
  it('stores for ttlSeconds in the store, under the scoped key', async () => {
    const store = spyStore();
    const cache = createResultCache({ store, ttlSeconds: 45, scope: 's1' });
    const entry = { report: fakeReport('example.com'), finishedAt: Date.now() };
    await cache.set('example.com', entry);
    expect(store.ttls).toEqual([45_000]);
    expect(await store.get(resultCacheKey('s1', 'example.com'))).toBe(encodeCachedCheck(entry));
    expect(await cache.get('example.com')).toEqual(entry);
    // Another scope (other checker options) does not see it.
    expect(await createResultCache({ store, ttlSeconds: 45, scope: 's2' }).get('example.com')).toBeUndefined();
  });

  it('an entry older than this cache ttl is a miss, even if the store (written with a longer one) still has it', async () => {
    let clock = 1_000_000;
    const store = createMemoryStore();
    const long = createResultCache({ store, ttlSeconds: 3600, scope: 's', now: () => clock });
    const short = createResultCache({ store, ttlSeconds: 60, scope: 's', now: () => clock });
    await long.set('example.com', { report: fakeReport('example.com'), finishedAt: clock });
    clock += 60_000;
    expect(await short.get('example.com')).toBeDefined();
    clock += 1;
    expect(await short.get('example.com')).toBeUndefined();
    expect(await long.get('example.com')).toBeDefined();
    // Another instance's clock slightly ahead: the entry is fresh, not refused.
    await long.set('ahead.example.com', { report: fakeReport('ahead.example.com'), finishedAt: clock + 2000 });
    expect(await short.get('ahead.example.com')).toBeDefined();
  });

  it('a corrupt or foreign value is a miss, reported once per read', async () => {
    const store = createMemoryStore();
    const problems: ResultCacheProblem[] = [];
    const cache = createResultCache({ store, ttlSeconds: 60, scope: 's', onProblem: (p) => problems.push(p) });
    await store.set(resultCacheKey('s', 'example.com'), '{"not":"a report"', 60_000);
    await store.set(
      resultCacheKey('s', 'other.org'),
      encodeCachedCheck({ report: fakeReport('example.com'), finishedAt: Date.now() }),
      60_000,
    );
    expect(await cache.get('example.com')).toBeUndefined();
    expect(await cache.get('other.org')).toBeUndefined();
    expect(problems).toEqual([
      { key: 'tester-result:v1:s:example.com', reason: 'invalid-value' },
      { key: 'tester-result:v1:s:other.org', reason: 'invalid-value' },
    ]);
  });

  it('a store that rejects never makes the cache reject: misses, lost writes, problems reported', async () => {
    const problems: ResultCacheProblem[] = [];
    const cache = createResultCache({
      store: brokenStore,
      ttlSeconds: 60,
      scope: 's',
      onProblem: (p) => problems.push(p),
    });
    await expect(cache.get('example.com')).resolves.toBeUndefined();
    await expect(
      cache.set('example.com', { report: fakeReport('example.com'), finishedAt: 1 }),
    ).resolves.toBeUndefined();
    expect(problems.map((p) => p.reason)).toEqual(['store-failed', 'store-failed']);
  });

  it('hands out one decoded entry while the store keeps the same value, and its answers are serialised once', async () => {
    const store = createMemoryStore();
    const writer = createResultCache({ store, ttlSeconds: 60, scope: 's' });
    await writer.set('example.com', { report: fixtureReport({ serverName: 'example.com' }), finishedAt: Date.now() });
    // Another instance (or this one after a restart of its memory): it reads the stored text.
    const reader = createResultCache({ store, ttlSeconds: 60, scope: 's' });
    const first = await reader.get('example.com');
    const second = await reader.get('example.com');
    expect(first).toBeDefined();
    expect(second).toBe(first);
    // The same bytes for every answer: the same Buffer, not an equal one.
    expect(reportBody(second!.report, 'native')).toBe(reportBody(first!.report, 'native'));
    expect(reportBody(second!.report, 'federation-tester')).toBe(reportBody(first!.report, 'federation-tester'));
    expect(JSON.parse(reportBody(first!.report, 'native').toString('utf8'))).toEqual(
      JSON.parse(JSON.stringify(toNativeJson(first!.report))),
    );
    // A new value in the store is decoded again, and the old entry is not served.
    await writer.set('example.com', {
      report: fixtureReport({ serverName: 'example.com', federationOk: false }),
      finishedAt: Date.now(),
    });
    const third = await reader.get('example.com');
    expect(third).not.toBe(first);
    expect(third?.report.federationOk).toBe(false);
    // Gone from the store (evicted, expired): gone from the cache.
    await store.clear();
    expect(await reader.get('example.com')).toBeUndefined();
  });

  it('0 seconds disables it: the store is never asked', async () => {
    const store = spyStore(brokenStore);
    const cache = createResultCache({
      store,
      ttlSeconds: 0,
      scope: 's',
      onProblem: () => expect.fail('no store call expected'),
    });
    await cache.set('example.com', { report: fakeReport('example.com'), finishedAt: Date.now() });
    expect(await cache.get('example.com')).toBeUndefined();
    expect(store.ttls).toEqual([]);
  });
});

describe('the runner with a store', () => {
  const settings: TesterConfig = {
    ...CONFIG_DEFAULTS.tester,
    enabled: true,
    rateLimitPerMinute: 0,
    allowNetworks: [],
    dnsServers: [],
    caFile: null,
    caPem: null,
  };

  function countingCheck(delayMs = 0): { check: CheckFunction; runs: string[] } {
    const runs: string[] = [];
    return {
      runs,
      check: async (name) => {
        runs.push(name);
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        return fakeReport(name);
      },
    };
  }

  it('answers from the store, also a runner that did not run the check (two instances, one store)', async () => {
    const store = createMemoryStore();
    const a = countingCheck();
    const b = countingCheck();
    const runnerA = createTesterRunner({ settings, store, check: a.check });
    const runnerB = createTesterRunner({ settings, store, check: b.check });
    const first = await runnerA.request('example.com', '127.0.0.1');
    expect(first).toMatchObject({ kind: 'report', source: 'run' });
    const second = await runnerB.request('example.com', '127.0.0.1');
    expect(second).toMatchObject({ kind: 'report', source: 'cached' });
    if (first.kind === 'report' && second.kind === 'report') {
      expect(second.report).toEqual(first.report);
      expect(second.finishedAt).toBe(first.finishedAt);
    }
    expect(b.runs).toEqual([]);
    // Case-sensitive names: another name to the cache.
    expect(await runnerB.request('Example.com', '127.0.0.1')).toMatchObject({ kind: 'report', source: 'run' });
  });

  it('a reload that changes the checker options ignores earlier results; one that changes nothing keeps them', async () => {
    const counter = countingCheck();
    const runner = createTesterRunner({ settings, store: createMemoryStore(), check: counter.check });
    await runner.request('example.com', '127.0.0.1');
    runner.update({ ...settings, maxInFlight: 3 });
    expect(await runner.request('example.com', '127.0.0.1')).toMatchObject({ source: 'cached' });
    runner.update({ ...settings, dnsServers: ['192.0.2.53'] });
    expect(await runner.request('example.com', '127.0.0.1')).toMatchObject({ source: 'run' });
    expect(counter.runs).toEqual(['example.com', 'example.com']);
  });

  it('a check started before a reload that changed the options does not fill the new cache', async () => {
    const counter = countingCheck(50);
    const runner = createTesterRunner({ settings, store: createMemoryStore(), check: counter.check });
    const running = runner.request('slow.example.com', '127.0.0.1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    runner.update({ ...settings, allowNetworks: ['10.0.0.0/8'] });
    expect(await running).toMatchObject({ source: 'run' });
    expect(await runner.request('slow.example.com', '127.0.0.1')).toMatchObject({ source: 'run' });
    expect(counter.runs).toHaveLength(2);
  });

  it('cache_seconds 0 runs every request', async () => {
    const counter = countingCheck();
    const runner = createTesterRunner({
      settings: { ...settings, cacheSeconds: 0 },
      store: createMemoryStore(),
      check: counter.check,
    });
    await runner.request('example.com', '127.0.0.1');
    expect(await runner.request('example.com', '127.0.0.1')).toMatchObject({ source: 'run' });
    expect(counter.runs).toHaveLength(2);
  });

  it('setStore moves the cache to another store', async () => {
    const first = createMemoryStore();
    const second = createMemoryStore();
    const counter = countingCheck();
    const runner = createTesterRunner({ settings, store: first, check: counter.check });
    await runner.request('a.example.com', '127.0.0.1');
    runner.setStore(second);
    expect(await runner.request('a.example.com', '127.0.0.1')).toMatchObject({ source: 'run' });
    expect(await runner.request('a.example.com', '127.0.0.1')).toMatchObject({ source: 'cached' });
    expect(first.stats().entries).toBe(1);
    expect(second.stats().entries).toBe(1);
  });

  it('a store that rejects everything costs caching, never an answer', async () => {
    const counter = countingCheck();
    const runner = createTesterRunner({ settings, store: brokenStore, check: counter.check });
    expect(await runner.request('example.com', '127.0.0.1')).toMatchObject({ kind: 'report', source: 'run' });
    expect(await runner.request('example.com', '127.0.0.1')).toMatchObject({ kind: 'report', source: 'run' });
  });
});
