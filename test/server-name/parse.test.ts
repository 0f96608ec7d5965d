// Table-driven tests of parseServerName / parseServerNameOrThrow: the spec's examples and every rejection rule.

import { domainToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MatrixDelegationError } from '../../src/errors.js';
import type { ServerName, ServerNameRule } from '../../src/server-name/index.js';
import { SERVER_NAME_RULES, parseServerName, parseServerNameOrThrow } from '../../src/server-name/index.js';

const label63 = 'a'.repeat(63);
// 4 labels of 63 + 3 dots = 255 characters: the longest dns-name the grammar allows.
const name255 = [label63, label63, label63, label63].join('.');

const valid: ReadonlyArray<readonly [string, ServerName]> = [
  // The spec appendix's own examples.
  ['matrix.org', { host: 'matrix.org', kind: 'dns' }],
  ['matrix.org:8888', { host: 'matrix.org', kind: 'dns', port: 8888 }],
  ['1.2.3.4', { host: '1.2.3.4', kind: 'ipv4' }],
  ['1.2.3.4:1234', { host: '1.2.3.4', kind: 'ipv4', port: 1234 }],
  ['[1234:5678::abcd]', { host: '1234:5678::abcd', kind: 'ipv6' }],
  ['[1234:5678::abcd]:5678', { host: '1234:5678::abcd', kind: 'ipv6', port: 5678 }],
  // Case is kept as written: server names are case-sensitive identifiers.
  ['Matrix.ORG', { host: 'Matrix.ORG', kind: 'dns' }],
  ['[2001:DB8::1]:443', { host: '2001:DB8::1', kind: 'ipv6', port: 443 }],
  ['localhost', { host: 'localhost', kind: 'dns' }],
  ['localhost:8448', { host: 'localhost', kind: 'dns', port: 8448 }],
  ['a', { host: 'a', kind: 'dns' }],
  ['example.org:1', { host: 'example.org', kind: 'dns', port: 1 }],
  ['example.org:65535', { host: 'example.org', kind: 'dns', port: 65535 }],
  // The grammar's port is 1*5DIGIT: leading zeros are digits too.
  ['example.org:08448', { host: 'example.org', kind: 'dns', port: 8448 }],
  // Leading/trailing hyphens: allowed by the grammar and by Synapse (flagged by serverNameWarnings).
  ['-foo-.example.org', { host: '-foo-.example.org', kind: 'dns' }],
  // Fewer or more than four numeric labels are not IPv4-shaped: dns-names (flagged by serverNameWarnings).
  ['1.2.3', { host: '1.2.3', kind: 'dns' }],
  ['1.2.3.4.5', { host: '1.2.3.4.5', kind: 'dns' }],
  ['1.2.3.4.example', { host: '1.2.3.4.example', kind: 'dns' }],
  // IPv4 edge values, and leading zeros (1*3DIGIT, read as decimal).
  ['0.0.0.0', { host: '0.0.0.0', kind: 'ipv4' }],
  ['255.255.255.255:65535', { host: '255.255.255.255', kind: 'ipv4', port: 65535 }],
  ['01.002.3.4', { host: '01.002.3.4', kind: 'ipv4' }],
  // Punycode that decodes (münchen, bücher) in any case.
  ['xn--mnchen-3ya.de', { host: 'xn--mnchen-3ya.de', kind: 'dns' }],
  ['XN--BCHER-KVA.example:8448', { host: 'XN--BCHER-KVA.example', kind: 'dns', port: 8448 }],
  // Length limits: exactly at the maximum.
  [`${label63}.org`, { host: `${label63}.org`, kind: 'dns' }],
  [name255, { host: name255, kind: 'dns' }],
];

