// The tester's state shared through a real Redis: in-flight markers (one check per name) and the per-client rate limit.

import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/cache/create-store.js';
import type { CacheStore } from '../../src/cache/types.js';
import type { CheckReport } from '../../src/checker/types.js';
import type { TesterConfig } from '../../src/config/index.js';
import { markerKey } from '../../src/server/tester/check-markers.js';
import { testerCheckOptions } from '../../src/server/tester/check-options.js';
import { createClientRateLimiter } from '../../src/server/tester/rate-limit.js';
import { resultCacheScope } from '../../src/server/tester/result-cache.js';
import { createTesterRunner } from '../../src/server/tester/runner.js';
import type { CheckFunction, TesterAnswer, TesterRunner } from '../../src/server/tester/runner.js';
import { createTesterRedis } from '../../src/server/tester/shared-redis.js';
import type { TesterRedis } from '../../src/server/tester/shared-redis.js';
import { startRedisServer } from '../../support/redis-server.js';
import type { TestRedisServer } from '../../support/redis-server.js';
import { testConfig } from './http-helpers.js';

/** A report with the fields the stored form is checked for (the runner only stores and reads it back). */
function fakeReport(serverName: string, federationOk: boolean): CheckReport {
  return {
    serverName,
    checkedAt: new Date().toISOString(),
    federationOk,
    addresses: [],
    hints: [],
    wellKnownByAddress: [],
    resolution: {},
    version: {},
    probes: {},
  } as unknown as CheckReport;
}

/** A gate a check waits on until the test opens it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const TIMEOUT_MS = 5000;
const settings: TesterConfig = testConfig(
  `server_name: tester.example.org\ntester:\n  enabled: true\n  rate_limit_per_minute: 0\n  cache_seconds: 60\n  timeout_ms: ${TIMEOUT_MS}\n`,
).tester;
const scope = resultCacheScope(testerCheckOptions(settings));

let server: TestRedisServer;
let raw: Redis;
const opened: { store: CacheStore; redis: TesterRedis }[] = [];
const prefix = `markers-test-${process.pid}:`;

/** One instance: its own store and connections to the shared Redis, as `serve` opens them. */
function instance(check: CheckFunction): TesterRunner {
  const store = createCacheStore({ kind: 'redis', url: server.url, keyPrefix: prefix }, { logger: quiet });
  const redis = createTesterRedis({ url: server.url, keyPrefix: prefix });
  opened.push({ store, redis });
  return createTesterRunner({ settings, store, redis, check });
}
const quiet = { warn: () => undefined, info: () => undefined };

beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  raw.on('error', () => undefined);
  await raw.connect();
});

afterAll(async () => {
  for (const { store, redis } of opened) await Promise.all([store.close(), redis.close()]);
  raw?.disconnect();
  await server?.kill();
});

const marker = (name: string): string => `${prefix}${markerKey(scope, name)}`;

function reportOf(answer: TesterAnswer): CheckReport {
  if (answer.kind !== 'report') throw new Error(`expected a report, got ${JSON.stringify(answer)}`);
  return answer.report;
}

