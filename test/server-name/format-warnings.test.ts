// formatServerName / formatHost output, and the advisory notes of serverNameWarnings.

import { describe, expect, it } from 'vitest';
import type { ServerName } from '../../src/server-name/index.js';
import {
  formatHost,
  formatServerName,
  parseServerNameOrThrow,
  serverNameWarnings,
} from '../../src/server-name/index.js';

describe('formatServerName', () => {
  it.each([
    [{ host: 'matrix.org', kind: 'dns' }, 'matrix.org', 'matrix.org'],
    [{ host: 'matrix.org', kind: 'dns', port: 8888 }, 'matrix.org', 'matrix.org:8888'],
    [{ host: '1.2.3.4', kind: 'ipv4', port: 1234 }, '1.2.3.4', '1.2.3.4:1234'],
    [{ host: '1234:5678::abcd', kind: 'ipv6' }, '[1234:5678::abcd]', '[1234:5678::abcd]'],
    [{ host: '1234:5678::abcd', kind: 'ipv6', port: 5678 }, '[1234:5678::abcd]', '[1234:5678::abcd]:5678'],
  ] satisfies ReadonlyArray<readonly [ServerName, string, string]>)('%j -> %s / %s', (name, host, full) => {
    expect(formatHost(name)).toBe(host);
    expect(formatServerName(name)).toBe(full);
  });

  it('drops leading zeros of a port (the only non-identity case)', () => {
    expect(formatServerName(parseServerNameOrThrow('example.org:08448'))).toBe('example.org:8448');
  });
});

describe('serverNameWarnings', () => {
  const warningsFor = (text: string): string[] => serverNameWarnings(parseServerNameOrThrow(text));

  it('has nothing to say about ordinary names', () => {
    for (const text of ['matrix.org', 'matrix.org:8448', '1.2.3.4', '[2001:db8::1]:8448', '[::ffff:1.2.3.4]']) {
      expect(warningsFor(text)).toEqual([]);
    }
  });

  it('flags a name over the 230 characters the spec recommends, but not one at 230', () => {
    const label = 'a'.repeat(57);
    const name231 = [label, label, label, label].join('.');
    expect(name231.length).toBe(231);
    expect(warningsFor(name231)).toHaveLength(1);
    expect(warningsFor(name231)[0]).toContain('230');
    expect(warningsFor(name231.slice(1))).toEqual([]); // 230 characters
  });

  it('counts the port towards the length', () => {
    const host = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(35)}`; // 227 characters
    expect(host.length).toBe(227);
    expect(warningsFor(host)).toEqual([]);
    expect(warningsFor(`${host}:8448`)).toHaveLength(1);
  });

  it('flags uppercase letters in a DNS name', () => {
    const [warning, ...rest] = warningsFor('Matrix.org');
    expect(rest).toEqual([]);
    expect(warning).toContain('uppercase');
    expect(warning).toContain('"matrix.org"');
  });

  it('flags leading zeros in IPv4 with the decimal reading', () => {
    const [warning, ...rest] = warningsFor('010.0.0.1');
    expect(rest).toEqual([]);
    expect(warning).toContain('10.0.0.1');
  });

  it('flags IPv6 text not in RFC 5952 form', () => {
    const [warning, ...rest] = warningsFor('[2001:DB8:0:0:0:0:0:1]');
    expect(rest).toEqual([]);
    expect(warning).toContain('[2001:db8::1]');
  });

  it('flags labels starting or ending with a hyphen', () => {
    const [warning, ...rest] = warningsFor('-a.b-.example.org');
    expect(rest).toEqual([]);
    expect(warning).toContain('"-a", "b-"');
  });

  it('flags an all-numeric last label', () => {
    expect(warningsFor('1.2.3')).toHaveLength(1);
    expect(warningsFor('1.2.3')[0]).toContain('all digits');
    expect(warningsFor('1.2.3.example')).toEqual([]);
  });
});
