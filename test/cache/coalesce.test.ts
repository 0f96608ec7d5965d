// Single flight: one piece of work per key while it runs, cancelled only when every caller has given up.

import { describe, expect, it } from 'vitest';
import { createCoalescer } from '../../src/cache/coalesce.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createCoalescer', () => {
  it('runs the work once for concurrent callers of one key, and again once it has settled', async () => {
    const flights = createCoalescer<number>();
    let runs = 0;
    const gate = deferred<void>();
    const work = async () => {
      runs += 1;
      await gate.promise;
      return runs;
    };
    const first = [flights.run('k', work), flights.run('k', work), flights.run('other', work)];
    expect(flights.size).toBe(2);
    gate.resolve();
    expect(await Promise.all(first)).toEqual([2, 2, 2]);
    expect(flights.size).toBe(0);
    expect(await flights.run('k', work)).toBe(3);
  });

  it('aborts the work only when every caller has aborted', async () => {
    const flights = createCoalescer<string>();
    let workSignal: AbortSignal | undefined;
    const gate = deferred<void>();
    const work = async (signal: AbortSignal) => {
      workSignal = signal;
      await gate.promise;
      return 'done';
    };
    const a = new AbortController();
    const b = new AbortController();
    const pa = flights.run('k', work, a.signal);
    const pb = flights.run('k', work, b.signal);
    await Promise.resolve();
    a.abort(new Error('a gave up'));
    await expect(pa).rejects.toThrow('a gave up');
    expect(workSignal?.aborted).toBe(false);
    b.abort(new Error('b gave up'));
    await expect(pb).rejects.toThrow('b gave up');
    expect(workSignal?.aborted).toBe(true);
    gate.resolve();
  });

  it('a caller without a signal keeps the work alive; an already aborted caller is refused at once', async () => {
    const flights = createCoalescer<string>();
    let workSignal: AbortSignal | undefined;
    const gate = deferred<void>();
    const work = async (signal: AbortSignal) => {
      workSignal = signal;
      await gate.promise;
      return 'done';
    };
    const patient = flights.run('k', work);
    const gone = AbortSignal.abort(new Error('already'));
    await expect(flights.run('k', work, gone)).rejects.toThrow('already');
    await Promise.resolve();
    expect(workSignal?.aborted).toBe(false);
    gate.resolve();
    expect(await patient).toBe('done');
  });

  it('passes a rejection to every caller', async () => {
    const flights = createCoalescer<string>();
    const work = () => Promise.reject(new Error('boom'));
    await expect(Promise.all([flights.run('k', work), flights.run('k', work)])).rejects.toThrow('boom');
    expect(flights.size).toBe(0);
  });
});
