// Unit tests of the resolver's spec steps with an in-memory DNS and a canned well-known fetcher.

import { describe, expect, it } from 'vitest';
import { createMemoryDns } from '../../src/dns/memory-dns.js';
import type { MemoryDnsTable } from '../../src/dns/memory-dns.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveOptions } from '../../src/resolver/types.js';
import type { WellKnownAnswer } from '../../src/well-known/types.js';
import { NOT_FOUND, V4_A, V4_B, V4_C, V6_A, delegated, wellKnownTable } from './canned.js';

function setup(dnsTable: MemoryDnsTable, wk: Record<string, WellKnownAnswer> = {}, extra: ResolveOptions = {}) {
  const dns = createMemoryDns(dnsTable);
  const wellKnown = wellKnownTable(wk);
  return {
    dns,
    wellKnown,
    // The plain sequence: these tests check which questions each step asks, in the spec's order. Overlapping lookups
    // (the default) ask some of them ahead and give the same result (overlap-equality.test.ts).
    resolve: (name: string) =>
      resolveServerName(name, { deps: { dns, fetchWellKnown: wellKnown }, random: () => 0, overlap: false, ...extra }),
  };
}

const brief = (t: {
  step: string;
  ip: string;
  port: number;
  hostHeader: string;
  tlsServerName: string;
  sni: string | null;
}) => [t.step, t.ip, t.port, t.hostHeader, t.tlsServerName, t.sni] as const;

describe('step 1: IP literals', () => {
  it('uses an IPv4 literal with 8448, no SNI, Host without the default port', async () => {
    const { resolve, dns, wellKnown } = setup({});
    const r = await resolve(V4_A);
    expect(r.targets.map(brief)).toEqual([['1', V4_A, 8448, V4_A, V4_A, null]]);
    expect(r.wellKnown.status).toBe('skipped');
    expect(dns.queries).toEqual([]);
    expect(wellKnown.asked).toEqual([]);
  });

  it('keeps the given port in the Host header and brackets IPv6', async () => {
    const { resolve } = setup({});
    const r = await resolve(`[2A01:4F8:0:0::1]:8000`);
    expect(r.targets.map(brief)).toEqual([['1', V6_A, 8000, '[2A01:4F8:0:0::1]:8000', V6_A, null]]);
  });

  it('refuses a deny-listed IP literal and returns no target', async () => {
    const { resolve } = setup({});
    const r = await resolve('127.0.0.1:8448');
    expect(r.targets).toEqual([]);
    expect(r.error?.code).toBe('ADDRESS_DENIED');
    expect(r.trace.some((e) => e.step === 'policy' && e.code === 'ADDRESS_DENIED')).toBe(true);
  });
});

describe('step 2: explicit port', () => {
  it('resolves the host itself (AAAA and A) on that port, no well-known, no SRV', async () => {
    const { resolve, dns, wellKnown } = setup({
      'example.com': { A: [V4_A], AAAA: [V6_A] },
      '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 1, target: 'other.example.net' }] },
    });
    const r = await resolve('example.com:8000');
    expect(r.targets.map(brief)).toEqual([
      ['2', V6_A, 8000, 'example.com:8000', 'example.com', 'example.com'],
      ['2', V4_A, 8000, 'example.com:8000', 'example.com', 'example.com'],
    ]);
    expect(wellKnown.asked).toEqual([]);
    expect(dns.queries.some((q) => q.type === 'SRV')).toBe(false);
  });
});

