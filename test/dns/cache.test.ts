// The DNS cache decorator, driven by a fake clock: TTLs with floor and ceiling, negative answers, stale on failure, sharing.

import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import { createCachedDns, dnsCacheInfo } from '../../src/dns/cache.js';
import { createMemoryDns } from '../../src/dns/memory-dns.js';
import type { DnsAnswer, DnsResolver, SrvRecord } from '../../src/dns/types.js';

const START = Date.UTC(2026, 10, 27, 12, 0, 0);

/** A DNS resolver whose answers the test sets per name and type, counting questions. */
function scriptedDns() {
  const answers = new Map<string, DnsAnswer<unknown>>();
  const asked: string[] = [];
  let gate: Promise<void> | null = null;
  const answer = async <T>(type: string, name: string, signal?: AbortSignal): Promise<DnsAnswer<T>> => {
    asked.push(`${type} ${name}`);
    if (gate) await gate;
    if (signal?.aborted) return { ok: false, code: 'DNS_TIMEOUT', message: 'aborted', cnameChain: [] };
    const a = answers.get(`${type} ${name}`);
    if (a === undefined) throw new Error(`no scripted answer for ${type} ${name}`);
    return a as DnsAnswer<T>;
  };
  const port: DnsResolver = {
    resolve4: (name, o) => answer('A', name, o?.signal),
    resolve6: (name, o) => answer('AAAA', name, o?.signal),
    resolveSrv: (name, o) => answer<SrvRecord>('SRV', name, o?.signal),
  };
  return {
    port,
    asked,
    set: (key: string, a: DnsAnswer<unknown>) => answers.set(key, a),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

function setup(
  limits: Parameters<typeof createCachedDns>[1] extends infer O ? Omit<O, 'store' | 'records' | 'now'> : never = {},
) {
  let t = START;
  const dns = scriptedDns();
  const store = createMemoryStore({ now: () => t });
  const cached = createCachedDns(dns.port, { store, now: () => t, ...limits });
  return { dns, cached, store, advance: (ms: number) => (t += ms) };
}

const a = (ips: string[], ttlSeconds: number): DnsAnswer<string> => ({
  ok: true,
  records: ips,
  cnameChain: [],
  ttlSeconds,
});

describe('positive answers', () => {
  it('are kept for their TTL and served with the TTL that is left', async () => {
    const { dns, cached, advance } = setup();
    dns.set('A example.org', a(['192.0.2.1'], 300));
    expect(await cached.resolve4('example.org')).toEqual(a(['192.0.2.1'], 300));
    advance(120_500);
    const hit = await cached.resolve4('EXAMPLE.org.');
    expect(hit).toEqual(a(['192.0.2.1'], 180));
    expect(dnsCacheInfo(hit)).toEqual({ hit: true, ageMs: 120_500, storedAt: START, validUntil: START + 300_000 });
    advance(179_500);
    await cached.resolve4('example.org');
    expect(dns.asked).toEqual(['A example.org', 'A example.org']);
  });

  it('a TTL below the floor counts as the floor, above the ceiling as the ceiling', async () => {
    const { dns, cached, advance } = setup({ minTtlSeconds: 10, maxTtlSeconds: 600 });
    dns.set('A zero.example', a(['192.0.2.1'], 0));
    dns.set('A week.example', a(['192.0.2.2'], 604_800));
    await cached.resolve4('zero.example');
    await cached.resolve4('week.example');
    advance(9_999);
    await cached.resolve4('zero.example');
    advance(1);
    await cached.resolve4('zero.example');
    advance(600_000 - 10_000 - 1);
    expect(dnsCacheInfo(await cached.resolve4('week.example'))?.hit).toBe(true);
    advance(1);
    await cached.resolve4('week.example');
    expect(dns.asked.filter((q) => q === 'A zero.example')).toHaveLength(2);
    expect(dns.asked.filter((q) => q === 'A week.example')).toHaveLength(2);
  });

  it('SRV records, CNAME chains and AAAA come back as they were', async () => {
    const { dns, cached } = setup();
    const srv: DnsAnswer<SrvRecord> = {
      ok: true,
      records: [
        { priority: 10, weight: 5, port: 8448, target: 'a.example.net' },
        { priority: 0, weight: 0, port: 443, target: '.' },
      ],
      cnameChain: ['alias.example.net'],
      ttlSeconds: 60,
    };
    dns.set('SRV _matrix-fed._tcp.example.org', srv);
    dns.set('AAAA example.org', {
      ok: true,
      records: ['2001:db8::1'],
      cnameChain: ['x.example', 'y.example'],
      ttlSeconds: 60,
    });
    await cached.resolveSrv('_matrix-fed._tcp.example.org');
    await cached.resolve6('example.org');
    expect(await cached.resolveSrv('_matrix-fed._tcp.example.org')).toEqual(srv);
    expect(await cached.resolve6('example.org')).toEqual({
      ok: true,
      records: ['2001:db8::1'],
      cnameChain: ['x.example', 'y.example'],
      ttlSeconds: 60,
    });
    expect(dns.asked).toHaveLength(2);
  });

  it('every question about one name (A, AAAA, the Matrix SRV names) shares one store entry', async () => {
    const { dns, cached, store } = setup();
    dns.set('A example.org', a(['192.0.2.1'], 300));
    dns.set('AAAA example.org', {
      ok: false,
      code: 'DNS_NODATA',
      message: 'example.org has no AAAA records',
      cnameChain: [],
      ttlSeconds: 30,
    });
    dns.set('SRV _matrix-fed._tcp.example.org', {
      ok: false,
      code: 'DNS_NXDOMAIN',
      message: '_matrix-fed._tcp.example.org does not exist (NXDOMAIN)',
      cnameChain: [],
      ttlSeconds: 30,
    });
    dns.set('SRV _matrix._tcp.example.org', {
      ok: false,
      code: 'DNS_NXDOMAIN',
      message: 'odd wording kept as it was',
      cnameChain: [],
      ttlSeconds: 30,
    });
    await Promise.all([
      cached.resolve4('example.org'),
      cached.resolve6('example.org'),
      cached.resolveSrv('_matrix-fed._tcp.example.org'),
      cached.resolveSrv('_matrix._tcp.example.org'),
    ]);
    expect(store.stats().entries).toBe(1);
    const again = await Promise.all([
      cached.resolve4('example.org'),
      cached.resolve6('example.org'),
      cached.resolveSrv('_matrix-fed._tcp.example.org'),
      cached.resolveSrv('_matrix._tcp.example.org'),
    ]);
    expect(again.map((x) => (x.ok ? x.records : x.message))).toEqual([
      ['192.0.2.1'],
      'example.org has no AAAA records',
      '_matrix-fed._tcp.example.org does not exist (NXDOMAIN)',
      'odd wording kept as it was',
    ]);
    expect(dns.asked).toHaveLength(4);
  });
});

describe('negative answers', () => {
  it('are kept for the SOA negative TTL, at most 60 s, and 30 s when the server sent none', async () => {
    const { dns, cached, advance } = setup();
    dns.set('A soa.example', { ok: false, code: 'DNS_NXDOMAIN', message: 'x', cnameChain: [], ttlSeconds: 3600 });
    dns.set('A nosoa.example', { ok: false, code: 'DNS_NODATA', message: 'y', cnameChain: [] });
    await cached.resolve4('soa.example');
    await cached.resolve4('nosoa.example');
    advance(29_999);
    await cached.resolve4('nosoa.example');
    advance(1);
    await cached.resolve4('nosoa.example');
    advance(60_000 - 30_000 - 1);
    const stillCached = await cached.resolve4('soa.example');
    expect(stillCached).toMatchObject({ ok: false, code: 'DNS_NXDOMAIN', message: 'x' });
    expect(dnsCacheInfo(stillCached)?.hit).toBe(true);
    advance(1);
    await cached.resolve4('soa.example');
    expect(dns.asked).toEqual(['A soa.example', 'A nosoa.example', 'A nosoa.example', 'A soa.example']);
  });
});

describe('failures', () => {
  it('SERVFAIL is never kept; with an earlier answer within the stale window, that answer is served, marked stale', async () => {
    const { dns, cached, advance } = setup({ staleSeconds: 3600 });
    dns.set('A example.org', a(['192.0.2.1'], 300));
    await cached.resolve4('example.org');
    dns.set('A example.org', { ok: false, code: 'DNS_SERVFAIL', message: 'SERVFAIL', cnameChain: [] });
    advance(300_000 + 1000);
    const stale = await cached.resolve4('example.org');
    expect(stale).toEqual(a(['192.0.2.1'], 0));
    expect(dnsCacheInfo(stale)).toMatchObject({ hit: true, stale: true, ageMs: 301_000 });
    // Not kept: the next question asks again (and gets the stale answer again).
    await cached.resolve4('example.org');
    expect(dns.asked).toHaveLength(3);
    advance(3600_000);
    expect(await cached.resolve4('example.org')).toMatchObject({ ok: false, code: 'DNS_SERVFAIL' });
  });

  it('a failure with nothing cached is the answer, and not kept', async () => {
    const { dns, cached } = setup();
    dns.set('SRV _matrix-fed._tcp.example.org', { ok: false, code: 'DNS_TIMEOUT', message: 'timeout', cnameChain: [] });
    const first = await cached.resolveSrv('_matrix-fed._tcp.example.org');
    expect(first).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(dnsCacheInfo(first)).toEqual({ hit: false, ageMs: 0 });
    await cached.resolveSrv('_matrix-fed._tcp.example.org');
    expect(dns.asked).toHaveLength(2);
  });

  it('a port that throws reads as DNS_ERROR', async () => {
    const { cached } = setup();
    expect(await cached.resolve4('unscripted.example')).toMatchObject({ ok: false, code: 'DNS_ERROR' });
  });
});

describe('sharing', () => {
  it('concurrent identical questions make one query; a caller that aborts gets DNS_TIMEOUT, the others the answer', async () => {
    const { dns, cached } = setup();
    dns.set('A example.org', a(['192.0.2.1'], 300));
    const release = dns.hold();
    const impatient = new AbortController();
    const pending = [
      cached.resolve4('example.org', { signal: impatient.signal }),
      cached.resolve4('example.org'),
      cached.resolve4('example.org'),
    ];
    await new Promise((r) => setImmediate(r));
    impatient.abort();
    release();
    const [aborted, ...answered] = await Promise.all(pending);
    expect(aborted).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(answered).toEqual([a(['192.0.2.1'], 300), a(['192.0.2.1'], 300)]);
    expect(dns.asked).toEqual(['A example.org']);
  });

  it('works over the in-memory DNS used by unit tests', async () => {
    let t = START;
    const memory = createMemoryDns({ 'example.org': { A: ['192.0.2.1'], ttl: 120 } });
    const cached = createCachedDns(memory, { store: createMemoryStore({ now: () => t }), now: () => t });
    await cached.resolve4('example.org');
    t += 60_000;
    expect(await cached.resolve4('example.org')).toEqual(a(['192.0.2.1'], 60));
    expect(await cached.resolve6('example.org')).toMatchObject({ ok: false, code: 'DNS_NODATA' });
    expect(memory.queries).toHaveLength(2);
  });
});
