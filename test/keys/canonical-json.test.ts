// Tests of canonicalJson: the spec appendix examples, escapes, number range, code point key order, rejections, properties.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import { canonicalJson, canonicalJsonBytes, compareCodePoints } from '../../src/keys/canonical-json.js';

/** Calls canonicalJson and returns the thrown error (failing the test when nothing is thrown). */
function rejection(value: unknown): { code: string; message: string; path: unknown } {
  try {
    canonicalJson(value);
  } catch (error) {
    if (!isMatrixDelegationError(error)) throw error;
    return { code: error.code, message: error.message, path: error.detail?.['path'] };
  }
  throw new Error('canonicalJson did not throw');
}

describe('canonicalJson: the spec appendix examples', () => {
  // Input texts are the spec's (pretty-printed) JSON; parsed as a homeserver would receive them.
  it.each([
    ['{}', '{}'],
    ['{\n    "one": 1,\n    "two": "Two"\n}', '{"one":1,"two":"Two"}'],
    ['{\n    "b": "2",\n    "a": "1"\n}', '{"a":"1","b":"2"}'],
    ['{"b":"2","a":"1"}', '{"a":"1","b":"2"}'],
    [
      `{
    "auth": {
        "success": true,
        "mxid": "@john.doe:example.com",
        "profile": {
            "display_name": "John Doe",
            "three_pids": [
                {
                    "medium": "email",
                    "address": "john.doe@example.org"
                },
                {
                    "medium": "msisdn",
                    "address": "123456789"
                }
            ]
        }
    }
}`,
      '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
    ],
    ['{\n    "a": "日本語"\n}', '{"a":"日本語"}'],
    ['{\n    "本": 2,\n    "日": 1\n}', '{"日":1,"本":2}'],
    ['{\n    "a": "\\u65E5"\n}', '{"a":"日"}'],
    ['{\n    "a": null\n}', '{"a":null}'],
    ['{\n    "a": -0,\n    "b": 1e10\n}', '{"a":0,"b":10000000000}'],
    ['{\n    "a": "\\u0000"\n}', '{"a":"\\u0000"}'],
  ])('%s', (input, expected) => {
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });

  it('encodes the result as UTF-8 bytes (日 is E6 97 A5)', () => {
    expect(Buffer.from(canonicalJsonBytes({ a: '日' })).toString('hex')).toBe('7b2261223a22e697a5227d');
  });
});

describe('canonicalJson: strings', () => {
  it('uses only the short escapes the grammar allows', () => {
    expect(canonicalJson('"\\\b\t\n\f\r')).toBe('"\\"\\\\\\b\\t\\n\\f\\r"');
  });

  it.each([
    ['\u0000', '"\\u0000"'],
    ['\u0001', '"\\u0001"'],
    ['\u000b', '"\\u000b"'],
    ['\u000e', '"\\u000e"'],
    ['\u001b', '"\\u001b"'],
    ['\u001f', '"\\u001f"'],
  ])('escapes the control %j with lowercase \\u00xx', (input, expected) => {
    expect(canonicalJson(input)).toBe(expected);
  });

  it("escapes every C0 control exactly as the engine's well-formed JSON.stringify does", () => {
    for (let unit = 0; unit < 0x20; unit++) {
      const text = `a${String.fromCharCode(unit)}b`;
      expect(canonicalJson(text)).toBe(JSON.stringify(text));
    }
  });

  it('writes "/", DEL, U+2028/U+2029, non-ASCII and astral characters raw', () => {
    expect(canonicalJson('a/b\u007f\u2028\u2029é日😀')).toBe('"a/b\u007f\u2028\u2029é日😀"');
  });

  it('escapes keys the same way as values', () => {
    expect(canonicalJson({ 'a\nb': 1, 'q"': 2 })).toBe('{"a\\nb":1,"q\\"":2}');
  });

  it.each([
    ['a lone high surrogate', 'x\ud800y'],
    ['a lone low surrogate', 'x\udc00y'],
    ['a high surrogate at the end', 'x\udbff'],
    ['reversed surrogates', '\ude00\ud83d'],
  ])('rejects %s (not UTF-8 encodable)', (_name, text) => {
    expect(rejection({ a: [text] })).toMatchObject({ code: 'INVALID_ARGUMENT', path: '$.a[0]' });
    expect(rejection({ [text]: 1 }).code).toBe('INVALID_ARGUMENT');
  });
});

