// The one JSON body reader (well-known documents, client and support documents, key responses): BOM, UTF-8, HTML, types.

import { describe, expect, it } from 'vitest';
import { hasUtf8Bom, isJsonObject, jsonTypeName, readJsonBody } from '../../src/net/json-body.js';

describe('readJsonBody', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('reads JSON, skipping a BOM and reporting it', () => {
    expect(readJsonBody(bytes('{"a":1}'))).toEqual({ ok: true, value: { a: 1 }, hasBom: false, looksLikeHtml: false });
    expect(readJsonBody(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes('{"a":1}')]))).toEqual({
      ok: true,
      value: { a: 1 },
      hasBom: true,
      looksLikeHtml: false,
    });
  });

  it('tells empty, non-UTF-8, HTML and other invalid bodies apart', () => {
    expect(readJsonBody(bytes('  \n'))).toMatchObject({ ok: false, reason: 'empty' });
    expect(readJsonBody(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatchObject({ ok: false, reason: 'not-utf8' });
    expect(readJsonBody(bytes('\n <html></html>'))).toMatchObject({
      ok: false,
      reason: 'invalid-json',
      looksLikeHtml: true,
    });
    expect(readJsonBody(bytes('{"a":'))).toMatchObject({ ok: false, reason: 'invalid-json', looksLikeHtml: false });
  });
});

describe('the JSON helpers', () => {
  it('hasUtf8Bom is true for the three bytes EF BB BF at the start only', () => {
    expect(hasUtf8Bom(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b]))).toBe(true);
    expect(hasUtf8Bom(new Uint8Array([0x20, 0xef, 0xbb, 0xbf]))).toBe(false);
    expect(hasUtf8Bom(new Uint8Array([0xef, 0xbb]))).toBe(false);
  });

  it('isJsonObject accepts what {...} parses to, nothing else', () => {
    expect([{}, { a: 1 }].map(isJsonObject)).toEqual([true, true]);
    expect([null, [], 'x', 1, true].map(isJsonObject)).toEqual([false, false, false, false, false]);
  });

  it('jsonTypeName names a value in a sentence', () => {
    expect([null, [], {}, 'x', 1, true].map(jsonTypeName)).toEqual([
      'null',
      'an array',
      'an object',
      'a string',
      'a number',
      'a boolean',
    ]);
  });

  it("keeps the JSON parser's words of an invalid body for a caller's own message", () => {
    const read = readJsonBody(new TextEncoder().encode('{"a":'));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.message === `the body is not valid JSON (${read.syntaxError ?? ''})`).toBe(true);
  });
});
