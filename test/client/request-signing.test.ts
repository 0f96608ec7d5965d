// Signing and verifying federation requests: the spec's signed JSON, byte-for-byte agreement with the spec's example code
// run on Debian's python3-signedjson, both directions of verification, replays, and hostile headers (property tests).

import { createPrivateKey, sign as rawSign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { VerifyKeyLookup, VerifyKeySource } from '../../src/client/server-key-resolver.js';
import { federationRequestSigningBytes, signFederationRequest } from '../../src/client/sign-request.js';
import { verifyFederationRequest, type VerifyFederationRequestOptions } from '../../src/client/verify-request.js';
import { parseXMatrixAuthorization } from '../../src/client/x-matrix.js';
import { isMatrixDelegationError } from '../../src/errors.js';
import { decodeBase64, encodeUnpaddedBase64 } from '../../src/keys/base64.js';
import { parseSigningKey, SigningKey } from '../../src/keys/signing-key.js';
import { runSignedJson } from './signedjson.js';

// Spec appendix "Cryptographic Test Vectors": the seed; the request's server names are those of "Request Authentication".
const SPEC_SEED = 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1';
const ORIGIN = 'origin.hs.example.com';
const DESTINATION = 'destination.hs.example.com';
const key = parseSigningKey(`ed25519 key1 ${SPEC_SEED}`);

/** A fixed key table standing in for a resolver (a fake for these unit tests of pure logic). */
function keyTable(
  keys: Readonly<Record<string, Readonly<Record<string, Uint8Array | VerifyKeyLookup>>>>,
): VerifyKeySource & { calls: number } {
  const source = {
    calls: 0,
    getVerifyKey(serverName: string, keyId: string): Promise<VerifyKeyLookup> {
      source.calls++;
      const entry = keys[serverName]?.[keyId];
      if (entry === undefined)
        return Promise.resolve({ ok: false, code: 'KEY_NOT_FOUND', message: `${keyId} of ${serverName}: unknown` });
      if (entry instanceof Uint8Array) {
        return Promise.resolve({
          ok: true,
          serverName,
          keyId,
          publicKey: entry,
          validUntilTs: Date.now() + 60_000,
          old: false,
          source: 'cache',
        });
      }
      return Promise.resolve(entry);
    },
  };
  return source;
}

const keys = keyTable({ [ORIGIN]: { 'ed25519:key1': key.publicKey } });

interface Request {
  method: string;
  uri: string;
  destination: string;
  content?: unknown;
}

const PUT: Request = {
  method: 'PUT',
  uri: '/_matrix/federation/v1/send/1234?x=%2F',
  destination: DESTINATION,
  content: { pdus: [], edus: [{ a: 'é😀' }] },
};

function sign(request: Request, signer: SigningKey = key, origin = ORIGIN): string {
  return signFederationRequest({ origin, signingKey: signer, ...request });
}

function verify(
  authorization: VerifyFederationRequestOptions['authorization'],
  request: Request,
  source: VerifyKeySource = keys,
) {
  return verifyFederationRequest({ authorization, keyResolver: source, ...request });
}

describe('the signed JSON (server-server API "Request Authentication", step 1)', () => {
  it('is the canonical JSON of {method, uri, origin, destination, content}, and sig is its ed25519 signature', () => {
    // Written by hand from the spec: keys sorted, no spaces, UTF-8 raw, the uri exactly as sent.
    const expected =
      '{"content":{"edus":[{"a":"é😀"}],"pdus":[]},"destination":"destination.hs.example.com","method":"PUT","origin":"origin.hs.example.com","uri":"/_matrix/federation/v1/send/1234?x=%2F"}';
    expect(Buffer.from(federationRequestSigningBytes({ ...PUT, origin: ORIGIN })).toString('utf8')).toBe(expected);
    // The signature computed with node:crypto directly over those bytes, from the PKCS#8 form of the spec seed (RFC 8410).
    const pkcs8 = Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      Buffer.from(decodeBase64(SPEC_SEED) as Uint8Array),
    ]);
    const raw = rawSign(
      null,
      Buffer.from(expected, 'utf8'),
      createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    );
    const header = sign(PUT);
    expect(header).toBe(
      `X-Matrix origin="${ORIGIN}",destination="${DESTINATION}",key="ed25519:key1",sig="${encodeUnpaddedBase64(raw)}"`,
    );
  });

  it('has no "content" member for a request without a body', () => {
    expect(
      Buffer.from(
        federationRequestSigningBytes({
          method: 'GET',
          uri: '/_matrix/federation/v1/version',
          origin: ORIGIN,
          destination: DESTINATION,
        }),
      ).toString(),
    ).toBe(
      '{"destination":"destination.hs.example.com","method":"GET","origin":"origin.hs.example.com","uri":"/_matrix/federation/v1/version"}',
    );
  });

  it('refuses what it cannot sign: a bad server name, method or uri, a key id that is not ed25519, a float in the body', () => {
    const cases: [string, () => unknown][] = [
      ['INVALID_SERVER_NAME', () => signFederationRequest({ ...PUT, origin: 'bad name', signingKey: key })],
      [
        'INVALID_SERVER_NAME',
        () => signFederationRequest({ ...PUT, origin: ORIGIN, destination: 'https://x', signingKey: key }),
      ],
      ['INVALID_ARGUMENT', () => signFederationRequest({ ...PUT, method: 'P UT', origin: ORIGIN, signingKey: key })],
      [
        'INVALID_ARGUMENT',
        () => signFederationRequest({ ...PUT, uri: 'https://host/x', origin: ORIGIN, signingKey: key }),
      ],
      ['INVALID_ARGUMENT', () => signFederationRequest({ ...PUT, uri: '/a b', origin: ORIGIN, signingKey: key })],
      [
        'INVALID_ARGUMENT',
        () =>
          signFederationRequest({
            ...PUT,
            origin: ORIGIN,
            signingKey: { keyId: 'rsa:1', sign: () => new Uint8Array(64) },
          }),
      ],
      [
        'INVALID_ARGUMENT',
        () =>
          signFederationRequest({
            ...PUT,
            origin: ORIGIN,
            signingKey: { keyId: 'ed25519:1', sign: () => new Uint8Array(10) },
          }),
      ],
      [
        'INVALID_ARGUMENT',
        () => signFederationRequest({ ...PUT, content: { a: 1.5 }, origin: ORIGIN, signingKey: key }),
      ],
    ];
    for (const [expected, fn] of cases) {
      let error: unknown;
      try {
        fn();
      } catch (e) {
        error = e;
      }
      expect(isMatrixDelegationError(error, expected as 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

describe("against python3-signedjson (Synapse's signing library)", () => {
  const requests: Request[] = [
    PUT,
    { method: 'GET', uri: '/_matrix/federation/v1/version', destination: DESTINATION },
    {
      method: 'GET',
      uri: '/_matrix/federation/v1/query/profile?user_id=%40alice%3Aorigin.hs.example.com&field=displayname',
      destination: 'dest.example:8448',
    },
    {
      method: 'POST',
      uri: '/_matrix/federation/v1/user/keys/query',
      destination: '[::1]:8448',
      content: { device_keys: { '@a:b': [] }, n: -(2 ** 53) + 1, z: null },
    },
    {
      method: 'PUT',
      uri: '/_matrix/federation/v2/invite/!r:x/$e',
      destination: '1.2.3.4',
      content: { '\u00e9': '\u0000\u001f"\\/\u2028', 日本: true },
    },
  ];

  it("our Authorization header is byte-for-byte the one the spec's example code makes with signedjson", async () => {
    const theirs = await runSignedJson(
      requests.map((r) => ({ op: 'authorization' as const, seed: SPEC_SEED, version: 'key1', origin: ORIGIN, ...r })),
    );
    expect(requests.map((r) => sign(r))).toEqual(theirs);
  });

  it('our signature verifies with verify_signed_json; a changed request does not', async () => {
    const ops = requests.flatMap((r) => {
      const parsed = parseXMatrixAuthorization(sign(r));
      if (!parsed.ok) throw new Error(parsed.message);
      const sig = parsed.credentials[0]?.sig as string;
      const json = {
        method: r.method,
        uri: r.uri,
        origin: ORIGIN,
        destination: r.destination,
        ...(r.content !== undefined ? { content: r.content } : {}),
      };
      const signed = { ...json, signatures: { [ORIGIN]: { 'ed25519:key1': sig } } };
      return [
        { op: 'verify' as const, object: signed, entity: ORIGIN, version: 'key1', publicKey: key.publicKeyBase64 },
        {
          op: 'verify' as const,
          object: { ...signed, uri: `${r.uri}x` },
          entity: ORIGIN,
          version: 'key1',
          publicKey: key.publicKeyBase64,
        },
      ];
    });
    const results = (await runSignedJson(ops)) as { ok: boolean }[];
    expect(results.map((r) => r.ok)).toEqual(requests.flatMap(() => [true, false]));
  });

  it('a request signed by signedjson (sign_json, a key it generated) verifies here', async () => {
    const [generated] = (await runSignedJson([{ op: 'generate', version: 'a_9Zz' }])) as [
      { file: string; publicKey: string },
    ];
    const theirKey = parseSigningKey(generated.file);
    const ops = requests.map((r) => ({
      op: 'authorization' as const,
      seed: encodeUnpaddedBase64(theirKey.exportSeed()),
      version: 'a_9Zz',
      origin: 'them.example',
      ...r,
    }));
    const headers = (await runSignedJson(ops)) as string[];
    const source = keyTable({ 'them.example': { 'ed25519:a_9Zz': decodeBase64(generated.publicKey) as Uint8Array } });
    for (const [i, r] of requests.entries()) {
      expect(await verify(headers[i], r, source)).toEqual({ ok: true, origin: 'them.example', keyId: 'ed25519:a_9Zz' });
      expect((await verify(headers[i], { ...r, method: r.method === 'GET' ? 'HEAD' : 'GET' }, source)).ok).toBe(false);
    }
  });
});

describe('verifyFederationRequest', () => {
  it('accepts the request it was signed for', async () => {
    expect(await verify(sign(PUT), PUT)).toEqual({ ok: true, origin: ORIGIN, keyId: 'ed25519:key1' });
  });

  it.each([
    ['another method', { ...PUT, method: 'POST' }, 'AUTH_BAD_SIGNATURE'],
    ['another uri', { ...PUT, uri: '/_matrix/federation/v1/send/1235?x=%2F' }, 'AUTH_BAD_SIGNATURE'],
    ['the same uri decoded', { ...PUT, uri: '/_matrix/federation/v1/send/1234?x=/' }, 'AUTH_BAD_SIGNATURE'],
    ['another body', { ...PUT, content: { pdus: [], edus: [] } }, 'AUTH_BAD_SIGNATURE'],
    ['no body', { method: PUT.method, uri: PUT.uri, destination: PUT.destination }, 'AUTH_BAD_SIGNATURE'],
    [
      'another destination (the header names the first)',
      { ...PUT, destination: 'other.example' },
      'AUTH_DESTINATION_MISMATCH',
    ],
  ] as const)('a replay with %s fails (%s)', async (_what, replay, expected) => {
    const result = await verify(sign(PUT), replay);
    expect(result).toMatchObject({ ok: false, code: expected, httpStatus: 401 });
  });

  it('a header without destination (an older sender) is checked against our name: right name passes, replay elsewhere fails', async () => {
    const header = sign(PUT).replace(`destination="${DESTINATION}",`, '');
    expect((await verify(header, PUT)).ok).toBe(true);
    expect(await verify(header, { ...PUT, destination: 'other.example' })).toMatchObject({
      ok: false,
      code: 'AUTH_BAD_SIGNATURE',
    });
  });

  it('another origin claiming the signature, or another key id, fails', async () => {
    const header = sign(PUT);
    const source = keyTable({
      [ORIGIN]: { 'ed25519:key1': key.publicKey },
      'evil.example': { 'ed25519:key1': key.publicKey },
    });
    // evil.example publishes the same public key: the signature covers the origin, so the claim still fails.
    expect(await verify(header.replace(ORIGIN, 'evil.example'), PUT, source)).toMatchObject({
      ok: false,
      code: 'AUTH_BAD_SIGNATURE',
    });
    expect(await verify(header.replace('ed25519:key1', 'ed25519:key2'), PUT)).toMatchObject({
      ok: false,
      code: 'AUTH_UNKNOWN_KEY',
    });
  });

  it('maps the key look-up results: unknown, expired (an old key), unavailable', async () => {
    const header = sign(PUT);
    const lookups: [VerifyKeyLookup, string][] = [
      [{ ok: false, code: 'KEY_NOT_FOUND', message: 'x' }, 'AUTH_UNKNOWN_KEY'],
      [{ ok: false, code: 'KEY_EXPIRED', message: 'x' }, 'AUTH_KEY_EXPIRED'],
      [{ ok: false, code: 'KEY_UNAVAILABLE', message: 'x' }, 'AUTH_KEY_UNAVAILABLE'],
    ];
    for (const [lookup, expected] of lookups) {
      expect(await verify(header, PUT, keyTable({ [ORIGIN]: { 'ed25519:key1': lookup } }))).toMatchObject({
        ok: false,
        code: expected,
        httpStatus: 401,
        origin: ORIGIN,
      });
    }
    const throwing: VerifyKeySource = { getVerifyKey: () => Promise.reject(new Error('boom')) };
    expect(await verify(header, PUT, throwing)).toMatchObject({ ok: false, code: 'AUTH_KEY_UNAVAILABLE' });
  });

  it('several headers: one verifying is enough when the others name unknown keys; a bad one fails; origins must agree', async () => {
    const good = sign(PUT);
    const unknownKey = sign(PUT, new SigningKey('other', new Uint8Array(32).fill(1)));
    expect(await verify([unknownKey, good], PUT)).toEqual({ ok: true, origin: ORIGIN, keyId: 'ed25519:key1' });
    const badSig = good
      .replace(/sig="[^"]+"/, `sig="${encodeUnpaddedBase64(new Uint8Array(64))}"`)
      .replace('key1', 'key1');
    const both = keyTable({
      [ORIGIN]: {
        'ed25519:key1': key.publicKey,
        'ed25519:other': new SigningKey('x', new Uint8Array(32).fill(2)).publicKey,
      },
    });
    expect(await verify([good, unknownKey], PUT, both)).toMatchObject({ ok: false, code: 'AUTH_BAD_SIGNATURE' });
    expect(await verify([badSig], PUT)).toMatchObject({ ok: false, code: 'AUTH_BAD_SIGNATURE' });
    expect(await verify([good, sign(PUT, key, 'other.example')], PUT)).toMatchObject({
      ok: false,
      code: 'AUTH_MALFORMED',
      httpStatus: 400,
    });
  });

  it('no header, a malformed one, an unsupported key, a sig that is not 64 bytes, a body that is not canonical JSON', async () => {
    expect(await verify(undefined, PUT)).toMatchObject({ ok: false, code: 'AUTH_MISSING', httpStatus: 401 });
    expect(await verify('X-Matrix origin=', PUT)).toMatchObject({ ok: false, code: 'AUTH_MALFORMED', httpStatus: 400 });
    expect(await verify(sign(PUT).replace('ed25519:key1', 'curve25519:key1'), PUT)).toMatchObject({
      ok: false,
      code: 'AUTH_UNSUPPORTED_KEY',
    });
    expect(await verify(sign(PUT).replace(/sig="[^"]+"/, 'sig="AAAA"'), PUT)).toMatchObject({
      ok: false,
      code: 'AUTH_BAD_SIGNATURE',
    });
    expect(await verify(sign(PUT), { ...PUT, content: { a: 0.5 } })).toMatchObject({
      ok: false,
      code: 'AUTH_INVALID_CONTENT',
      httpStatus: 400,
    });
  });

  it("property: never throws, and never accepts a header unless it carries this request's own signature", async () => {
    const original = sign(PUT);
    const otherRequest = fc.record({
      method: fc.constantFrom('GET', 'PUT', 'POST', 'DELETE', 'put'),
      uri: fc.oneof(fc.constant(PUT.uri), fc.stringMatching(/^\/[\x21-\x7e]{0,40}$/)),
      destination: fc.constantFrom(DESTINATION, 'other.example', `${DESTINATION}:8448`),
      content: fc.oneof(fc.constant(PUT.content), fc.constant(undefined), fc.jsonValue({ maxDepth: 2 })),
    });
    const editedHeader = fc
      .array(
        fc.tuple(fc.nat({ max: original.length }), fc.nat({ max: 4 }), fc.string({ maxLength: 5, unit: 'binary' })),
        { minLength: 1, maxLength: 5 },
      )
      .map((edits) =>
        edits.reduce((text, [at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut), original),
      );
    const anyHeader = fc.oneof(
      editedHeader,
      fc.string({ maxLength: 200, unit: 'binary' }),
      fc.constant(original),
      fc.array(editedHeader, { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(anyHeader, fc.oneof(fc.constant(PUT), otherRequest), async (header, request) => {
        const result = await verify(header, request);
        if (!result.ok) return;
        // Accepted: the request must be the one signed, and the header must carry its signature unchanged.
        const sameRequest =
          request.method === PUT.method &&
          request.uri === PUT.uri &&
          request.destination === PUT.destination &&
          JSON.stringify(request.content) === JSON.stringify(PUT.content);
        expect(sameRequest).toBe(true);
        const parsed = parseXMatrixAuthorization(header);
        const originalSig = (parseXMatrixAuthorization(original) as unknown as { credentials: { sig: string }[] })
          .credentials[0]?.sig;
        expect(
          parsed.ok &&
            parsed.credentials.some(
              (c) =>
                c.origin === ORIGIN &&
                c.key === 'ed25519:key1' &&
                decodeBase64(c.sig, { allowUrlSafe: true })?.join() === decodeBase64(originalSig as string)?.join(),
            ),
        ).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