describe('step 3: well-known delegation', () => {
  it('3.1: m.server IP literal without port -> 8448, Host is the IP', async () => {
    const { resolve } = setup({}, { 'example.com': delegated(V4_B) });
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([['3.1', V4_B, 8448, V4_B, V4_B, null]]);
    expect(r.wellKnown).toMatchObject({ status: 'delegated', mServer: V4_B });
  });

  it('3.1: m.server IPv6 literal with port -> Host is the bracketed IP with the port', async () => {
    const { resolve } = setup({}, { 'example.com': delegated(`[${V6_A}]:443`) });
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([['3.1', V6_A, 443, `[${V6_A}]:443`, V6_A, null]]);
  });

  it('3.2: delegated host with port -> its addresses, Host host:port, certificate for the delegated host', async () => {
    const { resolve, dns } = setup(
      {
        'synapse.example.com': { A: [V4_B] },
        '_matrix-fed._tcp.synapse.example.com': { SRV: [{ priority: 0, weight: 0, port: 9, target: 'x.example.com' }] },
      },
      { 'example.com': delegated('synapse.example.com:443') },
    );
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([
      ['3.2', V4_B, 443, 'synapse.example.com:443', 'synapse.example.com', 'synapse.example.com'],
    ]);
    expect(dns.queries.some((q) => q.type === 'SRV')).toBe(false);
  });

  it('3.3: delegated host without port -> _matrix-fed SRV; Host and certificate are the delegated host, never the target', async () => {
    const { resolve } = setup(
      {
        '_matrix-fed._tcp.synapse.example.com': {
          SRV: [{ priority: 10, weight: 0, port: 8443, target: 'backend.example.net' }],
        },
        'backend.example.net': { A: [V4_C], AAAA: [V6_A] },
      },
      { 'example.com': delegated('synapse.example.com') },
    );
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([
      ['3.3', V6_A, 8443, 'synapse.example.com', 'synapse.example.com', 'synapse.example.com'],
      ['3.3', V4_C, 8443, 'synapse.example.com', 'synapse.example.com', 'synapse.example.com'],
    ]);
    expect(r.targets[0]?.srv?.target).toBe('backend.example.net');
  });

  it('3.4: deprecated _matrix SRV only when _matrix-fed has no records', async () => {
    const { resolve, dns } = setup(
      {
        '_matrix._tcp.synapse.example.com': {
          SRV: [{ priority: 0, weight: 0, port: 8449, target: 'legacy.example.net' }],
        },
        'legacy.example.net': { A: [V4_C] },
      },
      { 'example.com': delegated('synapse.example.com') },
    );
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([
      ['3.4', V4_C, 8449, 'synapse.example.com', 'synapse.example.com', 'synapse.example.com'],
    ]);
    const srvAsked = dns.queries.filter((q) => q.type === 'SRV').map((q) => q.name);
    expect(srvAsked).toEqual(['_matrix-fed._tcp.synapse.example.com', '_matrix._tcp.synapse.example.com']);
  });

  it('3.4 is not consulted when _matrix-fed has records', async () => {
    const { resolve, dns } = setup(
      {
        '_matrix-fed._tcp.synapse.example.com': {
          SRV: [{ priority: 0, weight: 0, port: 8443, target: 'fed.example.net' }],
        },
        '_matrix._tcp.synapse.example.com': {
          SRV: [{ priority: 0, weight: 0, port: 8449, target: 'legacy.example.net' }],
        },
        'fed.example.net': { A: [V4_A] },
        'legacy.example.net': { A: [V4_C] },
      },
      { 'example.com': delegated('synapse.example.com') },
    );
    const r = await resolve('example.com');
    expect(r.targets.map((t) => [t.step, t.ip, t.port])).toEqual([['3.3', V4_A, 8443]]);
    expect(dns.queries.filter((q) => q.type === 'SRV').map((q) => q.name)).toEqual([
      '_matrix-fed._tcp.synapse.example.com',
    ]);
  });

  it('3.5: no SRV -> the delegated host on 8448, Host without the port', async () => {
    const { resolve } = setup(
      { 'synapse.example.com': { AAAA: [V6_A] } },
      { 'example.com': delegated('synapse.example.com') },
    );
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([
      ['3.5', V6_A, 8448, 'synapse.example.com', 'synapse.example.com', 'synapse.example.com'],
    ]);
  });

  it("only one level of delegation: the delegated host's own well-known is never consulted", async () => {
    const { resolve, wellKnown } = setup(
      { 'synapse.example.com': { A: [V4_A] } },
      { 'example.com': delegated('synapse.example.com'), 'synapse.example.com': delegated('elsewhere.example.org:1') },
    );
    const r = await resolve('example.com');
    expect(wellKnown.asked).toEqual(['example.com']);
    expect(r.targets.map((t) => [t.step, t.ip, t.port])).toEqual([['3.5', V4_A, 8448]]);
  });

  it('ignores a base-domain SRV when the well-known delegates', async () => {
    const { resolve } = setup(
      {
        '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 1234, target: 'srv.example.com' }] },
        'srv.example.com': { A: [V4_C] },
        'synapse.example.com': { A: [V4_A] },
      },
      { 'example.com': delegated('synapse.example.com:443') },
    );
    const r = await resolve('example.com');
    expect(r.targets.map((t) => [t.step, t.ip, t.port])).toEqual([['3.2', V4_A, 443]]);
  });
});

