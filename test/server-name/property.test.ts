// Property tests: parseServerName never throws, accepts generated valid names and round-trips through formatServerName.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServerName, ServerNameResult } from '../../src/server-name/index.js';
import { SERVER_NAME_RULES, formatServerName, parseServerName } from '../../src/server-name/index.js';

/** The appendix grammar written as one loose regex, independent of the parser: nothing outside it may pass. */
const GRAMMAR = /^(?:[0-9]{1,3}(?:\.[0-9]{1,3}){3}|\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,255})(?::[0-9]{1,5})?$/;

/** Checks the shape of any result: a rejection has the code, a known rule, a message and the input. */
function checkResult(input: string, result: ServerNameResult): void {
  if (result.ok) {
    expect(input).toMatch(GRAMMAR);
    // Whatever is accepted also round-trips.
    expect(parseServerName(formatServerName(result.value))).toEqual(result);
    return;
  }
  expect(result.error.code).toBe('INVALID_SERVER_NAME');
  expect(SERVER_NAME_RULES).toContain(result.error.rule);
  expect(result.error.message.trim()).not.toBe('');
  expect(result.error.input).toBe(input);
}

const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const grammarChar = fc.constantFrom(...'0123456789abcdefxyzABCDEFXYZ:.[]-%_ \n'.split(''));

describe('parseServerName never throws', () => {
  it.each([
    ['fc.string()', fc.string()],
    ['full Unicode code points', fc.string({ unit: 'binary' })],
    ['any UTF-16 code units, lone surrogates included', fc.string({ unit: codeUnit })],
    ['the grammar alphabet', fc.string({ unit: grammarChar, maxLength: 40 })],
  ] as const)('on %s', (_label, strings) => {
    fc.assert(
      fc.property(strings, (input) => {
        checkResult(input, parseServerName(input));
      }),
      { numRuns: 1000 },
    );
  });
});

// Arbitraries for valid names, each paired with the ServerName it must parse to.
// Excluded on purpose: `xn--` labels (they must be real punycode, tested by table) and names of four
// numeric labels (validated as IPv4 addresses).
const plainDnsName = (name: string): boolean =>
  name.length <= 255 && !/(?:^|\.)xn--/i.test(name) && !/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(name);
const labelArb = fc.stringMatching(/^[A-Za-z0-9-]{1,63}$/);
const dnsArb = fc
  .array(labelArb, { minLength: 1, maxLength: 5 })
  .map((labels) => labels.join('.'))
  .filter(plainDnsName);
const dnsHost = fc.oneof(dnsArb, fc.domain().filter(plainDnsName)).map((host) => ({ host, kind: 'dns' as const }));

const octetText = fc
  .integer({ min: 0, max: 255 })
  .chain((n) => fc.integer({ min: String(n).length, max: 3 }).map((width) => String(n).padStart(width, '0')));
const ipv4Host = fc
  .tuple(octetText, octetText, octetText, octetText)
  .map((o) => ({ host: o.join('.'), kind: 'ipv4' as const }));

/** Renders eight groups in one of the RFC 4291 §2.2 text forms. */
const ipv6Text = fc
  .record({
    words: fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 }),
    pad: fc.boolean(),
    upper: fc.boolean(),
    embedded: fc.boolean(),
    compress: fc.boolean(),
  })
  .map(({ words, pad, upper, embedded, compress }) => {
    let groups = words.map((w) => (pad ? w.toString(16).padStart(4, '0') : w.toString(16)));
    if (upper) groups = groups.map((g) => g.toUpperCase());
    let tail: string[] = [];
    if (embedded) {
      const [w6 = 0, w7 = 0] = words.slice(6);
      tail = [`${w6 >> 8}.${w6 & 0xff}.${w7 >> 8}.${w7 & 0xff}`];
      groups = groups.slice(0, 6);
    }
    const zeroAt = groups.findIndex((g) => /^0+$/.test(g));
    if (compress && zeroAt >= 0) {
      let end = zeroAt;
      while (end < groups.length && /^0+$/.test(groups[end] ?? '')) end++;
      return `${groups.slice(0, zeroAt).join(':')}::${[...groups.slice(end), ...tail].join(':')}`;
    }
    return [...groups, ...tail].join(':');
  });
const ipv6Host = fc.oneof(ipv6Text, fc.ipV6()).map((host) => ({ host, kind: 'ipv6' as const }));

const serverNameArb: fc.Arbitrary<ServerName> = fc
  .tuple(fc.oneof(dnsHost, ipv4Host, ipv6Host), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }))
  .map(([host, port]) => (port === undefined ? host : { ...host, port }));

describe('generated valid names', () => {
  it('parse to the expected parts, and format gives back the text', () => {
    fc.assert(
      fc.property(serverNameArb, (name) => {
        const text =
          (name.kind === 'ipv6' ? `[${name.host}]` : name.host) + (name.port === undefined ? '' : `:${name.port}`);
        expect(parseServerName(text)).toEqual({ ok: true, value: name });
        expect(formatServerName(name)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trip: parseServerName(formatServerName(v)) deep-equals v', () => {
    fc.assert(
      fc.property(serverNameArb, (name) => {
        expect(parseServerName(formatServerName(name))).toEqual({ ok: true, value: name });
      }),
      { numRuns: 1000 },
    );
  });

  it('one character outside the grammar anywhere makes the name invalid', () => {
    const outside = fc.constantFrom('_', '%', '/', '@', ' ', '\n', 'é', '*', '\u0000');
    fc.assert(
      fc.property(dnsArb, outside, fc.nat(), (host, char, at) => {
        const position = at % (host.length + 1);
        const result = parseServerName(host.slice(0, position) + char + host.slice(position));
        expect(result.ok).toBe(false);
      }),
    );
  });
});