describe('canonicalJson: numbers', () => {
  it('accepts the range bounds [-(2^53)+1, 2^53-1]', () => {
    expect(canonicalJson([9007199254740991, -9007199254740991, 0, -1])).toBe(
      '[9007199254740991,-9007199254740991,0,-1]',
    );
  });

  it('writes -0 as 0', () => {
    expect(canonicalJson({ a: -0 })).toBe('{"a":0}');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('writes a parsed 1.0 as 1: JavaScript cannot tell them apart (documented)', () => {
    expect(canonicalJson(JSON.parse('{"a": 1.0}'))).toBe('{"a":1}');
  });

  it.each([
    ['a float', 1.5],
    ['a tiny float', 1e-7],
    ['2^53', 2 ** 53],
    ['-(2^53)', -(2 ** 53)],
    ['1e300', 1e300],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('rejects %s naming its path', (_name, value) => {
    expect(rejection({ outer: { list: [0, value] } })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      path: '$.outer.list[1]',
    });
  });
});

describe('canonicalJson: key order', () => {
  it('sorts by code point: U+FB01 before U+1F600 (UTF-16 order puts the emoji first)', () => {
    expect(['\u{1F600}', '\uFB01'].sort()).toEqual(['\u{1F600}', '\uFB01']); // the trap, for the record
    expect(canonicalJson({ '\u{1F600}': 1, '\uFB01': 2 })).toBe('{"\uFB01":2,"\u{1F600}":1}');
    expect(canonicalJson({ '\uFFFF': 1, '\u{10000}': 2, '\uE000': 3, '\uD7FF': 4 })).toBe(
      '{"\uD7FF":4,"\uE000":3,"\uFFFF":1,"\u{10000}":2}',
    );
  });

  it("sorts integer-like keys as strings, not in JavaScript's property order", () => {
    const value = JSON.parse('{"a": 3, "9": 2, "10": 1}') as unknown;
    expect(JSON.stringify(value)).toBe('{"9":2,"10":1,"a":3}'); // engine order: integer keys first, numerically
    expect(canonicalJson(value)).toBe('{"10":1,"9":2,"a":3}');
  });

  it('orders a prefix before its extensions and compares astral characters among themselves', () => {
    expect(canonicalJson({ ab: 1, a: 2, '': 3, '\u{1F601}': 4, '\u{1F600}': 5 })).toBe(
      '{"":3,"a":2,"ab":1,"\u{1F600}":5,"\u{1F601}":4}',
    );
  });

  it("compareCodePoints agrees with comparing UTF-8 bytes (Python's sort_keys order)", () => {
    const text = fc.string({ unit: 'binary', maxLength: 8 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(
          Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe('canonicalJson: values that are not JSON', () => {
  class Point {
    constructor(readonly x = 1) {}
  }

  it.each([
    ['undefined member', { a: undefined }, '$.a'],
    ['undefined at the top', undefined, '$'],
    ['function', { f: () => 1 }, '$.f'],
    ['symbol', [Symbol('s')], '$[0]'],
    ['bigint', { n: 1n }, '$.n'],
    ['Date', { when: new Date(0) }, '$.when'],
    ['Map', new Map(), '$'],
    ['class instance', { p: new Point() }, '$.p'],
    ['key needing quotes', { 'with space': [undefined] }, '$["with space"][0]'],
  ])('rejects a %s with INVALID_ARGUMENT and its path', (_name, value, path) => {
    expect(rejection(value)).toMatchObject({ code: 'INVALID_ARGUMENT', path });
  });

  it('rejects holes in sparse arrays', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(rejection([1, , 3])).toMatchObject({ code: 'INVALID_ARGUMENT', path: '$[1]' });
  });

  it('rejects cycles, but accepts the same object twice side by side', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle['self'] = { back: cycle };
    expect(rejection(cycle)).toMatchObject({ code: 'INVALID_ARGUMENT', path: '$.self.back' });
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it('rejects nesting deeper than the stack as INVALID_ARGUMENT, not a RangeError', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(rejection(deep).code).toBe('INVALID_ARGUMENT');
  });

  it('accepts null-prototype objects and an own "__proto__" member from JSON.parse', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare['b'] = 1;
    bare['a'] = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"b":1}');
    expect(canonicalJson(JSON.parse('{"__proto__": {"x": 1}, "a": 1}'))).toBe('{"__proto__":{"x":1},"a":1}');
  });

  it('ignores symbol-keyed properties, as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, [Symbol('hidden')]: 2 })).toBe('{"a":1}');
  });
});

describe('canonicalJson: properties', () => {
  const jsonValue = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant(null),
      fc.boolean(),
      fc.integer({ min: -1000, max: 1000 }),
      fc.maxSafeInteger(),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
    ),
  })).value;

  /** An independent encoder: engine escaping (JSON.stringify) and key order by UTF-8 bytes. */
  function oracle(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(oracle).join(',')}]`;
    if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${oracle(v)}`).join(',')}}`;
    }
    return JSON.stringify(value);
  }

  /** The same value with every object's keys inserted in reverse order. */
  function reorder(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reorder);
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value)
          .reverse()
          .map(([k, v]) => [k, reorder(v)]),
      );
    }
    return value;
  }

  it('parses back to a value deep-equal to the input', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('is stable under key reordering of the input', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(canonicalJson(reorder(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('matches an independent encoder and has no whitespace outside strings', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = canonicalJson(value);
        expect(text).toBe(oracle(value));
        expect(canonicalJson(JSON.parse(text))).toBe(text); // idempotent
      }),
      { numRuns: 500 },
    );
  });
});