describe('steps 4 to 6: no delegation', () => {
  for (const wk of [
    NOT_FOUND,
    {
      status: 'invalid',
      mServer: null,
      serverName: null,
      code: 'WELL_KNOWN_INVALID_JSON',
      detail: 'bad JSON',
    } as const,
    { status: 'error', mServer: null, serverName: null, code: 'CONNECT_REFUSED', detail: 'refused' } as const,
  ]) {
    it(`4: _matrix-fed SRV of the server name after a well-known "${wk.status}"`, async () => {
      const { resolve } = setup(
        {
          '_matrix-fed._tcp.example.com': {
            SRV: [{ priority: 0, weight: 0, port: 443, target: 'matrix.example.com' }],
          },
          'matrix.example.com': { A: [V4_A] },
        },
        { 'example.com': wk },
      );
      const r = await resolve('example.com');
      expect(r.targets.map(brief)).toEqual([['4', V4_A, 443, 'example.com', 'example.com', 'example.com']]);
      expect(r.wellKnown.status).toBe(wk.status);
      expect(r.wellKnown.code).toBe(wk.code);
    });
  }

  it('a delegated m.server that fails the grammar counts as invalid and falls through', async () => {
    const { resolve } = setup(
      { 'example.com': { A: [V4_A] } },
      { 'example.com': delegated('https://matrix.example.com') },
    );
    const r = await resolve('example.com');
    expect(r.wellKnown.status).toBe('invalid');
    expect(r.targets.map((t) => [t.step, t.port])).toEqual([['6', 8448]]);
  });

  it('5: deprecated _matrix SRV of the server name', async () => {
    const { resolve } = setup({
      '_matrix._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 8449, target: 'old.example.com' }] },
      'old.example.com': { A: [V4_B] },
    });
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([['5', V4_B, 8449, 'example.com', 'example.com', 'example.com']]);
  });

  it('6: the host itself on 8448', async () => {
    const { resolve } = setup({ 'example.com': { A: [V4_A, V4_B], AAAA: [V6_A] } });
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([
      ['6', V6_A, 8448, 'example.com', 'example.com', 'example.com'],
      ['6', V4_A, 8448, 'example.com', 'example.com', 'example.com'],
      ['6', V4_B, 8448, 'example.com', 'example.com', 'example.com'],
    ]);
  });

  it('follows CNAMEs for host names (but never for the certificate name)', async () => {
    const { resolve } = setup({
      'example.com': { CNAME: 'web.hosting.example.net' },
      'web.hosting.example.net': { A: [V4_C] },
    });
    const r = await resolve('example.com');
    expect(r.targets.map(brief)).toEqual([['6', V4_C, 8448, 'example.com', 'example.com', 'example.com']]);
  });
});

