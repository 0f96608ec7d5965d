// The federation client's resolver cache: one per client for its whole life, or the caller's (left open on close).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/cache/memory-store.js';
import type { CacheStore } from '../../src/cache/types.js';
import { createFederationClient } from '../../src/client/federation-client.js';
import { createResolverCache } from '../../src/resolver/cache.js';
import { resolveServerName } from '../../src/resolver/resolve.js';
import type { ResolveResult } from '../../src/resolver/types.js';
import type { Lab } from '../../src/testing/index.js';
import { startDelegatingLab } from '../support/delegating-lab.js';

let lab: Lab;

beforeAll(async () => {
  // 3.2 twice: other.example.com for the test with a cache of its own (so the first test's answers cannot leak into it);
  // matrix.explicit.example.com, asked with its port, for step 2 through a cache of the caller's.
  lab = await startDelegatingLab(['example.com', 'other.example.com', 'explicit.example.com'], {
    fallback: (req) => ({ json: { path: req.path } }),
  });
});

afterAll(async () => {
  await lab?.close();
});

/** The trace entries that asked something (DNS questions, the well-known fetch). */
const lookups = (result: ResolveResult) => result.trace.filter((e) => e.query !== undefined);

/** A memory store that counts how often it is closed. */
function countingStore(): { store: CacheStore; closes: () => number } {
  const inner = createMemoryStore();
  let closes = 0;
  const store: CacheStore = {
    kind: inner.kind,
    get: (k) => inner.get(k),
    set: (k, v, ttl) => inner.set(k, v, ttl),
    delete: (k) => inner.delete(k),
    clear: () => inner.clear(),
    stats: () => inner.stats(),
    close: async () => {
      closes += 1;
      await inner.close();
    },
  };
  return { store, closes: () => closes };
}

describe('the federation client resolves a name once for many requests', () => {
  it('two requests through one client: the second resolution asks no DNS question and fetches no well-known, one connection', async () => {
    const web = lab.hosts['web']!;
    const synapse = lab.hosts['synapse']!;
    web.resetCounters();
    synapse.resetCounters();
    const client = createFederationClient(lab.clientOptions());
    try {
      const questionsBefore = lab.dns.queries.length;
      const first = await client.fetch('example.com', '/one');
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ path: '/one' });
      expect(first.target.step).toBe('3.2');
      const questionsAfterFirst = lab.dns.queries.length;
      expect(questionsAfterFirst).toBeGreaterThan(questionsBefore);
      expect(web.requestCount).toBe(1);
      // The first resolution went through the client's cache: each answer fetched and stored.
      expect(lookups(first.resolution).length).toBeGreaterThan(0);
      for (const entry of lookups(first.resolution)) expect(entry.cache?.hit).toBe(false);

      const second = await client.fetch('example.com', '/two');
      expect(await second.json()).toEqual({ path: '/two' });
      expect(second.target).toEqual(first.target);
      expect(lab.dns.queries.length).toBe(questionsAfterFirst);
      expect(web.requestCount).toBe(1);
      const hits = lookups(second.resolution);
      expect(hits.map((e) => e.step)).toEqual(lookups(first.resolution).map((e) => e.step));
      for (const entry of hits) expect(entry.cache).toMatchObject({ hit: true });
      // Made at once after the first (no resolution to wait for), the second request still reuses its connection.
      expect(synapse.connectionCount).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('two clients do not share answers: each holds its own cache', async () => {
    const web = lab.hosts['web']!;
    web.resetCounters();
    const a = createFederationClient(lab.clientOptions());
    const b = createFederationClient(lab.clientOptions());
    try {
      await a.fetch('example.com', '/a');
      const fromB = await b.fetch('example.com', '/b');
      expect(web.requestCount).toBe(2);
      for (const entry of lookups(fromB.resolution)) expect(entry.cache?.hit).toBe(false);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('a cache given by the caller', () => {
  it('is used by the client, and left open by close(): it still answers afterwards', async () => {
    const { store, closes } = countingStore();
    const cache = createResolverCache({ store });
    const client = createFederationClient({ ...lab.clientOptions(), cache });
    const response = await client.fetch('other.example.com', '/x');
    expect(response.status).toBe(200);
    expect(store.stats().entries).toBeGreaterThan(0);
    await client.close();
    expect(closes()).toBe(0);

    // The caller's cache outlives the client: a resolution through it asks nothing.
    const questions = lab.dns.queries.length;
    const again = await resolveServerName('other.example.com', { ...lab.clientOptions(), cache });
    expect(again.targets).toEqual(response.resolution.targets);
    expect(lab.dns.queries.length).toBe(questions);
    for (const entry of lookups(again)) expect(entry.cache?.hit).toBe(true);

    await cache.close();
    expect(closes()).toBe(1);
  });

  it('is passed to every resolution: the second request is answered from its memo', async () => {
    const cache = createResolverCache();
    const client = createFederationClient({ ...lab.clientOptions(), cache });
    const name = `matrix.explicit.example.com:${lab.ports.federation}`;
    try {
      await client.fetch(name, '/one');
      const second = await client.fetch(name, '/two');
      expect(second.resolution.trace.find((e) => e.step === '2' && e.query !== undefined)?.cache?.hit).toBe(true);
      expect(cache.stats().memoHits).toBe(1);
    } finally {
      await client.close();
    }
  });
});
