// Tests of unpadded base64: the spec appendix examples, padded/unpadded/URL-safe decoding, strict rejection, round trips.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeUnpaddedBase64, parseBase64 } from '../../src/keys/base64.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : new TextDecoder().decode(bytes));

// The spec appendix "Unpadded Base64" examples.
const SPEC_EXAMPLES: readonly (readonly [string, string])[] = [
  ['', ''],
  ['f', 'Zg'],
  ['fo', 'Zm8'],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg'],
  ['fooba', 'Zm9vYmE'],
  ['foobar', 'Zm9vYmFy'],
];

describe('encodeUnpaddedBase64', () => {
  it.each(SPEC_EXAMPLES)('UNPADDED_BASE64(%j) = %j', (input, expected) => {
    expect(encodeUnpaddedBase64(utf8(input))).toBe(expected);
  });

  it('encodes only the viewed part of a Uint8Array over a larger buffer', () => {
    const whole = utf8('xxfoobarxx');
    expect(encodeUnpaddedBase64(whole.subarray(2, 8))).toBe('Zm9vYmFy');
  });

  it('uses the standard alphabet (+ and /)', () => {
    expect(encodeUnpaddedBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8');
  });
});

describe('decodeBase64', () => {
  it.each(SPEC_EXAMPLES)('decodes %j from unpadded %j', (expected, encoded) => {
    expect(text(decodeBase64(encoded))).toBe(expected);
  });

  it.each([
    ['Zg==', 'f'],
    ['Zm8=', 'fo'],
    ['Zm9vYg==', 'foob'],
    ['Zm9vYmE=', 'fooba'],
  ])('accepts padded %j', (encoded, expected) => {
    expect(text(decodeBase64(encoded))).toBe(expected);
    expect(parseBase64(encoded)).toMatchObject({ ok: true, padded: true, alphabet: 'standard' });
  });

  it('accepts URL-safe text only when asked, and reports it', () => {
    expect(decodeBase64('-_8')).toBeNull();
    expect(Array.from(decodeBase64('-_8', { allowUrlSafe: true }) ?? [])).toEqual([0xfb, 0xff]);
    expect(parseBase64('-_8', { allowUrlSafe: true })).toMatchObject({ ok: true, alphabet: 'url-safe', padded: false });
  });

  it('accepts non-zero leftover bits, as Python and Go decoders do (documented)', () => {
    expect(text(decodeBase64('Zh'))).toBe('f');
  });

  it.each([
    ['a bad character', 'Zm9v!', 'invalid-character'],
    ['a space', 'Zm 9v', 'invalid-character'],
    ['a leading space', ' Zm9v', 'invalid-character'],
    ['a trailing newline', 'Zm9v\n', 'invalid-character'],
    ['non-ASCII', 'Zm9vé', 'invalid-character'],
    ['URL-safe by default', 'Zm9v-_', 'invalid-character'],
    ['one character', 'Z', 'invalid-length'],
    ['5 characters', 'Zm9vY', 'invalid-length'],
    ['short padding', 'Zg=', 'invalid-padding'],
    ['padding after a full group', 'Zm9v=', 'invalid-padding'],
    ['too much padding', 'Zg===', 'invalid-character'],
    ['padding alone', '=', 'invalid-padding'],
    ['padding inside', 'Zg==Zg==', 'invalid-character'],
  ])('rejects %s (%j) without throwing', (_name, encoded, reason) => {
    expect(decodeBase64(encoded)).toBeNull();
    expect(parseBase64(encoded)).toMatchObject({ ok: false, reason });
  });

  it('rejects mixed alphabets even when URL-safe text is allowed', () => {
    expect(parseBase64('+_8A', { allowUrlSafe: true })).toMatchObject({ ok: false, reason: 'mixed-alphabets' });
  });

  it('parseBase64 refuses non-strings without throwing', () => {
    for (const value of [undefined, null, 42, {}, ['Zg']]) {
      expect(parseBase64(value)).toMatchObject({ ok: false, reason: 'not-a-string' });
    }
  });
});

describe('base64 properties', () => {
  const bytes = fc.uint8Array({ maxLength: 80 });

  it('decodes what it encodes, unpadded, in the standard alphabet', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const encoded = encodeUnpaddedBase64(input);
        expect(encoded).toMatch(/^[A-Za-z0-9+/]*$/);
        expect(encoded.length).toBe(Math.ceil((input.length * 4) / 3));
        expect(Array.from(decodeBase64(encoded) ?? [-1])).toEqual(Array.from(input));
      }),
    );
  });

  it("decodes Node's padded and URL-safe encodings of the same bytes", () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const padded = Buffer.from(input).toString('base64');
        const urlSafe = Buffer.from(input).toString('base64url');
        expect(Array.from(decodeBase64(padded) ?? [-1])).toEqual(Array.from(input));
        expect(Array.from(decodeBase64(urlSafe, { allowUrlSafe: true }) ?? [-1])).toEqual(Array.from(input));
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), fc.boolean(), (input, allowUrlSafe) => {
        const result = decodeBase64(input, { allowUrlSafe });
        if (result !== null) expect(input).toMatch(/^[A-Za-z0-9+/_-]*={0,2}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
