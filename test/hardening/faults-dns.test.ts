// Injected DNS faults (issue #8): timeouts, SERVFAIL, truncation, oversized answers, CNAME loops, 1 000 records, hostile servers.

import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnsClient } from '../../src/dns/index.js';
import { MAX_SRV_TARGETS, resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveOptions } from '../../src/resolver/types.js';
import { startLab } from '../../src/testing/index.js';
import type { Lab, LabSrvRecord } from '../../src/testing/index.js';
import { MiB, dnsResponse, measure, sleep, startRogueDns, type RogueDns } from '../../support/fault-tools.js';

let lab: Lab;

/** 127.77.a.b for i = 0..999: a thousand distinct loopback addresses (nothing listens there). */
const THOUSAND_ADDRESSES = Array.from({ length: 1_000 }, (_, i) => `127.77.${Math.floor(i / 250)}.${(i % 250) + 1}`);
/** A thousand SRV records whose targets do not exist (short names, so the answer fits a 64 KiB TCP message). */
const THOUSAND_SRV: LabSrvRecord[] = Array.from({ length: 1_000 }, (_, i) => ({
  priority: i % 7,
  weight: i % 5,
  port: 8448,
  target: `t${i}.ms.test`,
}));

beforeAll(async () => {
  lab = await startLab({
    zones: {
      'good.test': { A: ['127.0.0.9'] },
      'timeout.test': { drop: true },
      'servfail.test': { servfail: true },
      'trunc.test': { A: ['127.0.0.10'], truncate: true },
      'many-a.test': { A: THOUSAND_ADDRESSES },
      '_matrix-fed._tcp.ms.test': { SRV: THOUSAND_SRV },
      '_matrix-fed._tcp.srv-timeout.test': { drop: true },
      '_matrix-fed._tcp.srv-servfail.test': { servfail: true },
      'loop1.test': { CNAME: 'loop2.test' },
      'loop2.test': { CNAME: 'loop1.test' },
      // c0 -> c1 -> ... -> c20, which has an address: a chain longer than the 8 CNAMEs followed.
      ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`c${i}.test`, { CNAME: `c${i + 1}.test` }])),
      'c20.test': { A: ['127.0.0.11'] },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

function dns(timeoutMs = 800) {
  return createDnsClient({ servers: [lab.dns.server], timeoutMs });
}

function resolveOptions(overrides: Partial<ResolveOptions> = {}): ResolveOptions {
  return { ...lab.clientOptions(), deps: { dns: dns() }, timeoutMs: 5_000, wellKnownTimeoutMs: 1_000, ...overrides };
}

/** Asks `name` and good.test at once through one client: the bad name must not hold up the good one. */
async function besideGood<T>(ask: (client: ReturnType<typeof dns>) => Promise<T>, timeoutMs = 800) {
  const client = dns(timeoutMs);
  const [good, bad] = await Promise.all([measure(() => client.resolve4('good.test')), measure(() => ask(client))]);
  expect(good.value).toMatchObject({ ok: true, records: ['127.0.0.9'] });
  expect(good.ms).toBeLessThan(500);
  return bad;
}

describe('DNS client: failures end within the question budget', () => {
  it('a server that never answers: DNS_TIMEOUT at the 800 ms budget', async () => {
    const r = await besideGood((c) => c.resolve4('timeout.test'));
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(r.ms).toBeGreaterThanOrEqual(750);
    expect(r.ms).toBeLessThan(1_800);
  });

  it('SERVFAIL: DNS_SERVFAIL at once (both attempts asked, no waiting for the budget)', async () => {
    const before = lab.dns.queries.filter((q) => q.name === 'servfail.test').length;
    const r = await besideGood((c) => c.resolve4('servfail.test'));
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_SERVFAIL' });
    expect(lab.dns.queries.filter((q) => q.name === 'servfail.test').length - before).toBe(2);
    expect(r.ms).toBeLessThan(600);
  });

  it('a truncated UDP answer: retried over TCP, answered', async () => {
    const r = await besideGood((c) => c.resolve4('trunc.test'));
    expect(r.value).toMatchObject({ ok: true, records: ['127.0.0.10'] });
    const transports = lab.dns.queries.filter((q) => q.name === 'trunc.test').map((q) => q.transport);
    expect(transports.slice(-2)).toEqual(['udp', 'tcp']);
    expect(r.ms).toBeLessThan(600);
  });

  it('a CNAME loop: DNS_CNAME_LOOP at once', async () => {
    const r = await besideGood((c) => c.resolve4('loop1.test'));
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP' });
    expect(r.ms).toBeLessThan(600);
  });

  it('a chain of 20 CNAMEs: DNS_CNAME_LOOP after 8, with few queries', async () => {
    const before = lab.dns.queries.length;
    const r = await besideGood((c) => c.resolve6('c0.test'));
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_CNAME_LOOP' });
    expect(r.value.cnameChain).toHaveLength(8);
    // The lab follows 8 CNAMEs per answer: the client asks c0, then c8 (good.test's query is the third).
    expect(lab.dns.queries.length - before).toBeLessThanOrEqual(3);
    expect(r.ms).toBeLessThan(600);
  });

  it('a name with 1 000 A records: over TCP (too big for UDP), all returned, fast', async () => {
    const r = await besideGood((c) => c.resolve4('many-a.test'));
    expect(r.value.ok).toBe(true);
    expect(r.value.ok && r.value.records).toHaveLength(1_000);
    expect(
      lab.dns.queries
        .filter((q) => q.name === 'many-a.test')
        .map((q) => q.transport)
        .slice(-2),
    ).toEqual(['udp', 'tcp']);
    expect(r.ms).toBeLessThan(1_000);
  });

  it('an SRV set of 1 000 records: all returned in one TCP answer, fast', async () => {
    const r = await besideGood((c) => c.resolveSrv('_matrix-fed._tcp.ms.test'));
    expect(r.value.ok && r.value.records).toHaveLength(1_000);
    expect(r.ms).toBeLessThan(1_000);
  });
});

describe('resolver: DNS faults become coded results within the budget', () => {
  it('an SRV lookup that times out fails the resolution with DNS_TIMEOUT (no fallback to the host)', async () => {
    const r = await measure(() => resolveServerName('srv-timeout.test', resolveOptions()));
    expect(r.value.error?.code).toBe('DNS_TIMEOUT');
    expect(r.value.targets).toEqual([]);
    expect(r.ms).toBeLessThan(2_800);
  });

  it('an SRV SERVFAIL fails the resolution with DNS_SERVFAIL at once', async () => {
    const r = await measure(() => resolveServerName('srv-servfail.test', resolveOptions()));
    expect(r.value.error?.code).toBe('DNS_SERVFAIL');
    expect(r.ms).toBeLessThan(1_000);
  });

  it('an address lookup that times out: DNS_TIMEOUT within the DNS budget', async () => {
    const r = await measure(() => resolveServerName('timeout.test:8448', resolveOptions()));
    expect(r.value.error?.code).toBe('DNS_TIMEOUT');
    expect(r.ms).toBeLessThan(1_800);
  });

  it('a CNAME loop on the host: DNS_CNAME_LOOP, no targets', async () => {
    const r = await measure(() => resolveServerName('loop1.test:8448', resolveOptions()));
    expect(r.value.error?.code).toBe('DNS_CNAME_LOOP');
    expect(r.ms).toBeLessThan(1_000);
  });

  it('the whole resolution stops at its own budget even when every step would wait longer', async () => {
    const r = await measure(() =>
      resolveServerName('timeout.test:8448', resolveOptions({ dns: dns(10_000), timeoutMs: 700 })),
    );
    expect(r.value.targets).toEqual([]);
    expect(r.value.error?.code).toBe('DNS_TIMEOUT');
    expect(r.ms).toBeLessThan(1_700);
  });

  it('a name with 1 000 A records: 1 000 targets in well under a second', async () => {
    const r = await measure(() => resolveServerName('many-a.test:8448', resolveOptions()));
    expect(r.value.targets).toHaveLength(1_000);
    expect(r.ms).toBeLessThan(2_000);
    expect(r.peakRssGrowth).toBeLessThan(64 * MiB);
  });

  it('1 000 SRV records: only the first 32 in RFC 2782 order are used, looked up a few at a time, within the budget', async () => {
    const before = lab.dns.queries.length;
    const r = await measure(() => resolveServerName('ms.test', resolveOptions()));
    expect(r.value.error?.code).toBe('NO_TARGETS');
    const lookedUp = r.value.trace.filter(
      (e) => e.step === '4' && e.query?.endsWith('.ms.test') && e.query.startsWith('t'),
    );
    expect(lookedUp).toHaveLength(MAX_SRV_TARGETS);
    // Every lookup got its own answer (no burst lost by the server): none of them timed out.
    expect(lookedUp.filter((e) => e.code === 'DNS_TIMEOUT')).toEqual([]);
    const asked = lab.dns.queries.slice(before).filter((q) => q.name.endsWith('.ms.test') && q.name.startsWith('t'));
    expect(asked.length).toBeLessThanOrEqual(2 * 2 * MAX_SRV_TARGETS);
    // The resolution's own budget (5 s) plus a second.
    expect(r.ms).toBeLessThan(6_000);
    expect(r.peakRssGrowth).toBeLessThan(64 * MiB);
  });
});

describe('DNS client against hostile servers', () => {
  let rogue: RogueDns | undefined;
  afterAll(async () => {
    await rogue?.close();
  });
  async function withRogue(behaviour: Parameters<typeof startRogueDns>[0]): Promise<RogueDns> {
    await rogue?.close();
    rogue = await startRogueDns(behaviour);
    return rogue;
  }

  it('a 60 KB UDP answer without TC (2 500 A records): accepted as it is, fast', async () => {
    const server = await withRogue({
      udp: (query) =>
        dnsResponse(
          query,
          Array.from({ length: 2_500 }, (_, i) => ({
            type: 'A' as const,
            name: 'big.test',
            ttl: 60,
            data: `10.${i >> 8}.${i & 255}.1`,
          })),
        ),
    });
    const r = await measure(() => createDnsClient({ servers: [server.server], timeoutMs: 800 }).resolve4('big.test'));
    expect(r.value.ok && r.value.records).toHaveLength(2_500);
    expect(r.ms).toBeLessThan(1_000);
  });

  it('a compression pointer loop: DNS_ERROR at once, not a hang', async () => {
    const server = await withRogue({
      udp: (query) => {
        const good = dnsResponse(query, [{ type: 'A', name: 'ptr.test', ttl: 60, data: '10.0.0.1' }]);
        // Replace the answer's owner name (right after the question) by a pointer to itself.
        const questionEnd = 12 + Buffer.byteLength('ptr.test') + 2 + 4;
        const pointer = Buffer.from([0xc0 | (questionEnd >> 8), questionEnd & 0xff]);
        return Buffer.concat([
          good.subarray(0, questionEnd),
          pointer,
          good.subarray(questionEnd + Buffer.byteLength('ptr.test') + 2),
        ]);
      },
    });
    const r = await measure(() =>
      createDnsClient({ servers: [server.server], timeoutMs: 800, attempts: 1 }).resolve4('ptr.test'),
    );
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_ERROR' });
    expect(r.ms).toBeLessThan(600);
  });

  it('a TCP answer whose length prefix promises 65 535 bytes that never come: DNS_TIMEOUT at the budget', async () => {
    const server = await withRogue({
      udp: (query) => dnsResponse(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE }),
      tcp: (socket) => socket.write(Buffer.from([0xff, 0xff, 0x00, 0x01, 0x02])),
    });
    const r = await measure(() =>
      createDnsClient({ servers: [server.server], timeoutMs: 800, attempts: 1 }).resolve4('stall.test'),
    );
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(server.tcpConnections).toBe(1);
    expect(r.ms).toBeGreaterThanOrEqual(750);
    expect(r.ms).toBeLessThan(1_800);
  });

  it('a TCP server flooding stray answers (wrong id): ignored, DNS_TIMEOUT at the budget, memory flat', async () => {
    const server = await withRogue({
      udp: (query) => dnsResponse(query, [], { flags: dnsPacket.TRUNCATED_RESPONSE }),
      tcp: (socket, query) => {
        const stray = dnsResponse({ ...query, id: ((query.id ?? 0) + 1) & 0xffff }, [
          { type: 'A', name: 'flood.test', ttl: 60, data: '10.0.0.1' },
        ]);
        const frame = Buffer.concat([Buffer.from([stray.length >> 8, stray.length & 0xff]), stray]);
        const burst = Buffer.concat(Array.from({ length: 512 }, () => frame));
        const pump = (): void => {
          while (!socket.destroyed && socket.write(burst));
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      },
    });
    const r = await measure(() =>
      createDnsClient({ servers: [server.server], timeoutMs: 800, attempts: 1 }).resolve4('flood.test'),
    );
    expect(r.value).toMatchObject({ ok: false, code: 'DNS_TIMEOUT' });
    expect(r.ms).toBeLessThan(1_800);
    expect(r.peakRssGrowth).toBeLessThan(64 * MiB);
    // The flood stops with the connection: nothing keeps the client's socket open.
    await sleep(50);
  });
});
