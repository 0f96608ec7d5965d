// Tests of the address policy: default deny ranges, embedded IPv4 forms, allow-list overrides, CIDR validation.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createAddressPolicy, DEFAULT_DENY_NETWORKS } from '../../src/net/address-policy.js';
import { isMatrixDelegationError } from '../../src/errors.js';

const policy = createAddressPolicy();

describe('default policy', () => {
  const denied: [string, string][] = [
    ['127.0.0.1', '127.0.0.0/8'],
    ['127.255.255.254', '127.0.0.0/8'],
    ['10.1.2.3', '10.0.0.0/8'],
    ['172.16.0.1', '172.16.0.0/12'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['100.127.255.255', '100.64.0.0/10'],
    ['192.0.0.8', '192.0.0.0/24'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['192.88.99.1', '192.88.99.0/24'],
    ['198.19.0.1', '198.18.0.0/15'],
    ['192.0.2.1', '192.0.2.0/24'],
    ['198.51.100.7', '198.51.100.0/24'],
    ['203.0.113.9', '203.0.113.0/24'],
    ['224.0.0.1', '224.0.0.0/4'],
    ['239.255.255.250', '224.0.0.0/4'],
    ['::1', '::1/128'],
    ['fe80::1', 'fe80::/10'],
    ['fe80::1%eth0', 'fe80::/10'],
    ['fd00::1', 'fc00::/7'],
    ['fc00::1', 'fc00::/7'],
    ['2001:db8::1', '2001:db8::/32'],
    ['ff02::1', 'ff00::/8'],
    ['fec0::1', 'fec0::/10'],
    // IPv4 ranges in their IPv6 forms.
    ['::ffff:127.0.0.1', '127.0.0.0/8'],
    ['::ffff:7f00:1', '127.0.0.0/8'],
    ['::127.0.0.1', '127.0.0.0/8'],
    ['::7f00:1', '127.0.0.0/8'],
    ['2002:7f00:1::1', '127.0.0.0/8'],
    ['2002:a00:1:1234::1', '10.0.0.0/8'],
    ['::ffff:192.168.0.1', '192.168.0.0/16'],
    ['64:ff9b::10.0.0.1', '10.0.0.0/8'],
    ['0:0:0:0:0:FFFF:A9FE:A9FE', '169.254.0.0/16'],
  ];
  it.each(denied)('denies %s (in %s)', (ip, range) => {
    const verdict = policy.check(ip);
    expect(verdict.allowed).toBe(false);
    expect(verdict.range).toBe(range);
  });

  const allowed = [
    '1.1.1.1',
    '8.8.8.8',
    '::ffff:8.8.8.8',
    '2606:4700:4700::1111',
    '2002:808:808::1',
    '::8.8.8.8',
    '172.32.0.1',
    '100.128.0.1',
    '64:ff9b::8.8.8.8',
  ];
  it.each(allowed)('allows %s', (ip) => {
    const verdict = policy.check(ip);
    expect(verdict).toEqual({ allowed: true, range: null, reason: `${ip} is not in any denied range` });
  });

  it.each(['0.0.0.0', '::', '::ffff:0.0.0.0', '2002::1'])('always denies the unspecified address in %s', (ip) => {
    const verdict = policy.check(ip);
    expect(verdict.allowed).toBe(false);
    expect(verdict.reason).toContain('unspecified');
  });

  it.each(['localhost', '127.1', '0x7f.0.0.1', '', '1.2.3.4/32', '[::1]'])('denies non-literal %j', (text) => {
    expect(policy.check(text)).toMatchObject({ allowed: false, range: null });
  });

  it('names the range in plain words', () => {
    expect(policy.check('127.0.0.1').reason).toBe('127.0.0.1 is in 127.0.0.0/8 (loopback), which is denied by default');
    expect(policy.check('10.0.0.1').reason).toContain('private');
    expect(policy.check('100.64.0.1').reason).toContain('CGNAT');
    expect(policy.check('169.254.0.1').reason).toContain('link-local');
    expect(policy.check('192.0.2.1').reason).toContain('documentation');
    expect(policy.check('224.0.0.1').reason).toContain('multicast');
    expect(policy.check('::ffff:127.0.0.1').reason).toBe(
      '::ffff:127.0.0.1 (the IPv4-mapped form of 127.0.0.1) is in 127.0.0.0/8 (loopback), which is denied by default',
    );
    expect(policy.check('2002:7f00:1::1').reason).toContain('6to4 form of 127.0.0.1');
    expect(policy.check('::127.0.0.1').reason).toContain('IPv4-compatible form of 127.0.0.1');
  });

  it('exports the Synapse default list', () => {
    expect(DEFAULT_DENY_NETWORKS).toContain('100.64.0.0/10');
    expect(DEFAULT_DENY_NETWORKS).toContain('fec0::/10');
    expect(DEFAULT_DENY_NETWORKS).toHaveLength(19);
  });
});

describe('allow-list', () => {
  const lab = createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] });

  it.each(['127.0.0.2', '::ffff:127.0.0.2', '::127.0.0.2', '2002:7f00:2::1'])(
    'permits %s, reporting the allow entry',
    (ip) => {
      const verdict = lab.check(ip);
      expect(verdict.allowed).toBe(true);
      expect(verdict.range).toBe('127.0.0.0/8');
      expect(verdict.reason).toContain('allow-list entry 127.0.0.0/8');
    },
  );

  it('does not permit other denied ranges', () => {
    expect(lab.check('10.0.0.1').allowed).toBe(false);
    expect(lab.check('::1').allowed).toBe(false);
  });

  it('never permits the unspecified address', () => {
    const open = createAddressPolicy({ allowNetworks: ['0.0.0.0/0', '::/0'] });
    expect(open.check('0.0.0.0').allowed).toBe(false);
    expect(open.check('::').allowed).toBe(false);
    expect(open.check('10.0.0.1').allowed).toBe(true);
  });

  it('accepts IPv6 allow entries', () => {
    const v6 = createAddressPolicy({ allowNetworks: ['::1'] });
    expect(v6.check('::1')).toMatchObject({ allowed: true, range: '::1/128' });
  });
});