const invalid: ReadonlyArray<readonly [string, ServerNameRule]> = [
  // The names Synapse rejects (ground-truth §1).
  ['', 'empty'],
  ['localhost:http', 'port-not-numeric'],
  ['1234]', 'ipv6-misplaced-bracket'],
  ['[1234', 'ipv6-unclosed-bracket'],
  ['[1.2.3.4]', 'ipv4-in-brackets'],
  ['underscore_.com', 'dns-invalid-character'],
  ['percent%65.com', 'dns-invalid-character'],
  ['newline.com\n', 'whitespace'],
  ['.empty-label.com', 'dns-empty-label'],
  ['1234:5678:80', 'too-many-colons'],
  [':80', 'host-empty'],
  // Characters.
  [' matrix.org', 'whitespace'],
  ['matrix .org', 'whitespace'],
  ['matrix.org\t', 'whitespace'],
  ['matrix.org\u00a0', 'whitespace'],
  ['matrix\u0000.org', 'control-character'],
  ['matrix.org\u007f', 'control-character'],
  ['münchen.de', 'non-ascii'],
  ['matrix.org:８４４８', 'non-ascii'],
  ['exa$mple.org', 'dns-invalid-character'],
  ['example.org/path', 'dns-invalid-character'],
  ['user@example.org', 'dns-invalid-character'],
  // Ports.
  ['example.org:', 'port-empty'],
  ['[::1]:', 'port-empty'],
  ['example.org:0', 'port-range'],
  ['example.org:00000', 'port-range'],
  ['example.org:65536', 'port-range'],
  ['example.org:99999', 'port-range'],
  ['example.org:123456', 'port-too-long'],
  ['example.org:008448', 'port-too-long'],
  ['example.org:+80', 'port-not-numeric'],
  ['example.org:-1', 'port-not-numeric'],
  ['example.org:80a', 'port-not-numeric'],
  ['example.org:0x50', 'port-not-numeric'],
  // Colons and brackets.
  ['example.org:80:90', 'too-many-colons'],
  ['::1', 'ipv6-missing-brackets'],
  ['2001:db8::1', 'ipv6-missing-brackets'],
  ['a[b]', 'ipv6-misplaced-bracket'],
  ['example.org]:80', 'ipv6-misplaced-bracket'],
  ['[[::1]]', 'ipv6-misplaced-bracket'],
  ['[::1]x', 'ipv6-trailing-characters'],
  ['[::1]]', 'ipv6-trailing-characters'],
  ['[::1]8448', 'ipv6-trailing-characters'],
  ['[]', 'ipv6-empty'],
  ['[]:80', 'ipv6-empty'],
  ['[fe80::1%eth0]', 'ipv6-zone-id'],
  ['[fe80::1%25eth0]:8448', 'ipv6-zone-id'],
  ['[1::2::3]', 'ipv6-invalid'],
  ['[matrix.org]', 'ipv6-invalid'],
  ['[1.2.3.4]:80', 'ipv4-in-brackets'],
  // IPv4-shaped names that are not addresses are rejected, not taken as dns-names.
  ['256.1.1.1', 'ipv4-octet-range'],
  ['1.2.3.999:80', 'ipv4-octet-range'],
  ['1.2.3.0004', 'ipv4-octet-range'],
  // DNS structure.
  ['a..b', 'dns-empty-label'],
  ['.', 'dns-empty-label'],
  ['matrix.org.', 'dns-trailing-dot'],
  ['matrix.org.:8448', 'dns-trailing-dot'],
  [`${'a'.repeat(64)}.org`, 'dns-label-too-long'],
  [`${name255}a`, 'dns-too-long'],
  ['xn--abc.com', 'punycode-invalid'],
  ['xn--.com', 'punycode-invalid'],
  ['matrix.xn--99999999999', 'punycode-invalid'],
];

describe('parseServerName: valid names', () => {
  it.each(valid)('%j parses', (input, expected) => {
    const result = parseServerName(input);
    expect(result).toEqual({ ok: true, value: expected });
  });

  it('omits port when absent instead of setting it to undefined (exactOptionalPropertyTypes)', () => {
    const result = parseServerName('matrix.org');
    expect(result.ok && Object.keys(result.value)).toEqual(['host', 'kind']);
  });
});

describe('parseServerName: invalid names', () => {
  it.each(invalid)('%j is rejected by rule %s', (input, rule) => {
    const result = parseServerName(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'INVALID_SERVER_NAME', rule, input });
    expect(result.error.message.length).toBeGreaterThan(20);
  });

  it('uses only rule ids listed in SERVER_NAME_RULES', () => {
    for (const [, rule] of invalid) expect(SERVER_NAME_RULES).toContain(rule);
  });

  it('tests every rule at least once', () => {
    const tested = new Set(invalid.map(([, rule]) => rule));
    expect(SERVER_NAME_RULES.filter((rule) => !tested.has(rule))).toEqual([]);
  });
});

describe('parseServerName: messages help the admin fix the name', () => {
  const messageOf = (input: string): string => {
    const result = parseServerName(input);
    if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
    return result.error.message;
  };

  it('suggests the punycode form of an internationalised name, port kept', () => {
    expect(domainToASCII('münchen.de')).toBe('xn--mnchen-3ya.de');
    expect(messageOf('münchen.de:8448')).toContain('use "xn--mnchen-3ya.de:8448"');
    expect(messageOf('bücher.example')).toContain(`use "${domainToASCII('bücher.example')}"`);
  });

  it('says when no punycode form can be computed', () => {
    const message = messageOf('bad_name.de\u00fc');
    expect(message).toContain('punycode');
    expect(message).not.toContain('use "');
  });

  it('names the offending character and its position', () => {
    expect(messageOf('underscore_.com')).toContain('"_" (U+005F) at position 11');
    expect(messageOf('newline.com\n')).toContain('a line break (U+000A) at position 12');
  });

  it('suggests the trimmed name for white space at the ends only', () => {
    expect(messageOf('newline.com\n')).toContain('did you mean "newline.com"?');
    expect(messageOf('new line.com')).not.toContain('did you mean');
  });

  it('suggests brackets for a bare IPv6 address', () => {
    expect(messageOf('2001:db8::1')).toContain('"[2001:db8::1]"');
  });

  it('suggests dropping the brackets around an IPv4 address', () => {
    expect(messageOf('[1.2.3.4]:80')).toContain('"1.2.3.4:80"');
  });

  it('suggests dropping a trailing dot', () => {
    expect(messageOf('matrix.org.')).toContain('use "matrix.org"');
  });

  it('truncates a huge input in the message', () => {
    const huge = `${'a'.repeat(100_000)}_`;
    expect(messageOf(huge).length).toBeLessThan(400);
  });
});

describe('parseServerNameOrThrow', () => {
  it('returns the parsed name', () => {
    expect(parseServerNameOrThrow('[::1]:8448')).toEqual({ host: '::1', kind: 'ipv6', port: 8448 });
  });

  it('throws MatrixDelegationError INVALID_SERVER_NAME with the rule and input', () => {
    let caught: unknown;
    try {
      parseServerNameOrThrow('localhost:http');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MatrixDelegationError);
    const error = caught as MatrixDelegationError;
    expect(error.code).toBe('INVALID_SERVER_NAME');
    expect(error.detail).toEqual({ rule: 'port-not-numeric', input: 'localhost:http' });
    expect(error.message).toContain('http');
  });
});
