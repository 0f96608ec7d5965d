// The tester's parts on their own: client keys, the rate limiter, the in-flight cap, the result cache, checker options.

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import type { CheckReport } from '../../src/checker/types.js';
import { CONFIG_DEFAULTS } from '../../src/config/index.js';
import type { TesterConfig } from '../../src/config/index.js';
import { testerCheckOptions } from '../../src/server/tester/check-options.js';
import { clientKey } from '../../src/server/tester/client-key.js';
import { createInFlightLimit } from '../../src/server/tester/in-flight.js';
import { createClientRateLimiter } from '../../src/server/tester/rate-limit.js';
import { createResultCache } from '../../src/server/tester/result-cache.js';

describe('clientKey', () => {
  it('keys IPv4 by address, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('::1')).toBe('::/64');
    expect(clientKey(undefined)).toBe('unknown');
    expect(clientKey('not an address')).toBe('unknown');
  });
});

describe('createClientRateLimiter', () => {
  it('allows perMinute checks per key, then refuses with a wait of at most a minute', async () => {
    const limiter = createClientRateLimiter(2);
    expect(await limiter.take('a')).toEqual({ allowed: true });
    expect(await limiter.take('a')).toEqual({ allowed: true });
    const refused = await limiter.take('a');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) {
      expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    expect(await limiter.take('b')).toEqual({ allowed: true });
  });

  it('a refund gives one check back', async () => {
    const limiter = createClientRateLimiter(1);
    expect((await limiter.take('a')).allowed).toBe(true);
    await limiter.refund('a');
    expect((await limiter.take('a')).allowed).toBe(true);
    expect((await limiter.take('a')).allowed).toBe(false);
  });

  it('0 means no limit', async () => {
    const limiter = createClientRateLimiter(0);
    for (let i = 0; i < 100; i++) expect((await limiter.take('a')).allowed).toBe(true);
  });
});

describe('createInFlightLimit', () => {
  it('grants up to max slots, refuses the next, and a release (once) frees one', () => {
    const limit = createInFlightLimit(2);
    const a = limit.tryAcquire();
    const b = limit.tryAcquire();
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    expect(limit.tryAcquire()).toBeNull();
    expect(limit.running).toBe(2);
    a!();
    a!();
    expect(limit.running).toBe(1);
    expect(limit.tryAcquire()).not.toBeNull();
    expect(limit.tryAcquire()).toBeNull();
  });

  it('a lowered max applies to new slots only', () => {
    const limit = createInFlightLimit(3);
    limit.tryAcquire();
    limit.tryAcquire();
    limit.max = 1;
    expect(limit.tryAcquire()).toBeNull();
    expect(limit.running).toBe(2);
  });
});

describe('createResultCache', () => {
  const report = { serverName: 'example.com', federationOk: true } as unknown as CheckReport;
  const stored = JSON.parse(JSON.stringify({ ...fakeReport('example.com'), federationOk: true })) as CheckReport;

  it('keeps results by exact server name (names are case-sensitive)', async () => {
    const cache = createResultCache({ store: createMemoryStore(), ttlSeconds: 60, scope: 's' });
    await cache.set('example.com', { report: stored, finishedAt: Date.now() });
    expect((await cache.get('example.com'))?.report).toEqual(stored);
    expect(await cache.get('Example.com')).toBeUndefined();
  });

  it('is bounded by its store: the least recently used goes first', async () => {
    const cache = createResultCache({ store: createMemoryStore({ maxEntries: 2 }), ttlSeconds: 60, scope: 's' });
    const entry = (name: string) => ({ report: fakeReport(name), finishedAt: Date.now() });
    await cache.set('a.org', entry('a.org'));
    await cache.set('b.org', entry('b.org'));
    await cache.get('a.org');
    await cache.set('c.org', entry('c.org'));
    expect(await cache.get('b.org')).toBeUndefined();
    expect(await cache.get('a.org')).toBeDefined();
    expect(await cache.get('c.org')).toBeDefined();
  });

  it('0 seconds disables it, without touching the store', async () => {
    const store = createMemoryStore();
    const cache = createResultCache({ store, ttlSeconds: 0, scope: 's' });
    await cache.set('example.com', { report, finishedAt: 1 });
    expect(await cache.get('example.com')).toBeUndefined();
    expect(store.stats().entries).toBe(0);
  });
});

/** A report with the fields the stored form is checked for. */
function fakeReport(serverName: string): CheckReport {
  return {
    serverName,
    checkedAt: '2025-01-01T00:00:00.000Z',
    federationOk: false,
    addresses: [],
    hints: [],
    wellKnownByAddress: [],
    resolution: {},
    version: {},
    probes: {},
  } as unknown as CheckReport;
}

describe('testerCheckOptions', () => {
  const settings: TesterConfig = {
    ...CONFIG_DEFAULTS.tester,
    allowNetworks: ['10.0.0.0/8'],
    dnsServers: ['192.0.2.53'],
    caFile: '/etc/ca.pem',
    caPem: '-----BEGIN CERTIFICATE-----\n...',
    timeoutMs: 30_000,
  };

  it('maps the config: DNS servers, allowed networks, CA, budgets', () => {
    expect(testerCheckOptions(settings)).toEqual({
      dnsServers: ['192.0.2.53'],
      allowNetworks: ['10.0.0.0/8'],
      ca: ['-----BEGIN CERTIFICATE-----\n...'],
      timeoutMs: 30_000,
    });
    // The checker shares the budget out itself (issue 13, item 5): no operation budget of the tester's own.
    expect(testerCheckOptions({ ...settings, timeoutMs: 6000 })).toMatchObject({ timeoutMs: 6000 });
    expect(testerCheckOptions({ ...settings, timeoutMs: 6000 }).operationTimeoutMs).toBeUndefined();
  });

  it('leaves out empty settings, so the system resolvers and default policy apply', () => {
    const options = testerCheckOptions({ ...settings, allowNetworks: [], dnsServers: [], caFile: null, caPem: null });
    expect(Object.keys(options).sort()).toEqual(['timeoutMs']);
  });

  it('overrides (command-line flags) replace the config key by key', () => {
    const options = testerCheckOptions(settings, { dnsServers: ['127.0.0.1:5353'], timeoutMs: 9000 });
    expect(options.dnsServers).toEqual(['127.0.0.1:5353']);
    expect(options.allowNetworks).toEqual(['10.0.0.0/8']);
    expect(options.timeoutMs).toBe(9000);
  });
});
