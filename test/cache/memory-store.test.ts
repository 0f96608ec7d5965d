// The in-memory store (TTL by an injected clock, entry and byte bounds), the store factory, and per-name records.

import { describe, expect, it } from 'vitest';
import { createCacheStore } from '../../src/cache/create-store.js';
import { MEMORY_ENTRY_OVERHEAD_BYTES, createMemoryStore, memoryEntryBytes } from '../../src/cache/memory-store.js';
import { createNameRecordStore } from '../../src/cache/name-records.js';
import { isMatrixDelegationError } from '../../src/errors.js';

describe('createMemoryStore', () => {
  it('expires each entry after its own TTL, by the injected clock', async () => {
    let t = 1_000_000;
    const store = createMemoryStore({ now: () => t });
    await store.set('short', 'a', 1000);
    await store.set('long', 'b', 5000);
    t += 999;
    expect(await store.get('short')).toBe('a');
    t += 2;
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('long')).toBe('b');
  });

  it('a non-positive TTL deletes; delete and clear remove', async () => {
    const store = createMemoryStore();
    await store.set('k', 'v', 60_000);
    await store.set('k', 'v2', 0);
    expect(await store.get('k')).toBeUndefined();
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    await store.clear();
    expect(store.stats()).toEqual({ entries: 0, bytes: 0 });
  });

  it('drops the least recently used entry beyond maxEntries', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.get('a'); // a is now more recent than b
    await store.set('c', '3', 60_000);
    expect([await store.get('a'), await store.get('b'), await store.get('c')]).toEqual(['1', undefined, '3']);
    expect(store.stats().entries).toBe(2);
  });

  it('counts key, value and the fixed overhead against maxBytes, and drops the oldest beyond it', async () => {
    expect(memoryEntryBytes('key', 'value')).toBe(8 + MEMORY_ENTRY_OVERHEAD_BYTES);
    const value = 'x'.repeat(100);
    const perEntry = memoryEntryBytes('k0', value);
    const store = createMemoryStore({ maxBytes: perEntry * 3 });
    for (let i = 0; i < 5; i++) await store.set(`k${i}`, value, 60_000);
    expect(store.stats()).toEqual({ entries: 3, bytes: perEntry * 3 });
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k4')).toBe(value);
    // An entry larger than the whole bound is not kept (and evicts nothing).
    await store.set('huge', 'y'.repeat(perEntry * 3), 60_000);
    expect(await store.get('huge')).toBeUndefined();
    expect(store.stats().entries).toBe(3);
  });

  it('refuses nonsense bounds', () => {
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => createMemoryStore({ maxBytes: 1.5 })).toThrow(/maxBytes/);
  });
});

describe('createCacheStore', () => {
  it('builds a memory store with the given bounds', async () => {
    const store = createCacheStore({ kind: 'memory', maxEntries: 1 });
    expect(store.kind).toBe('memory');
    await store.set('a', '1', 1000);
    await store.set('b', '2', 1000);
    expect(store.stats().entries).toBe(1);
  });

  it('refuses inconsistent configurations with INVALID_ARGUMENT', () => {
    const invalid = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isMatrixDelegationError(error, 'INVALID_ARGUMENT');
      }
      return false;
    };
    expect(invalid(() => createCacheStore({ kind: 'redis' }))).toBe(true);
    expect(invalid(() => createCacheStore({ kind: 'redis', url: 'http://127.0.0.1:6379' }))).toBe(true);
    expect(invalid(() => createCacheStore({ kind: 'memory', url: 'redis://127.0.0.1:6379' }))).toBe(true);
    expect(invalid(() => createCacheStore({ kind: 'disk' } as never))).toBe(true);
  });
});

describe('per-name records', () => {
  /** Test fields are `[keepUntil - base, text]`. */
  const keep = (_field: string, value: readonly unknown[], base: number) => base + (value[0] as number);

  it('keeps every field of a name in one entry, lives as long as its longest-kept field, and loses no concurrent update', async () => {
    let t = 1_000_000;
    const store = createMemoryStore({ now: () => t });
    const records = createNameRecordStore(store, keep);
    await Promise.all([
      records.update('example.org', '4', (base) => [t + 1000 - base, 'v4'], t),
      records.update('example.org', '6', (base) => [t + 5000 - base, 'v6'], t),
      records.update('example.org', 'w', (base) => [t + 3000 - base, 'wk'], t),
    ]);
    const record = await records.read('example.org');
    expect([...(record?.fields.keys() ?? [])].sort()).toEqual(['4', '6', 'w']);
    expect(record?.fields.get('6')).toEqual([5000, 'v6']);
    expect(record?.base).toBe(1_000_000);
    expect(store.stats().entries).toBe(1);
    // A later update replaces its own field, keeps the base and the fields still to be kept, drops the others.
    t += 2000;
    await records.update('example.org', 'f', (base) => [t + 500 - base, 'srv'], t);
    const later = await records.read('example.org');
    expect([...(later?.fields.keys() ?? [])].sort()).toEqual(['6', 'f', 'w']);
    expect(later?.fields.get('f')).toEqual([2500, 'srv']);
    await records.remove('example.org', 'w', t);
    expect([...((await records.read('example.org'))?.fields.keys() ?? [])].sort()).toEqual(['6', 'f']);
    // The entry lives until its longest-kept field's time (here 5000), then is gone.
    t += 3000;
    expect(await records.read('example.org')).toBeDefined();
    t += 1;
    expect(await records.read('example.org')).toBeUndefined();
  });

  it('reads a damaged entry as a miss', async () => {
    const store = createMemoryStore();
    await store.set('n:example.org', '{not json', 60_000);
    expect(await createNameRecordStore(store, keep).read('example.org')).toBeUndefined();
  });
});
