// boundRemoteStrings copies only what it cuts (issue 19: a report with nothing to cut is not copied and collected).

import { describe, expect, it } from 'vitest';
import { boundRemoteStrings } from '../../src/remote-text.js';

describe('boundRemoteStrings', () => {
  it('keeps what has nothing to cut as it is, and copies only the objects on the way to a cut string', () => {
    const untouched = { a: { b: ['x', 'y'] }, n: 1, nothing: null };
    const long = 'z'.repeat(100);
    const path = { deep: ['short', long] };
    const value = { keep: untouched, cut: path };
    const bounded = boundRemoteStrings(value, 10);
    expect(boundRemoteStrings(untouched, 10)).toBe(untouched);
    expect(bounded.keep).toBe(untouched);
    expect(bounded).not.toBe(value);
    expect(bounded.cut).not.toBe(path);
    expect(bounded.cut.deep).toEqual(['short', `${'z'.repeat(10)}… (cut: 100 bytes in all)`]);
    // The input is never changed.
    expect(path.deep[1]).toBe(long);
    expect(Object.keys(bounded)).toEqual(['keep', 'cut']);
  });

  it('a long key is cut and the entries keep their order; "__proto__" stays an own property in a copy', () => {
    const hostile = JSON.parse(
      `{"${'k'.repeat(20)}": 1, "__proto__": {"x": "${'v'.repeat(20)}"}, "last": 2}`,
    ) as Record<string, unknown>;
    const bounded = boundRemoteStrings(hostile, 10) as Record<string, unknown>;
    expect(Object.keys(bounded)).toEqual([`${'k'.repeat(10)}… (cut: 20 bytes in all)`, '__proto__', 'last']);
    expect(Object.getPrototypeOf(bounded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(bounded, '__proto__')?.value).toEqual({
      x: `${'v'.repeat(10)}… (cut: 20 bytes in all)`,
    });
  });
});
