// The Redis store against a real redis-server: sharing between instances, and losing Redis mid-test.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import { createRedisStore } from '../../src/cache/redis-store.js';
import type { CacheLogger, CacheStore } from '../../src/cache/types.js';
import { createMemoryDns } from '../../src/dns/memory-dns.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { createResolverCache } from '../../src/resolver/cache.js';
import { parseServerNameOrThrow } from '../../src/server-name/index.js';
import type { WellKnownAnswer } from '../../src/well-known/types.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { startRedisServer } from './redis-server.js';
import type { TestRedisServer } from './redis-server.js';

let server: TestRedisServer;
const stores: CacheStore[] = [];

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await server?.kill();
});

/** A logger that records lines. */
function recorder() {
  const lines: { level: string; message: string }[] = [];
  const logger: CacheLogger = {
    warn: (_d, message) => lines.push({ level: 'warn', message }),
    info: (_d, message) => lines.push({ level: 'info', message }),
  };
  return { lines, logger };
}

function store(prefix: string, logger?: CacheLogger, url = server.url): CacheStore {
  const s = createRedisStore({ url, keyPrefix: prefix, commandTimeoutMs: 500, ...(logger ? { logger } : {}) });
  stores.push(s);
  return s;
}

describe('createRedisStore', () => {
  it('shares values between stores (each with its own local LRU), with their TTL, under its prefix only', async () => {
    const a = store('t1:');
    const b = store('t1:');
    const other = store('t2:');
    await a.set('k', 'v', 60_000);
    expect(await b.get('k')).toBe('v');
    expect(await other.get('k')).toBeUndefined();
    const raw = new Redis(server.url, { lazyConnect: true });
    await raw.connect();
    try {
      const ttl = await raw.pttl('t1:k');
      expect(ttl).toBeGreaterThan(55_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      await other.set('k', 'w', 60_000);
      await a.clear();
      expect(await raw.get('t1:k')).toBeNull();
      expect(await raw.get('t2:k')).toBe('w');
    } finally {
      raw.disconnect();
    }
    expect(await b.get('k')).toBeUndefined();
    expect(a.stats().shared).toBe(true);
  });

  it('works from its local store, without errors, when Redis cannot be reached at all; says so once', async () => {
    const { lines, logger } = recorder();
    // A port nobody listens on (the test server's port + 1 is free or refuses: either way no Redis there).
    const s = createRedisStore({
      url: `redis://127.0.0.1:${server.port === 65_535 ? 1 : server.port + 1}`,
      logger,
      connectTimeoutMs: 300,
    });
    stores.push(s);
    await s.set('k', 'v', 60_000);
    expect(await s.get('k')).toBe('v');
    await s.delete('k');
    expect(await s.get('k')).toBeUndefined();
    expect(s.stats().shared).toBe(false);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('refuses a URL that is not redis:// with INVALID_ARGUMENT', () => {
    let error: unknown;
    try {
      createRedisStore({ url: '127.0.0.1:6379' });
    } catch (e) {
      error = e;
    }
    expect(isMatrixDelegationError(error, 'INVALID_ARGUMENT')).toBe(true);
  });
});

describe('resolver caches shared through Redis', () => {
  const dnsTable = {
    'example.com': { A: ['203.0.114.1'] },
    'matrix.example.com': { A: ['203.0.114.2'] },
    'new.example.com': { A: ['203.0.114.3'] },
  };
  const wellKnownAnswers: Record<string, WellKnownAnswer> = {
    'example.com': {
      status: 'delegated',
      mServer: 'matrix.example.com:443',
      serverName: parseServerNameOrThrow('matrix.example.com:443'),
      code: null,
      detail: 'delegates',
    },
  };

  /** One `serve` instance: its own DNS resolver and well-known fetch (counting), its own resolver cache on Redis. */
  function instance(prefix: string, logger: CacheLogger) {
    const dns = createMemoryDns(dnsTable);
    const fetched: string[] = [];
    const fetchWellKnown = async (host: string): Promise<WellKnownAnswer> => {
      fetched.push(host);
      return (
        wellKnownAnswers[host] ?? {
          status: 'absent',
          mServer: null,
          serverName: null,
          code: 'WELL_KNOWN_NOT_FOUND',
          detail: '404',
        }
      );
    };
    // The memo is off so that every resolution reads the store: this test is about the store.
    const cache = createResolverCache({ store: store(prefix, logger), memo: false });
    return {
      dns,
      fetched,
      resolve: (name: string) => resolveServerName(name, { deps: { dns, fetchWellKnown }, cache }),
    };
  }

  it('a name resolved by one instance is not fetched or asked again by another; losing Redis degrades to the local cache', async () => {
    const { lines, logger } = recorder();
    const one = instance('shared:', logger);
    const two = instance('shared:', logger);
    const first = await one.resolve('example.com');
    expect(first.targets.map((t) => [t.ip, t.port])).toEqual([['203.0.114.2', 443]]);
    expect(one.fetched).toEqual(['example.com']);

    const second = await two.resolve('example.com');
    expect(second.targets).toEqual(first.targets);
    expect(two.fetched).toEqual([]);
    expect(two.dns.queries).toEqual([]);
    expect(second.trace.find((e) => e.step === '3')?.cache?.hit).toBe(true);

    // Redis goes away in the middle of the test.
    await server.kill();
    const third = await one.resolve('example.com');
    expect(third.targets).toEqual(first.targets);
    expect(third.error).toBeNull();
    expect(one.fetched).toEqual(['example.com']); // from the local copy
    // A name nobody has cached still resolves (no error, no wait for Redis), just without sharing.
    const fresh = await two.resolve('new.example.com:8448');
    expect(fresh.targets.map((t) => t.ip)).toEqual(['203.0.114.3']);
    expect(lines.filter((l) => l.level === 'warn').length).toBeGreaterThanOrEqual(1);
    expect(lines.filter((l) => l.level === 'warn').length).toBeLessThanOrEqual(2); // once per store
  });
});

describe('without Redis on the store side', () => {
  it('a Redis store over a given local store uses it', async () => {
    const local = createMemoryStore();
    await local.set('x', 'y', 60_000);
    const s = createRedisStore({ url: 'redis://127.0.0.1:1', local, connectTimeoutMs: 200, logger: recorder().logger });
    stores.push(s);
    expect(await s.get('x')).toBe('y');
  });
});