describe('SRV rules', () => {
  it('a single "." target means unavailable: no fallback to _matrix or 8448', async () => {
    const { resolve, dns } = setup({
      '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 0, target: '.' }] },
      '_matrix._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 8449, target: 'old.example.com' }] },
      'example.com': { A: [V4_A] },
      'old.example.com': { A: [V4_B] },
    });
    const r = await resolve('example.com');
    expect(r.targets).toEqual([]);
    expect(r.error?.code).toBe('SRV_UNAVAILABLE');
    expect(dns.queries.map((q) => q.name)).not.toContain('_matrix._tcp.example.com');
  });

  it('orders by priority, then weight (with the injected random), across every address of each target', async () => {
    const { resolve } = setup({
      '_matrix-fed._tcp.example.com': {
        SRV: [
          { priority: 20, weight: 0, port: 3, target: 'c.example.com' },
          { priority: 10, weight: 1, port: 1, target: 'a.example.com' },
          { priority: 10, weight: 100, port: 2, target: 'b.example.com' },
        ],
      },
      'a.example.com': { A: [V4_A] },
      'b.example.com': { A: [V4_B], AAAA: [V6_A] },
      'c.example.com': { A: [V4_C] },
    });
    // random() = 0 picks the first record by running weight sum: a (weight 1) before b.
    const r = await resolve('example.com');
    expect(r.targets.map((t) => [t.ip, t.port])).toEqual([
      [V4_A, 1],
      [V6_A, 2],
      [V4_B, 2],
      [V4_C, 3],
    ]);
    // 0.999 lands in b's share (100 of 101).
    const r2 = await resolveServerName('example.com', {
      deps: {
        dns: createMemoryDns({
          '_matrix-fed._tcp.example.com': {
            SRV: [
              { priority: 10, weight: 1, port: 1, target: 'a.example.com' },
              { priority: 10, weight: 100, port: 2, target: 'b.example.com' },
            ],
          },
          'a.example.com': { A: [V4_A] },
          'b.example.com': { A: [V4_B] },
        }),
        fetchWellKnown: wellKnownTable({}),
      },
      random: () => 0.999,
    });
    expect(r2.targets.map((t) => t.port)).toEqual([2, 1]);
  });

  it('SRV records exist but no target has an address: fail, no fallback to 8448', async () => {
    const { resolve } = setup({
      '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 8448, target: 'gone.example.com' }] },
      'example.com': { A: [V4_A] },
    });
    const r = await resolve('example.com');
    expect(r.targets).toEqual([]);
    expect(r.error?.code).toBe('NO_TARGETS');
  });

  it('a SERVFAIL on the SRV lookup is an error, not "no records"', async () => {
    const { resolve } = setup({ '_matrix-fed._tcp.example.com': { servfail: true }, 'example.com': { A: [V4_A] } });
    const r = await resolve('example.com');
    expect(r.targets).toEqual([]);
    expect(r.error?.code).toBe('DNS_SERVFAIL');
  });

  it('denied addresses of an SRV target are dropped, allowed ones kept', async () => {
    const { resolve } = setup({
      '_matrix-fed._tcp.example.com': { SRV: [{ priority: 0, weight: 0, port: 8448, target: 'mixed.example.com' }] },
      'mixed.example.com': { A: ['10.0.0.1', V4_A], AAAA: ['::ffff:127.0.0.1'] },
    });
    const r = await resolve('example.com');
    expect(r.targets.map((t) => t.ip)).toEqual([V4_A]);
    const denied = r.trace.flatMap((e) => (e.step === 'policy' ? [e.data.ip] : []));
    expect(denied.sort()).toEqual(['10.0.0.1', '::ffff:127.0.0.1'].sort());
  });
});

