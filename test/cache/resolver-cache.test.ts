// The resolver with a cache: shared fetches and queries, the memo of whole results and its limits, the trace's cache notes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveText } from '../../src/cli/render-resolve.js';
import { createMemoryDns } from '../../src/dns/memory-dns.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import { createResolverCache } from '../../src/resolver/cache.js';
import type { WellKnownAnswer } from '../../src/well-known/types.js';
import { ZONE, startScenarioLab } from '../resolver/overlap-lab.js';
import type { ScenarioLab } from '../resolver/overlap-lab.js';

let env: ScenarioLab;

beforeAll(async () => {
  env = await startScenarioLab();
});

afterAll(async () => {
  await env?.close();
});

const questions = (from: number) => env.lab.dns.queries.slice(from).map((q) => `${q.type} ${q.name}`);

describe('sharing between concurrent resolutions', () => {
  it('six concurrent resolutions of one name make one well-known fetch and ask each question once', async () => {
    const cache = createResolverCache();
    const wk = env.lab.hosts['wk']!;
    const connections = wk.connectionCount;
    const from = env.lab.dns.queries.length;
    const results = await Promise.all(
      Array.from({ length: 6 }, () => resolveServerName(`srvdeleg.${ZONE}`, env.options({ cache }))),
    );
    expect(new Set(results.map((r) => JSON.stringify(r.targets))).size).toBe(1);
    expect(results[0]?.targets.map((t) => t.step)).toEqual(['3.3']);
    expect(wk.connectionCount - connections).toBe(1);
    const asked = questions(from);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.length).toBe(new Set(asked).size);
  });
});

describe('the memo of whole results', () => {
  it('answers a name again without a question, its trace showing every answer as a cache hit with its age', async () => {
    const cache = createResolverCache();
    const cold = await resolveServerName(`portdeleg.${ZONE}`, env.options({ cache }));
    expect(cold.trace.find((e) => e.step === '3')?.cache).toMatchObject({ hit: false, ageMs: 0 });
    const from = env.lab.dns.queries.length;
    await new Promise((r) => setTimeout(r, 20));
    const warm = await resolveServerName(`portdeleg.${ZONE}`, env.options({ cache }));
    expect(questions(from)).toEqual([]);
    expect(warm.targets).toEqual(cold.targets);
    const lookups = warm.trace.filter((e) => e.query !== undefined);
    expect(lookups.map((e) => e.step)).toEqual(['3', '3.2']);
    for (const entry of lookups) {
      expect(entry.cache?.hit).toBe(true);
      expect(entry.cache?.ageMs).toBeGreaterThanOrEqual(15);
      expect(entry.durationMs).toBe(0);
    }
    // JSON carries the trace like any result's.
    expect(JSON.parse(JSON.stringify(warm)).trace).toHaveLength(warm.trace.length);
    expect(cache.stats()).toMatchObject({ memoHits: 1 });
  });

  it('is not used once an answer it was built from has expired: only the expired answers are asked again', async () => {
    let t = Date.now();
    const cache = createResolverCache({ now: () => t });
    await resolveServerName(`plain.${ZONE}`, env.options({ cache }));
    // The negative answers (no SRV, no AAAA) are kept 60 s, the A record 300 s (its TTL), the 404 1 h.
    t += 59_000;
    let from = env.lab.dns.queries.length;
    await resolveServerName(`plain.${ZONE}`, env.options({ cache }));
    expect(questions(from)).toEqual([]);
    t += 2_000;
    from = env.lab.dns.queries.length;
    const connections = env.lab.hosts['wk']!.connectionCount;
    const again = await resolveServerName(`plain.${ZONE}`, env.options({ cache }));
    expect(questions(from).sort()).toEqual([
      `AAAA plain.${ZONE}`,
      `SRV _matrix-fed._tcp.plain.${ZONE}`,
      `SRV _matrix._tcp.plain.${ZONE}`,
    ]);
    expect(env.lab.hosts['wk']!.connectionCount).toBe(connections);
    expect(again.trace.find((e) => e.step === '3')?.cache).toMatchObject({ hit: true, ageMs: 61_000 });
    expect(again.trace.find((e) => e.step === '6' && e.query !== undefined)?.cache?.hit).toBe(false);
  });

  it('keeps no result whose SRV order was drawn at random, so that each resolution draws again', async () => {
    const dns = createMemoryDns({
      '_matrix-fed._tcp.example.com': {
        SRV: [
          { priority: 0, weight: 1, port: 8448, target: 'a.example.com' },
          { priority: 0, weight: 1, port: 8448, target: 'b.example.com' },
        ],
      },
      'a.example.com': { A: ['203.0.114.1'] },
      'b.example.com': { A: ['203.0.114.2'] },
    });
    const fetchWellKnown = async (): Promise<WellKnownAnswer> => ({
      status: 'absent',
      mServer: null,
      serverName: null,
      code: 'WELL_KNOWN_NOT_FOUND',
      detail: '404',
    });
    const cache = createResolverCache();
    const first = await resolveServerName('example.com', { deps: { dns, fetchWellKnown }, cache, random: () => 0 });
    const second = await resolveServerName('example.com', { deps: { dns, fetchWellKnown }, cache, random: () => 0.99 });
    expect(first.targets.map((t) => t.ip)).toEqual(['203.0.114.1', '203.0.114.2']);
    expect(second.targets.map((t) => t.ip)).toEqual(['203.0.114.2', '203.0.114.1']);
    expect(cache.stats().memoHits).toBe(0);
    // The answers themselves came from the cache the second time.
    expect(second.trace.filter((e) => e.query !== undefined).every((e) => e.cache?.hit === true)).toBe(true);
  });

  it('can be turned off; a one-shot call without a cache stays cold and says nothing about caches', async () => {
    const cache = createResolverCache({ memo: false });
    await resolveServerName(`srv.${ZONE}`, env.options({ cache }));
    await resolveServerName(`srv.${ZONE}`, env.options({ cache }));
    expect(cache.stats()).toMatchObject({ memoEntries: 0, memoHits: 0 });
    const from = env.lab.dns.queries.length;
    const plain = await resolveServerName(`srv.${ZONE}`, env.options());
    expect(questions(from).length).toBeGreaterThan(0);
    expect(plain.trace.some((e) => e.cache !== undefined)).toBe(false);
  });
});

describe('resolve --trace', () => {
  it('says which answers came from the cache and how old they are', async () => {
    const cache = createResolverCache({ memo: false });
    const cold = resolveText(await resolveServerName(`srvdeleg.${ZONE}`, env.options({ cache })), true);
    expect(cold).toMatch(/step 3 .*\[fetched, cached (\d+ h|2[0-9] h)\]/);
    expect(cold).toMatch(/step 3\.3 .*_matrix-fed\._tcp\.matrix\.srvdeleg.*\[fetched, cached 5 min\]/);
    const warm = resolveText(await resolveServerName(`srvdeleg.${ZONE}`, env.options({ cache })), true);
    expect(warm).toMatch(/step 3 .*\[cache hit, \d+ ms old\]/);
    expect(warm).toMatch(/step 3\.3 .*\[cache hit, \d+ ms old\]/);
    // Without --trace the text is the usual one.
    expect(resolveText(await resolveServerName(`srvdeleg.${ZONE}`, env.options({ cache })), false)).not.toContain(
      '[cache',
    );
  });
});