describe('in-flight markers', () => {
  it('B joins the check A runs (its own check never runs), and the marker lives exactly as long as the check', async () => {
    const name = 'joined.example.org';
    const release = gate();
    const runsA: string[] = [];
    const runsB: string[] = [];
    const a = instance(async (n) => {
      runsA.push(n);
      await release.opened;
      return fakeReport(n, true);
    });
    const b = instance((n) => {
      runsB.push(n);
      return Promise.resolve(fakeReport(n, false));
    });
    const fromA = a.request(name, '192.0.2.1');
    await until(() => runsA.length === 1, "A's check to start");
    // The marker is there while A checks, with a TTL bounded by the budget (plus its grace).
    expect(await raw.exists(marker(name))).toBe(1);
    const ttl = await raw.pttl(marker(name));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(TIMEOUT_MS + 2000);

    const fromB = b.request(name, '192.0.2.2');
    // B sees the marker and waits instead of checking; A's check ends, then B answers with A's report.
    await new Promise((resolve) => setTimeout(resolve, 100));
    release.open();
    const [answerA, answerB] = await Promise.all([fromA, fromB]);
    expect(answerA).toMatchObject({ kind: 'report', source: 'run' });
    expect(answerB).toMatchObject({ kind: 'report', source: 'joined' });
    expect(reportOf(answerB).federationOk).toBe(true);
    expect(reportOf(answerB).checkedAt).toBe(reportOf(answerA).checkedAt);
    expect(runsB).toEqual([]);
    expect(await raw.exists(marker(name))).toBe(0);
  });

  it("when A's check throws, its marker goes at once and B checks the name itself", async () => {
    const name = 'failing.example.org';
    const release = gate();
    const runsA: string[] = [];
    const runsB: string[] = [];
    const a = instance(async (n) => {
      runsA.push(n);
      await release.opened;
      throw new Error('a bug in the check');
    });
    const b = instance((n) => {
      runsB.push(n);
      return Promise.resolve(fakeReport(n, true));
    });
    const fromA = a.request(name, '192.0.2.3');
    await until(() => runsA.length === 1, "A's check to start");
    const fromB = b.request(name, '192.0.2.4');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // B has not checked while A's marker was there.
    expect(runsB).toEqual([]);
    release.open();
    expect(await fromA).toMatchObject({ kind: 'error' });
    expect(await fromB).toMatchObject({ kind: 'report', source: 'run' });
    expect(runsB).toEqual([name]);
    expect(await raw.exists(marker(name))).toBe(0);
  });

  it('a marker left by an instance that died: B checks the name once it has expired, not before', async () => {
    const name = 'orphan.example.org';
    // What a claim of an instance that then died leaves: the key, with a TTL, and nobody to clear it.
    await raw.set(marker(name), 'dead-instance:1', 'PX', 1500);
    const markerAtStart: number[] = [];
    const b = instance(async (n) => {
      markerAtStart.push(await raw.exists(marker(n)));
      return fakeReport(n, true);
    });
    const answer = await b.request(name, '192.0.2.5');
    expect(answer).toMatchObject({ kind: 'report', source: 'run' });
    // B's check started only after the dead instance's marker was gone (B then held its own).
    expect(markerAtStart).toEqual([1]);
    expect(await raw.get(marker(name))).toBeNull();
  });

  it('without shared markers (cache_seconds 0: no result to share) every instance checks on its own', async () => {
    const noCache = { ...settings, cacheSeconds: 0 };
    const store = createCacheStore({ kind: 'redis', url: server.url, keyPrefix: prefix }, { logger: quiet });
    const redis = createTesterRedis({ url: server.url, keyPrefix: prefix });
    opened.push({ store, redis });
    const release = gate();
    let runs = 0;
    const check: CheckFunction = async (n) => {
      runs += 1;
      await release.opened;
      return fakeReport(n, true);
    };
    const a = createTesterRunner({ settings: noCache, store, redis, check });
    const b = createTesterRunner({ settings: noCache, store, redis, check });
    const both = Promise.all([
      a.request('uncached.example.org', '192.0.2.6'),
      b.request('uncached.example.org', '192.0.2.7'),
    ]);
    await until(() => runs === 2, 'both checks to start');
    release.open();
    expect((await both).map((x) => x.kind)).toEqual(['report', 'report']);
  });
});

describe('the per-client rate limit in Redis', () => {
  it('two instances charge one budget per client; with Redis gone each falls back to a budget of its own', async () => {
    const redisA = createTesterRedis({ url: server.url, keyPrefix: `${prefix}limits:` });
    const redisB = createTesterRedis({ url: server.url, keyPrefix: `${prefix}limits:` });
    opened.push({ store: createCacheStore({ kind: 'memory' }), redis: redisA });
    opened.push({ store: createCacheStore({ kind: 'memory' }), redis: redisB });
    const a = createClientRateLimiter(2, redisA);
    const b = createClientRateLimiter(2, redisB);
    expect((await a.take('198.51.100.1')).allowed).toBe(true);
    expect((await b.take('198.51.100.1')).allowed).toBe(true);
    // Kept in Redis under the configured prefix, in points (20 a check).
    expect(await raw.get(`${prefix}limits:tester-limit:198.51.100.1`)).toBe('40');
    // A refund on one instance (a check that found every slot taken) is seen by the other.
    await a.refund('198.51.100.1');
    expect((await b.take('198.51.100.1')).allowed).toBe(true);
    // Two checks a minute, taken on two instances: the next is refused on either.
    expect((await a.take('198.51.100.1')).allowed).toBe(false);
    expect((await b.take('198.51.100.1')).allowed).toBe(false);

    // Redis dies: each instance limits on its own, with the same budget, and never fails a request.
    await server.kill();
    await until(
      () => redisA.commands.status !== 'ready' && redisB.commands.status !== 'ready',
      'the connections to drop',
    );
    expect((await a.take('198.51.100.2')).allowed).toBe(true);
    expect((await a.take('198.51.100.2')).allowed).toBe(true);
    expect((await a.take('198.51.100.2')).allowed).toBe(false);
    expect((await b.take('198.51.100.2')).allowed).toBe(true);
  });
});
