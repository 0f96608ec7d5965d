// The X-Matrix Authorization header: the spec's grammar (quoted and unquoted values, escapes, order, case, unknown
// parameters, several headers), hostile input (property tests: never throws), and the formatter's output.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatXMatrixAuthorization,
  parseXMatrixAuthorization,
  type XMatrixCredentials,
} from '../../src/client/x-matrix.js';

const SPEC_EXAMPLE =
  'X-Matrix origin="origin.hs.example.com",destination="destination.hs.example.com",key="ed25519:key1",sig="ABCDEF..."';
const EXAMPLE: XMatrixCredentials = {
  origin: 'origin.hs.example.com',
  destination: 'destination.hs.example.com',
  key: 'ed25519:key1',
  sig: 'ABCDEF...',
};

function credentials(header: Parameters<typeof parseXMatrixAuthorization>[0]): readonly XMatrixCredentials[] {
  const result = parseXMatrixAuthorization(header);
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.message}`);
  return result.credentials;
}

function code(header: Parameters<typeof parseXMatrixAuthorization>[0]): string {
  const result = parseXMatrixAuthorization(header);
  return result.ok ? 'ok' : result.code;
}

describe('parseXMatrixAuthorization: the spec grammar', () => {
  it('reads the spec example header', () => {
    expect(credentials(SPEC_EXAMPLE)).toEqual([EXAMPLE]);
  });

  it('unquoted values are tokens, and colons are allowed in them ("recipients should allow colons")', () => {
    expect(
      credentials(
        'X-Matrix origin=origin.hs.example.com,destination=destination.hs.example.com:8448,key=ed25519:key1,sig=ABCDEF',
      ),
    ).toEqual([
      {
        origin: 'origin.hs.example.com',
        destination: 'destination.hs.example.com:8448',
        key: 'ed25519:key1',
        sig: 'ABCDEF',
      },
    ]);
  });

  it('names are case-insensitive and in any order; the scheme is case-insensitive; one or more spaces after it', () => {
    expect(
      credentials(
        'x-matrix   SIG="ABCDEF...",Key="ed25519:key1",DESTINATION="destination.hs.example.com",Origin="origin.hs.example.com"',
      ),
    ).toEqual([EXAMPLE]);
  });

  it('spaces around "," and "=" (OWS, BWS) and empty list elements are accepted', () => {
    const header =
      'X-Matrix origin = "origin.hs.example.com" ,, destination="destination.hs.example.com" ,\tkey= "ed25519:key1",sig ="ABCDEF...",';
    expect(credentials(header)).toEqual([EXAMPLE]);
  });

  it('backslash escapes in quoted values are undone: a backslash-character pair becomes the character', () => {
    expect(
      credentials(
        'X-Matrix origin="ori\\gin.hs.example.com",key="ed25519:\\k\\ey1",sig="AB\\"C\\\\D",destination="destination.hs.example.com"',
      ),
    ).toEqual([
      {
        origin: 'origin.hs.example.com',
        destination: 'destination.hs.example.com',
        key: 'ed25519:key1',
        sig: 'AB"C\\D',
      },
    ]);
  });

  it('quoted values may hold commas and "="; unknown parameters are ignored', () => {
    expect(
      credentials(
        'X-Matrix foo="a,b=c",origin="origin.hs.example.com",bar=baz,key="ed25519:key1",sig="AB+/cd=",x-y="1"',
      ),
    ).toEqual([{ origin: 'origin.hs.example.com', destination: null, key: 'ed25519:key1', sig: 'AB+/cd=' }]);
  });

  it('destination is optional (older senders): null when absent', () => {
    expect(credentials('X-Matrix origin="a.example",key="ed25519:1",sig="x"')[0]?.destination).toBeNull();
  });

  it('several X-Matrix headers, as a list or joined with commas, give every credential in order', () => {
    const second =
      'X-Matrix origin="origin.hs.example.com",destination="destination.hs.example.com",key="ed25519:key2",sig="GHIJ"';
    const expected = [EXAMPLE, { ...EXAMPLE, key: 'ed25519:key2', sig: 'GHIJ' }];
    expect(credentials([SPEC_EXAMPLE, second])).toEqual(expected);
    expect(credentials(`${SPEC_EXAMPLE}, ${second}`)).toEqual(expected);
  });

  it('other schemes are skipped, with their token68 or parameters (quoted commas included)', () => {
    expect(credentials(`Bearer abc/def==, ${SPEC_EXAMPLE}, Digest realm="a,b", nonce=xyz`)).toEqual([EXAMPLE]);
    expect(credentials(['Basic dXNlcjpwYXNz', SPEC_EXAMPLE])).toEqual([EXAMPLE]);
  });

  it('no X-Matrix credentials: AUTH_MISSING', () => {
    for (const header of [undefined, null, '', '   ', [], 'Bearer abc', ['Basic dXNlcjpwYXNz'], ',,'])
      expect(code(header)).toBe('AUTH_MISSING');
  });

  it.each([
    ['no space after the scheme', 'X-Matrixorigin="a.example",key="ed25519:1",sig="x"'],
    ['a parameter before any scheme', 'origin="a.example", X-Matrix key="ed25519:1",sig="x"'],
    ['no origin', 'X-Matrix key="ed25519:1",sig="x"'],
    ['no key', 'X-Matrix origin="a.example",sig="x"'],
    ['no sig', 'X-Matrix origin="a.example",key="ed25519:1"'],
    ['an empty sig', 'X-Matrix origin="a.example",key="ed25519:1",sig=""'],
    ['an empty destination', 'X-Matrix origin="a.example",destination="",key="ed25519:1",sig="x"'],
    ['a repeated parameter', 'X-Matrix origin="a.example",origin="b.example",key="ed25519:1",sig="x"'],
    ['a repeated parameter in another case', 'X-Matrix sig="x",origin="a.example",key="ed25519:1",SIG="y"'],
    ['an unclosed quote', 'X-Matrix origin="a.example,key="ed25519:1",sig="x'],
    ['an unquoted value with "/"', 'X-Matrix origin=a.example,key=ed25519:1,sig=AB/C'],
    ['an unquoted value with "="', 'X-Matrix origin=a.example,key=ed25519:1,sig=ABC='],
    ['an origin that is not a server name', 'X-Matrix origin="a example",key="ed25519:1",sig="x"'],
    ['an origin with a path', 'X-Matrix origin="a.example/x",key="ed25519:1",sig="x"'],
    ['a control character in a quoted value', 'X-Matrix origin="a.example",key="ed25519:1",sig="x\u0001"'],
    ['an escaped control character', 'X-Matrix origin="a.example",key="ed25519:1",sig="x\\\u0000"'],
    ['garbage after a value', 'X-Matrix origin="a.example" junk,key="ed25519:1",sig="x"'],
    ['X-Matrix followed by a token68', 'X-Matrix abcdef=='],
    ['a character outside the grammar', 'X-Matrix origin="a.example";key="ed25519:1",sig="x"'],
    ['a list with a non-string', ['X-Matrix origin="a.example",key="ed25519:1",sig="x"', 7 as unknown as string]],
  ])('%s: AUTH_MALFORMED', (_what, header) => {
    expect(code(header)).toBe('AUTH_MALFORMED');
  });

  it('a header longer than 8 KiB, or more than 8 X-Matrix credentials: AUTH_MALFORMED', () => {
    expect(code(`X-Matrix origin="a.example",key="ed25519:1",sig="${'A'.repeat(9000)}"`)).toBe('AUTH_MALFORMED');
    expect(code(Array.from({ length: 9 }, (_, i) => `X-Matrix origin="a.example",key="ed25519:${i}",sig="x"`))).toBe(
      'AUTH_MALFORMED',
    );
    expect(
      credentials(Array.from({ length: 8 }, (_, i) => `X-Matrix origin="a.example",key="ed25519:${i}",sig="x"`)),
    ).toHaveLength(8);
  });
});

describe('formatXMatrixAuthorization', () => {
  it('writes the spec example exactly: one space, lower-case names, quoted values, in the example order', () => {
    expect(formatXMatrixAuthorization(EXAMPLE)).toBe(SPEC_EXAMPLE);
    expect(formatXMatrixAuthorization({ ...EXAMPLE, destination: null })).toBe(
      'X-Matrix origin="origin.hs.example.com",key="ed25519:key1",sig="ABCDEF..."',
    );
  });
});

// Generators of the grammar's pieces, written from RFC 9110 and the spec, not from the parser.
const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const serverName = fc
  .tuple(
    fc.array(label, { minLength: 1, maxLength: 3 }),
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  )
  .map(([labels, port]) => `${labels.join('.')}${port === undefined ? '' : `:${port}`}`);
const keyId = fc.stringMatching(/^[a-zA-Z0-9_]{1,12}$/).map((v) => `ed25519:${v}`);
const base64Sig = fc
  .uint8Array({ minLength: 64, maxLength: 64 })
  .map((b) => Buffer.from(b).toString('base64').replace(/=+$/, ''));
const credentialArb = fc.record({
  origin: serverName,
  destination: fc.option(serverName, { nil: null }),
  key: keyId,
  sig: base64Sig,
});

/** Encodes a value as the grammar allows: a token (colons allowed) when it is one, else a quoted string, maybe with escapes. */
function encodeValue(value: string, quoteIt: boolean, escapeAll: boolean): string {
  const isToken = value.length > 0 && [...value].every((c) => TCHARS.includes(c) || c === ':');
  if (isToken && !quoteIt) return value;
  const body = [...value].map((c) => (escapeAll || c === '"' || c === '\\' ? `\\${c}` : c)).join('');
  return `"${body}"`;
}

const spaces = fc.constantFrom('', ' ', '  ', '\t', ' \t');

describe('parseXMatrixAuthorization: properties', () => {
  it('any spec-grammar encoding of credentials (order, case, quoting, escapes, spaces, unknown parameters) reads back to them', () => {
    fc.assert(
      fc.property(
        credentialArb,
        fc.array(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), fc.string({ maxLength: 10 })), { maxLength: 3 }),
        fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
        fc.array(spaces, { minLength: 16, maxLength: 16 }),
        fc.integer({ min: 0, max: 1000 }),
        (cred, unknown, flags, gaps, seed) => {
          const params: [string, string][] = [
            ['origin', cred.origin],
            ['key', cred.key],
            ['sig', cred.sig],
            ...(cred.destination === null ? [] : [['destination', cred.destination] as [string, string]]),
            // Unknown names that are not ours (a trailing "x" keeps them from colliding with ours).
            ...unknown
              .filter(([, v]) => [...v].every((c) => c === '\t' || (c >= ' ' && c !== '\u007f')))
              .map(([n, v]) => [`${n}x`, v] as [string, string]),
          ];
          // A deterministic shuffle from the seed.
          params.sort((a, b) => ((a[0].charCodeAt(0) * 31 + seed) % 7) - ((b[0].charCodeAt(0) * 31 + seed) % 7));
          const encoded = params.map(([name, value], i) => {
            const shownName = flags[i % 16] ? name.toUpperCase() : name;
            return `${shownName}${gaps[i % 16]}=${gaps[(i + 5) % 16]}${encodeValue(value, flags[(i + 3) % 16] === true, flags[(i + 7) % 16] === true && flags[(i + 9) % 16] === true)}`;
          });
          const header = `${flags[15] ? 'x-matrix' : 'X-Matrix'} ${gaps[1] === '' ? '' : ' '}${encoded.join(`${gaps[2]},${gaps[3]}`)}`;
          const result = parseXMatrixAuthorization(header);
          expect(result).toEqual({ ok: true, credentials: [cred] });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws, whatever the header (random text, random bytes as latin1, random edits of a valid header)', () => {
    const valid = formatXMatrixAuthorization(EXAMPLE);
    const mutated = fc
      .array(fc.tuple(fc.nat({ max: valid.length }), fc.nat({ max: 3 }), fc.string({ maxLength: 4, unit: 'binary' })), {
        maxLength: 6,
      })
      .map((edits) =>
        edits.reduce((text, [at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut), valid),
      );
    const header = fc.oneof(
      fc.string({ maxLength: 300, unit: 'binary' }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.string({ maxLength: 200, unit: fc.constantFrom(...'X-Matrix origin=",\\ \t'.split('')) }),
      mutated,
    );
    fc.assert(
      fc.property(fc.oneof(header, fc.array(header, { maxLength: 4 })), (value) => {
        const result = parseXMatrixAuthorization(value);
        expect(typeof result.ok).toBe('boolean');
        // The parser's last-resort catch must never be what answered (that would be an exception inside it).
        if (!result.ok) expect(result.message).not.toMatch(/could not be read/);
        if (result.ok) {
          for (const c of result.credentials) {
            expect(c.origin.length).toBeGreaterThan(0);
            expect(c.key.length).toBeGreaterThan(0);
            expect(c.sig.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws for values that are not strings at all', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = parseXMatrixAuthorization(value as string);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