describe('custom deny list', () => {
  it('replaces the defaults and says so', () => {
    const custom = createAddressPolicy({ denyNetworks: ['8.8.8.0/24'] });
    expect(custom.check('127.0.0.1').allowed).toBe(true);
    const verdict = custom.check('::ffff:8.8.8.8');
    expect(verdict).toMatchObject({ allowed: false, range: '8.8.8.0/24' });
    expect(verdict.reason).toContain('on the deny list');
  });

  it('clears host bits and accepts single addresses', () => {
    const custom = createAddressPolicy({ denyNetworks: ['10.1.2.3/8', '9.9.9.9', '2001:DB8:1::5/48'] });
    expect(custom.check('10.200.0.1')).toMatchObject({ allowed: false, range: '10.0.0.0/8' });
    expect(custom.check('9.9.9.9')).toMatchObject({ allowed: false, range: '9.9.9.9/32' });
    expect(custom.check('9.9.9.8').allowed).toBe(true);
    expect(custom.check('2001:db8:1:ffff::1')).toMatchObject({ allowed: false, range: '2001:db8:1::/48' });
  });

  it.each(['10.0.0.0/33', '::/129', 'not-an-ip/8', '10.0.0/8', '10.0.0.0/', '10.0.0.0/x', 'fe80::%eth0/64', '127.1/8'])(
    'rejects the bad CIDR %j with INVALID_CIDR naming it',
    (cidr) => {
      for (const options of [{ denyNetworks: [cidr] }, { allowNetworks: [cidr] }]) {
        let caught: unknown;
        try {
          createAddressPolicy(options);
        } catch (error) {
          caught = error;
        }
        expect(isMatrixDelegationError(caught, 'INVALID_CIDR')).toBe(true);
        expect((caught as Error).message).toContain(`"${cidr}"`);
      }
    },
  );
});

/** Every IPv4 address, as four octets, inside one of the default IPv4 deny ranges. */
const ipv4Ranges = DEFAULT_DENY_NETWORKS.filter((cidr) => !cidr.includes(':')).map((cidr) => {
  const [base = '', bits = '32'] = cidr.split('/');
  const value = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return { cidr, start: value, size: 2 ** (32 - Number(bits)) };
});

const deniedIpv4 = fc
  .constantFrom(...ipv4Ranges)
  .chain((range) =>
    fc.integer({ min: 0, max: range.size - 1 }).map((offset) => ({ range, value: range.start + offset })),
  );

function octets(value: number): number[] {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

function hex16(hi: number, lo: number): string {
  return ((hi << 8) | lo).toString(16);
}

describe('property: a denied IPv4 address is denied in every IPv6 form', () => {
  it('holds for mapped, compatible, 6to4 and NAT64 forms, dotted and hex', () => {
    fc.assert(
      fc.property(deniedIpv4, fc.integer({ min: 0, max: 0xffff }), ({ range, value }, subnet) => {
        const [a = 0, b = 0, c = 0, d = 0] = octets(value);
        const dotted = `${a}.${b}.${c}.${d}`;
        const hexTail = `${hex16(a, b)}:${hex16(c, d)}`;
        const forms = [
          dotted,
          `::ffff:${dotted}`,
          `::ffff:${hexTail}`,
          `::${dotted}`,
          `::${hexTail}`,
          `2002:${hexTail}:${subnet.toString(16)}::1`,
          `64:ff9b::${dotted}`,
        ];
        for (const form of forms) {
          const verdict = policy.check(form);
          expect(verdict.allowed, form).toBe(false);
          expect(verdict.range, form).toBe(range.cidr);
        }
      }),
      { numRuns: 500 },
    );
  });
});
