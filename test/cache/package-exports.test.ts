// The cache API as a TypeScript user gets it: every name imported from the package entry, and used.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCacheStore,
  createCachedDns,
  createMemoryDns,
  createMemoryStore,
  createRedisStore,
  createResolverCache,
  dnsCacheInfo,
  isMatrixDelegationError,
  resolveServerName,
  DNS_CACHE_DEFAULTS,
  MEMORY_STORE_DEFAULTS,
  REDIS_STORE_DEFAULTS,
  RESOLVER_CACHE_DEFAULTS,
} from '../../src/index.js';
import type {
  CacheAnswerInfo,
  CacheLogger,
  CacheStore,
  CacheStoreConfig,
  CacheStoreRuntime,
  CacheStoreStats,
  CachedDnsOptions,
  MemoryStoreOptions,
  RedisStoreOptions,
  ResolverCache,
  ResolverCacheOptions,
  ResolverCacheStats,
} from '../../src/index.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab } from '../../src/testing/index.js';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    zones: { 'example.com': { A: ['web'] }, 'matrix.example.com': { A: ['synapse'] } },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/server': () => ({
            json: { 'm.server': `matrix.example.com:${lab.ports.federation}` },
          }),
        },
      },
      synapse: { port: 'federation' },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

describe('the cache API from the package entry', () => {
  it('createResolverCache with a memory store: a second resolution of a lab name asks nothing, its trace all hits', async () => {
    const storeOptions: MemoryStoreOptions = { maxEntries: 1000 };
    const store: CacheStore = createMemoryStore(storeOptions);
    const options: ResolverCacheOptions = { store };
    const cache: ResolverCache = createResolverCache(options);
    try {
      const first = await resolveServerName('example.com', { ...lab.clientOptions(), cache });
      expect(first.targets.map((t) => [t.step, t.ip, t.port])).toEqual([
        ['3.2', lab.address('synapse'), lab.ports.federation],
      ]);
      const stored: CacheStoreStats = store.stats();
      expect(stored.entries).toBeGreaterThan(0);

      const questions = lab.dns.queries.length;
      const second = await resolveServerName('example.com', { ...lab.clientOptions(), cache });
      expect(second.targets).toEqual(first.targets);
      expect(lab.dns.queries.length).toBe(questions);
      const infos: CacheAnswerInfo[] = second.trace.flatMap((e) => (e.query !== undefined && e.cache ? [e.cache] : []));
      expect(infos.length).toBe(first.trace.filter((e) => e.query !== undefined).length);
      for (const info of infos) expect(info.hit).toBe(true);
      const stats: ResolverCacheStats = cache.stats();
      expect(stats.memoHits).toBe(1);
      expect(stats.store).toEqual(store.stats());
    } finally {
      await cache.close();
    }
  });

  it('createCacheStore builds a memory store, and refuses a Redis store without a URL', () => {
    const runtime: CacheStoreRuntime = { now: () => 0 };
    const config: CacheStoreConfig = { kind: 'memory', maxEntries: 10 };
    expect(createCacheStore(config, runtime).kind).toBe('memory');
    const error = (() => {
      try {
        createCacheStore({ kind: 'redis' });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(isMatrixDelegationError(error) && error.code).toBe('INVALID_ARGUMENT');
  });

  it('createRedisStore refuses a URL that is not redis:// (at once, before any connection)', () => {
    const logger: CacheLogger = { warn: () => undefined, info: () => undefined };
    const options: RedisStoreOptions = { url: 'http://127.0.0.1:6379', logger };
    expect(() => createRedisStore(options)).toThrow(/redis:\/\//);
  });

  it('createCachedDns alone: the second question is answered by the cache, as dnsCacheInfo tells', async () => {
    const upstream = createMemoryDns({ 'host.example': { A: ['192.0.2.7'], ttl: 300 } });
    const options: CachedDnsOptions = { store: createMemoryStore() };
    const dns = createCachedDns(upstream, options);
    const a = await dns.resolve4('host.example');
    const b = await dns.resolve4('host.example');
    expect(b).toMatchObject({ ok: true, records: ['192.0.2.7'] });
    expect(upstream.queries).toHaveLength(1);
    expect(dnsCacheInfo(a)?.hit).toBe(false);
    expect(dnsCacheInfo(b)?.hit).toBe(true);
  });

  it('the documented defaults', () => {
    expect(RESOLVER_CACHE_DEFAULTS.memoMaxEntries).toBe(10_000);
    expect(REDIS_STORE_DEFAULTS).toMatchObject({
      keyPrefix: 'matrix-delegation:',
      connectTimeoutMs: 1000,
      commandTimeoutMs: 250,
    });
    expect(MEMORY_STORE_DEFAULTS).toEqual({ maxEntries: 500_000, maxBytes: 64 * 1024 * 1024 });
    expect(DNS_CACHE_DEFAULTS).toMatchObject({ minTtlSeconds: 5, maxTtlSeconds: 3600 });
  });
});
