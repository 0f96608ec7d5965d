import { describe, expect, it } from 'vitest';
import { median, numberOption, percentile } from '../../bench/_shared.js';

describe('bench/_shared', () => {
  it('reads option numbers by their rule and names the option when refusing one', () => {
    expect(numberOption('runs', undefined, 30, { integer: true, sign: 'positive' })).toBe(30);
    expect(numberOption('runs', '7', 30, { integer: true, sign: 'positive' })).toBe(7);
    expect(numberOption('delay', '0', 20, { integer: false, sign: 'non-negative' })).toBe(0);
    expect(numberOption('delay', '2.5', 20, { integer: false, sign: 'non-negative' })).toBe(2.5);
    expect(() => numberOption('runs', '0', 30, { integer: true, sign: 'positive' })).toThrow(
      '--runs must be a positive integer, got 0',
    );
    expect(() => numberOption('runs', '1.5', 30, { integer: true, sign: 'positive' })).toThrow(
      '--runs must be a positive integer',
    );
    expect(() => numberOption('delay', '-1', 20, { integer: false, sign: 'non-negative' })).toThrow(
      '--delay must be a non-negative number, got -1',
    );
    expect(() => numberOption('delay', 'ten', 20, { integer: false, sign: 'non-negative' })).toThrow('--delay');
  });

  it('takes nearest-rank percentiles and medians of sorted samples', () => {
    const samples = Array.from({ length: 30 }, (_, i) => i + 1);
    expect(percentile(samples, 95)).toBe(29);
    expect(percentile(samples, 50)).toBe(15);
    expect(percentile([4], 99)).toBe(4);
    expect(percentile([], 50)).toBeNaN();
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
