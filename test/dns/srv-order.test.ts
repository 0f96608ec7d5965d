// RFC 2782 SRV ordering: priority order, weighted selection within a priority, weight 0, and the "." record.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSrvUnavailable, orderSrvRecords } from '../../src/dns/srv-order.js';
import type { SrvRecord } from '../../src/dns/types.js';

/** A small seeded PRNG (mulberry32) so that the statistical tests are deterministic. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rec = (target: string, priority: number, weight: number, port = 8448): SrvRecord => ({
  priority,
  weight,
  port,
  target,
});

/** How often each target comes first over `draws` orderings. */
function firstCounts(records: readonly SrvRecord[], draws: number, random: () => number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < draws; i += 1) {
    const first = orderSrvRecords(records, random)[0]?.target ?? '';
    counts.set(first, (counts.get(first) ?? 0) + 1);
  }
  return counts;
}

const srvArbitrary = fc.record({
  priority: fc.integer({ min: 0, max: 5 }),
  weight: fc.integer({ min: 0, max: 65535 }),
  port: fc.integer({ min: 1, max: 65535 }),
  target: fc.stringMatching(/^[a-z]{1,8}\.example$/),
});

describe('orderSrvRecords', () => {
  it('always returns a permutation in ascending priority (property)', () => {
    fc.assert(
      fc.property(fc.array(srvArbitrary, { maxLength: 12 }), fc.integer(), (records, seed) => {
        const ordered = orderSrvRecords(records, seededRandom(seed));
        for (let i = 1; i < ordered.length; i += 1) {
          expect(ordered[i - 1]!.priority).toBeLessThanOrEqual(ordered[i]!.priority);
        }
        const key = (r: SrvRecord): string => JSON.stringify(r);
        expect(ordered.map(key).sort()).toEqual(records.map(key).sort());
      }),
    );
  });

  it('does not modify its input', () => {
    const records = [rec('b.example', 10, 1), rec('a.example', 0, 5)];
    const copy = structuredClone(records);
    orderSrvRecords(records, seededRandom(1));
    expect(records).toEqual(copy);
  });

  it('puts lower priorities first whatever their weight', () => {
    const records = [rec('low-pri-heavy.example', 20, 65535), rec('high-pri-light.example', 10, 1)];
    for (const r of [0, 0.5, 0.999999]) {
      expect(orderSrvRecords(records, () => r).map((x) => x.target)).toEqual([
        'high-pri-light.example',
        'low-pri-heavy.example',
      ]);
    }
  });

  it('picks weights 1 and 3 first about 25 % / 75 % of the time', () => {
    const counts = firstCounts([rec('one.example', 0, 1), rec('three.example', 0, 3)], 4000, seededRandom(42));
    // Expected 1000 / 3000, standard deviation about 27.
    expect(counts.get('one.example')).toBeGreaterThan(880);
    expect(counts.get('one.example')).toBeLessThan(1120);
    expect(counts.get('three.example')).toBeGreaterThan(2880);
  });

  it('is proportional whichever order the records arrive in', () => {
    const counts = firstCounts([rec('three.example', 0, 3), rec('one.example', 0, 1)], 4000, seededRandom(7));
    expect(counts.get('one.example')).toBeGreaterThan(880);
    expect(counts.get('one.example')).toBeLessThan(1120);
  });

  it('maps the injected random number onto the running weight sums', () => {
    const records = [rec('one.example', 0, 1), rec('three.example', 0, 3)];
    // No weight-0 record: draws are 1..4; 1 selects "one", 2..4 select "three".
    expect(orderSrvRecords(records, () => 0)[0]?.target).toBe('one.example');
    expect(orderSrvRecords(records, () => 0.24)[0]?.target).toBe('one.example');
    expect(orderSrvRecords(records, () => 0.25)[0]?.target).toBe('three.example');
    expect(orderSrvRecords(records, () => 0.99)[0]?.target).toBe('three.example');
  });

  it('gives a weight-0 record a small chance of coming first (RFC 2782: placed at the start)', () => {
    const records = [rec('heavy.example', 0, 10), rec('zero.example', 0, 0)];
    // Draws 0..10: only 0 selects the weight-0 record.
    expect(orderSrvRecords(records, () => 0).map((r) => r.target)).toEqual(['zero.example', 'heavy.example']);
    expect(orderSrvRecords(records, () => 0.5).map((r) => r.target)).toEqual(['heavy.example', 'zero.example']);
    const counts = firstCounts(records, 11000, seededRandom(3));
    // Expected 1000 (1 in 11), standard deviation about 30.
    expect(counts.get('zero.example')).toBeGreaterThan(880);
    expect(counts.get('zero.example')).toBeLessThan(1120);
  });

  it('keeps weight-0 records in their order when the whole priority has weight 0', () => {
    const records = [rec('a.example', 0, 0), rec('b.example', 0, 0), rec('c.example', 0, 0)];
    for (const r of [0, 0.3, 0.999]) {
      expect(orderSrvRecords(records, () => r).map((x) => x.target)).toEqual(['a.example', 'b.example', 'c.example']);
    }
  });

  it('orders each priority on its own', () => {
    const records = [
      rec('p1-a.example', 1, 1),
      rec('p0-a.example', 0, 1),
      rec('p1-b.example', 1, 1),
      rec('p0-b.example', 0, 1),
    ];
    const ordered = orderSrvRecords(records, seededRandom(9)).map((r) => r.target);
    expect(ordered.slice(0, 2).sort()).toEqual(['p0-a.example', 'p0-b.example']);
    expect(ordered.slice(2).sort()).toEqual(['p1-a.example', 'p1-b.example']);
  });

  it('survives a random source outside [0, 1)', () => {
    const records = [rec('one.example', 0, 1), rec('three.example', 0, 3)];
    for (const r of [1, 7, -1, Number.NaN]) expect(orderSrvRecords(records, () => r)).toHaveLength(2);
  });

  it('returns an empty list for no records', () => {
    expect(orderSrvRecords([])).toEqual([]);
  });
});

describe('isSrvUnavailable', () => {
  it('is true for exactly one record whose target is "."', () => {
    expect(isSrvUnavailable([rec('.', 0, 0, 0)])).toBe(true);
  });

  it('is false otherwise', () => {
    expect(isSrvUnavailable([])).toBe(false);
    expect(isSrvUnavailable([rec('matrix.example', 0, 0)])).toBe(false);
    expect(isSrvUnavailable([rec('.', 0, 0, 0), rec('matrix.example', 10, 0)])).toBe(false);
    expect(isSrvUnavailable([rec('.', 0, 0, 0), rec('.', 0, 0, 0)])).toBe(false);
  });
});
