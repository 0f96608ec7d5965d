// Parsing request targets and query strings: decoded paths, strict percent-decoding, limits.

import { describe, expect, it } from 'vitest';
import { isRequestTargetError, parseQuery, parseRequestTarget } from '../../src/server/http/request-target.js';

describe('parseRequestTarget', () => {
  it('splits the decoded path from the raw query', () => {
    expect(parseRequestTarget('/api/report?server_name=example.com')).toEqual({
      path: '/api/report',
      rawQuery: 'server_name=example.com',
    });
    expect(parseRequestTarget('/.well-known/matrix/%73erver')).toEqual({
      path: '/.well-known/matrix/server',
      rawQuery: '',
    });
    expect(parseRequestTarget('/a#fragment')).toEqual({ path: '/a', rawQuery: '' });
  });

  it('takes the path of an absolute-form target', () => {
    expect(parseRequestTarget('http://example.com/health?x=1')).toEqual({ path: '/health', rawQuery: 'x=1' });
    expect(parseRequestTarget('https://example.com')).toEqual({ path: '/', rawQuery: '' });
  });

  it('refuses broken encodings, NUL, non-paths (400) and long targets (414)', () => {
    for (const bad of ['/%zz', '/%E0%A4%A', '/%C0%AF', '/a%00b', '*', 'example.com:443', '', undefined]) {
      const result = parseRequestTarget(bad);
      expect(isRequestTargetError(result), String(bad)).toBe(true);
      expect(result).toMatchObject({ status: 400 });
    }
    expect(parseRequestTarget(`/${'a'.repeat(100)}`, 50)).toMatchObject({ status: 414 });
    expect(isRequestTargetError(parseRequestTarget(`/${'a'.repeat(49)}`, 50))).toBe(false);
  });
});

describe('parseQuery', () => {
  it('decodes names and values, + as space, keeps repeated names in order', () => {
    const query = parseQuery('server_name=ex%61mple.com&a=1&a=2&flag&b=x+y');
    expect(isRequestTargetError(query)).toBe(false);
    expect([...(query as Map<string, string[]>).entries()]).toEqual([
      ['server_name', ['example.com']],
      ['a', ['1', '2']],
      ['flag', ['']],
      ['b', ['x y']],
    ]);
  });

  it('refuses broken percent-encoding instead of passing it on as text', () => {
    expect(parseQuery('server_name=%zz')).toMatchObject({ status: 400 });
    expect(parseQuery('%ff=1')).toMatchObject({ status: 400 });
  });
});
