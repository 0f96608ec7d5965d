// IPv6 and IPv4 literal forms: acceptance (RFC 4291 §2.2), rejection rules and normalizeIp's canonical output.

import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MatrixDelegationError } from '../../src/errors.js';
import type { ServerNameRule } from '../../src/server-name/index.js';
import { normalizeIp, parseServerName } from '../../src/server-name/index.js';

/** [text inside the brackets, RFC 5952 form as Node prints it] */
const validIPv6: ReadonlyArray<readonly [string, string]> = [
  ['::', '::'],
  ['::1', '::1'],
  ['1::', '1::'],
  ['1:2::3', '1:2::3'],
  ['1234:5678::abcd', '1234:5678::abcd'],
  ['2001:DB8::1', '2001:db8::1'],
  ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
  ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ['ABCD:EF01:2345:6789:abcd:ef01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
  ['0000::0000', '::'],
  ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
  ['fe80::1', 'fe80::1'],
  ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
  ['::FFFF:1.2.3.4', '::ffff:1.2.3.4'],
  ['0:0:0:0:0:ffff:102:304', '::ffff:1.2.3.4'],
  ['::1.2.3.4', '::1.2.3.4'],
  ['0:0:0:0:0:0:1.2.3.4', '::1.2.3.4'],
  ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
  ['1::255.255.255.255', '1::ffff:ffff'],
  ['::0.0.0.2', '::2'],
];

const invalidIPv6: ReadonlyArray<readonly [string, ServerNameRule]> = [
  ['', 'ipv6-empty'],
  ['fe80::1%eth0', 'ipv6-zone-id'],
  ['fe80::1%25eth0', 'ipv6-zone-id'],
  ['1::2::3', 'ipv6-invalid'],
  ['::1::', 'ipv6-invalid'],
  [':::', 'ipv6-invalid'],
  [':', 'ipv6-invalid'],
  ['1', 'ipv6-invalid'],
  ['12345::', 'ipv6-invalid'],
  ['::00001', 'ipv6-invalid'],
  ['1:2:3:4:5:6:7', 'ipv6-invalid'],
  ['1:2:3:4:5:6:7:8:9', 'ipv6-invalid'],
  ['1:2:3:4:5:6:7:8::', 'ipv6-invalid'],
  ['1:2:3:4::5:6:7:8', 'ipv6-invalid'],
  [':1::', 'ipv6-invalid'],
  ['1::2:', 'ipv6-invalid'],
  [':1:2:3:4:5:6:7:8', 'ipv6-invalid'],
  ['1:2:3:4:5:6:7:8:', 'ipv6-invalid'],
  ['1.2.3.4::', 'ipv6-invalid'],
  ['::1.2.3', 'ipv6-invalid'],
  ['::256.1.1.1', 'ipv6-invalid'],
  ['::01.2.3.4', 'ipv6-invalid'],
  ['::1.2.3.4:5', 'ipv6-invalid'],
  ['::ffff:1.2.3.4.5', 'ipv6-invalid'],
  ['1:2:3:4:5:6:7:1.2.3.4', 'ipv6-invalid'],
  ['g::1', 'ipv6-invalid'],
  ['::1 ', 'whitespace'],
  ['1.2.3.4', 'ipv4-in-brackets'],
];

describe('IPv6 literals', () => {
  it.each(validIPv6)('[%s] is accepted, host kept as written', (text) => {
    expect(parseServerName(`[${text}]`)).toEqual({ ok: true, value: { host: text, kind: 'ipv6' } });
  });

  it.each(validIPv6)('normalizeIp(%j) is %j', (text, canonical) => {
    expect(normalizeIp(text, 'ipv6')).toBe(canonical);
  });

  it.each(invalidIPv6)('[%s] is rejected by rule %s', (text, rule) => {
    const result = parseServerName(`[${text}]`);
    expect(result.ok ? 'accepted' : result.error.rule).toBe(rule);
  });

  it('accepts exactly what Node accepts for text built from IPv6 pieces (zone ids aside)', () => {
    // Mostly well-formed groups, so that group counts around 8 (with and without '::') come up often.
    const piece = fc.oneof(
      { arbitrary: fc.constantFrom('0', '1', 'ffff', 'ABCD', '0db8'), weight: 8 },
      { arbitrary: fc.constant(''), weight: 2 },
      { arbitrary: fc.constantFrom('00000', '1.2.3.4', '01.2.3.4', '256.0.0.1', '1.2.3', 'g'), weight: 1 },
    );
    const text = fc.array(piece, { minLength: 1, maxLength: 11 }).map((pieces) => pieces.join(':'));
    fc.assert(
      fc.property(text, (candidate) => {
        expect(parseServerName(`[${candidate}]`).ok).toBe(net.isIPv6(candidate));
      }),
      { numRuns: 2000 },
    );
  });

  it('normalizeIp prints every address as Node does (net.SocketAddress)', () => {
    // Bias towards zero groups so that compression and the mapped/compatible forms are exercised.
    const word = fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
    const address = fc.oneof(
      fc.ipV6(),
      fc.array(word, { minLength: 8, maxLength: 8 }).map((w) => w.map((g) => g.toString(16)).join(':')),
    );
    fc.assert(
      fc.property(address, (text) => {
        expect(normalizeIp(text, 'ipv6')).toBe(new net.SocketAddress({ address: text, family: 'ipv6' }).address);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('IPv4 literals', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4'],
    ['01.002.3.4', '1.2.3.4'],
    ['010.0.0.1', '10.0.0.1'], // decimal, not octal (octal would be 8.0.0.1)
    ['000.000.000.000', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
  ])('normalizeIp(%j) is %j', (text, canonical) => {
    expect(normalizeIp(text, 'ipv4')).toBe(canonical);
  });
});

describe('normalizeIp misuse', () => {
  it.each([
    ['example.org', 'ipv4'],
    ['256.1.1.1', 'ipv4'],
    ['1.2.3.4', 'ipv6'],
    ['fe80::1%eth0', 'ipv6'],
  ] as const)('normalizeIp(%j, %j) throws INVALID_ARGUMENT', (text, kind) => {
    expect(() => normalizeIp(text, kind)).toThrow(MatrixDelegationError);
    try {
      normalizeIp(text, kind);
    } catch (error) {
      expect((error as MatrixDelegationError).code).toBe('INVALID_ARGUMENT');
    }
  });
});