describe('trace and errors', () => {
  it('an invalid server name is reported, nothing is asked', async () => {
    const { resolve, dns, wellKnown } = setup({});
    const r = await resolve('underscore_.com');
    expect(r.error?.code).toBe('INVALID_SERVER_NAME');
    expect(r.parsed).toBeNull();
    expect(dns.queries).toEqual([]);
    expect(wellKnown.asked).toEqual([]);
  });

  it('lists every step, taken or skipped, with a reason', async () => {
    const { resolve } = setup({ 'example.com': { A: [V4_A] } });
    const r = await resolve('example.com');
    const steps = r.trace.filter((e) => e.step !== 'policy').map((e) => [e.step, e.status]);
    expect(steps).toEqual([
      ['1', 'skipped'],
      ['2', 'skipped'],
      ['3', 'failed'],
      ['4', 'empty'],
      ['5', 'empty'],
      ['6', 'taken'],
      ['6', 'taken'],
    ]);
    for (const e of r.trace) expect(e.reason.length).toBeGreaterThan(5);
  });
});

describe('injected dependencies (ResolveOptions.deps)', () => {
  it('step 3 connects to the server name the well-known parser gave, without parsing m.server again', async () => {
    // The answer's parsed form is what the resolver uses (issue 15: m.server parsed once); a resolver that parsed the
    // text again would go to the host the text names instead.
    const answer: WellKnownAnswer = {
      status: 'delegated',
      mServer: 'text.example.com:443',
      serverName: { host: 'parsed.example.com', kind: 'dns', port: 443 },
      code: null,
      detail: 'delegates',
    };
    const { resolve } = setup(
      { 'parsed.example.com': { A: [V4_A] }, 'text.example.com': { A: [V4_B] } },
      { 'example.com': answer },
    );
    const r = await resolve('example.com');
    expect(r.targets.map((t) => [t.step, t.ip, t.port, t.tlsServerName])).toEqual([
      ['3.2', V4_A, 443, 'parsed.example.com'],
    ]);
    expect(r.wellKnown.serverName).toEqual({ host: 'parsed.example.com', kind: 'dns', port: 443 });
  });

  it('the names of 0.1 (top-level dns, policy, wellKnown) still work; a 0.1 fetcher without serverName still delegates', async () => {
    const dns = createMemoryDns({ 'synapse.example.com': { A: ['10.0.0.7'] } });
    // Written for 0.1: no serverName in its answer.
    const wellKnown = async () =>
      ({
        status: 'delegated',
        mServer: 'synapse.example.com:8448',
        code: null,
        detail: 'delegates',
      }) as unknown as WellKnownAnswer;
    // 10.0.0.0/8 is denied by default: only the given policy lets it through. The DNS servers given are never asked
    // (127.0.0.1:1 refuses at once, and nothing outside this machine is contacted) when `dns` is honoured.
    const policy = { check: () => ({ allowed: true, range: null, reason: 'allowed by the test' }) };
    const r = await resolveServerName('example.com', {
      dnsServers: ['127.0.0.1:1'],
      dns,
      policy,
      wellKnown,
      overlap: false,
    });
    expect(r.error).toBeNull();
    expect(r.targets.map((t) => [t.step, t.ip, t.port])).toEqual([['3.2', '10.0.0.7', 8448]]);
  });

  it('deps wins over the deprecated top-level names', async () => {
    const used = createMemoryDns({ 'example.com': { A: [V4_A] } });
    const ignored = createMemoryDns({ 'example.com': { A: [V4_B] } });
    const r = await resolveServerName('example.com', {
      dns: ignored,
      deps: { dns: used, fetchWellKnown: async () => NOT_FOUND },
      overlap: false,
    });
    expect(r.targets.map((t) => t.ip)).toEqual([V4_A]);
    expect(ignored.queries).toEqual([]);
  });

  it('a deps member that is not a dependency is INVALID_ARGUMENT naming it', async () => {
    await expect(resolveServerName('example.com', { deps: { dns: {} as never } })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      detail: { option: 'deps.dns' },
    });
    await expect(resolveServerName('example.com', { deps: 'x' as never })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      detail: { option: 'deps' },
    });
  });
});
