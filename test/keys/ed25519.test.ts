// Tests of ed25519 signing and JSON signature verification: spec and RFC 8032 vectors, tampering, malformed input.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import { decodeBase64, encodeUnpaddedBase64 } from '../../src/keys/base64.js';
import {
  ed25519PublicKeyFromSeed,
  generateEd25519Seed,
  signEd25519,
  signJson,
  verifyEd25519,
  verifyJsonSignature,
} from '../../src/keys/ed25519.js';

// Spec appendix test vectors ("Signing JSON"): seed, entity and key id, and the signatures they give.
const SPEC_SEED = 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1';
const SIG_EMPTY = 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ';
const SIG_ONE_TWO = 'KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw';

const hex = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function throwsCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isMatrixDelegationError(error)) return error.code;
    throw error;
  }
  throw new Error('did not throw');
}

/** Flips one bit of a base64 signature, keeping it valid unpadded base64 of 64 bytes. */
function tamper(signature: string): string {
  const bytes = decodeBase64(signature);
  if (bytes === null) throw new Error('bad test signature');
  const copy = new Uint8Array(bytes);
  copy[10] = (copy[10] ?? 0) ^ 0x01;
  return encodeUnpaddedBase64(copy);
}

describe('ed25519 primitives (RFC 8032 section 7.1 vectors)', () => {
  it.each([
    {
      secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
      publicKey: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      message: '',
      signature:
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    },
    {
      secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
      publicKey: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
      message: '72',
      signature:
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
    },
  ])('seed $secret', ({ secret, publicKey, message, signature }) => {
    expect(toHex(ed25519PublicKeyFromSeed(hex(secret)))).toBe(publicKey);
    expect(toHex(signEd25519(hex(secret), hex(message)))).toBe(signature);
    expect(verifyEd25519(hex(publicKey), hex(message), hex(signature))).toBe(true);
    expect(verifyEd25519(hex(publicKey), hex(`${message}00`), hex(signature))).toBe(false);
  });

  it('verifyEd25519 returns false for wrong lengths instead of throwing', () => {
    const seed = generateEd25519Seed();
    const publicKey = ed25519PublicKeyFromSeed(seed);
    const signature = signEd25519(seed, new Uint8Array([1]));
    expect(verifyEd25519(publicKey, new Uint8Array([1]), signature)).toBe(true);
    expect(verifyEd25519(publicKey.subarray(0, 31), new Uint8Array([1]), signature)).toBe(false);
    expect(verifyEd25519(publicKey, new Uint8Array([1]), signature.subarray(0, 63))).toBe(false);
  });

  it('rejects seeds that are not 32 bytes or not base64', () => {
    expect(throwsCode(() => ed25519PublicKeyFromSeed(new Uint8Array(31)))).toBe('INVALID_ARGUMENT');
    expect(throwsCode(() => signEd25519('not base64!', new Uint8Array()))).toBe('INVALID_ARGUMENT');
  });

  it('generates distinct 32-byte seeds', () => {
    const a = generateEd25519Seed();
    expect(a).toHaveLength(32);
    expect(toHex(a)).not.toBe(toHex(generateEd25519Seed()));
  });
});

describe('signJson (spec appendix "Signing JSON" vectors)', () => {
  it('signs {} as the spec says', () => {
    expect(signJson({}, 'domain', 'ed25519:1', SPEC_SEED)).toEqual({
      signatures: { domain: { 'ed25519:1': SIG_EMPTY } },
    });
  });

  it('signs {"one": 1, "two": "Two"} as the spec says, with the seed as bytes too', () => {
    const seed = decodeBase64(SPEC_SEED);
    if (seed === null) throw new Error('bad seed');
    expect(signJson({ two: 'Two', one: 1 }, 'domain', 'ed25519:1', seed)).toEqual({
      one: 1,
      two: 'Two',
      signatures: { domain: { 'ed25519:1': SIG_ONE_TWO } },
    });
  });

  it('leaves out existing signatures and unsigned, keeps both, and does not modify the input', () => {
    const input = {
      one: 1,
      two: 'Two',
      unsigned: { age_ts: 922834800000 },
      signatures: { 'other.example': { 'ed25519:x': 'c2ln' }, domain: { 'ed25519:0': 'b2xk' } },
    };
    const snapshot = structuredClone(input);
    const signed = signJson(input, 'domain', 'ed25519:1', SPEC_SEED);
    expect(input).toEqual(snapshot);
    expect(signed).toEqual({
      one: 1,
      two: 'Two',
      unsigned: { age_ts: 922834800000 },
      signatures: {
        'other.example': { 'ed25519:x': 'c2ln' },
        domain: { 'ed25519:0': 'b2xk', 'ed25519:1': SIG_ONE_TWO },
      },
    });
  });

  it.each([
    ['a key id without the ed25519 algorithm', () => signJson({}, 'domain', 'rsa:1', SPEC_SEED)],
    ['a bare "ed25519:" key id', () => signJson({}, 'domain', 'ed25519:', SPEC_SEED)],
    ['a 31-byte seed', () => signJson({}, 'domain', 'ed25519:1', new Uint8Array(31))],
    ['an array', () => signJson([], 'domain', 'ed25519:1', SPEC_SEED)],
    ['a float inside', () => signJson({ a: 0.5 }, 'domain', 'ed25519:1', SPEC_SEED)],
    ['a non-object signatures member', () => signJson({ signatures: 'x' }, 'domain', 'ed25519:1', SPEC_SEED)],
  ])('throws INVALID_ARGUMENT for %s', (_name, fn) => {
    expect(throwsCode(fn)).toBe('INVALID_ARGUMENT');
  });
});

describe('verifyJsonSignature', () => {
  const publicKey = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(SPEC_SEED));
  const specSigned = (): Record<string, unknown> => ({
    one: 1,
    two: 'Two',
    signatures: { domain: { 'ed25519:1': SIG_ONE_TWO } },
  });

  it('accepts the spec signatures (written by hand, not by signJson)', () => {
    expect(
      verifyJsonSignature({ signatures: { domain: { 'ed25519:1': SIG_EMPTY } } }, 'domain', 'ed25519:1', publicKey),
    ).toEqual({
      ok: true,
    });
    expect(verifyJsonSignature(specSigned(), 'domain', 'ed25519:1', publicKey)).toEqual({ ok: true });
  });

  it("ignores unsigned, other entities' signatures and key order", () => {
    const value = JSON.parse(
      `{"signatures": {"other": {"ed25519:z": "AAAA"}, "domain": {"ed25519:1": "${SIG_ONE_TWO}"}}, "unsigned": {"age": 5}, "two": "Two", "one": 1}`,
    ) as unknown;
    expect(verifyJsonSignature(value, 'domain', 'ed25519:1', publicKey)).toEqual({ ok: true });
  });

  it('accepts the key as raw bytes, padded base64 or URL-safe base64, and a padded signature', () => {
    const raw = ed25519PublicKeyFromSeed(SPEC_SEED);
    const value = specSigned();
    expect(verifyJsonSignature(value, 'domain', 'ed25519:1', raw).ok).toBe(true);
    expect(verifyJsonSignature(value, 'domain', 'ed25519:1', Buffer.from(raw).toString('base64')).ok).toBe(true);
    expect(verifyJsonSignature(value, 'domain', 'ed25519:1', Buffer.from(raw).toString('base64url')).ok).toBe(true);
    const padded = { ...value, signatures: { domain: { 'ed25519:1': `${SIG_ONE_TWO}==` } } };
    expect(verifyJsonSignature(padded, 'domain', 'ed25519:1', publicKey).ok).toBe(true);
  });

  it.each([
    [
      'a changed member',
      { ...{ one: 2, two: 'Two' }, signatures: { domain: { 'ed25519:1': SIG_ONE_TWO } } },
      'KEYS_BAD_SIGNATURE',
    ],
    [
      'an added member',
      { one: 1, two: 'Two', three: 3, signatures: { domain: { 'ed25519:1': SIG_ONE_TWO } } },
      'KEYS_BAD_SIGNATURE',
    ],
    [
      'a flipped signature bit',
      { one: 1, two: 'Two', signatures: { domain: { 'ed25519:1': tamper(SIG_ONE_TWO) } } },
      'KEYS_BAD_SIGNATURE',
    ],
    ['a 63-byte signature', { signatures: { domain: { 'ed25519:1': SIG_EMPTY.slice(0, 84) } } }, 'KEYS_BAD_SIGNATURE'],
    [
      'a signature that is not base64',
      { signatures: { domain: { 'ed25519:1': `${SIG_EMPTY.slice(0, 85)}!` } } },
      'KEYS_BAD_SIGNATURE',
    ],
    ['a signature that is not a string', { signatures: { domain: { 'ed25519:1': 7 } } }, 'KEYS_BAD_SIGNATURE'],
    ['no signatures member', { one: 1 }, 'KEYS_MISSING_SIGNATURE'],
    [
      'a signature under another server name',
      { signatures: { 'other.example': { 'ed25519:1': SIG_EMPTY } } },
      'KEYS_MISSING_SIGNATURE',
    ],
    [
      'a signature under another key id',
      { signatures: { domain: { 'ed25519:2': SIG_EMPTY } } },
      'KEYS_MISSING_SIGNATURE',
    ],
    ['signatures that is not an object', { signatures: [SIG_EMPTY] }, 'KEYS_INVALID_RESPONSE'],
    ['an entity entry that is not an object', { signatures: { domain: SIG_EMPTY } }, 'KEYS_INVALID_RESPONSE'],
    [
      'a float in the document',
      { n: 1.5, signatures: { domain: { 'ed25519:1': SIG_EMPTY } } },
      'KEYS_NOT_CANONICAL_JSON',
    ],
  ])('fails for %s with %s', (_name, value, code) => {
    expect(verifyJsonSignature(value, 'domain', 'ed25519:1', publicKey)).toMatchObject({
      ok: false,
      code,
      keyId: 'ed25519:1',
    });
  });

  it.each([
    ['31 bytes', encodeUnpaddedBase64(new Uint8Array(31))],
    ['33 bytes', encodeUnpaddedBase64(new Uint8Array(33))],
    ['not base64', 'not a key!'],
  ])('fails with KEYS_BAD_KEY for a key of %s', (_name, key) => {
    expect(verifyJsonSignature(specSigned(), 'domain', 'ed25519:1', key)).toMatchObject({
      ok: false,
      code: 'KEYS_BAD_KEY',
    });
  });

  it('fails with KEYS_BAD_SIGNATURE for the right signature checked against another key', () => {
    const other = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(generateEd25519Seed()));
    expect(verifyJsonSignature(specSigned(), 'domain', 'ed25519:1', other)).toMatchObject({
      ok: false,
      code: 'KEYS_BAD_SIGNATURE',
    });
  });

  it.each([null, 'text', 42, [1, 2]])('fails with KEYS_INVALID_RESPONSE for %j', (value) => {
    expect(verifyJsonSignature(value, 'domain', 'ed25519:1', publicKey)).toMatchObject({
      ok: false,
      code: 'KEYS_INVALID_RESPONSE',
    });
  });

  it('verifies what signJson signs, and nothing else, for random objects', () => {
    const seed = generateEd25519Seed();
    const key = ed25519PublicKeyFromSeed(seed);
    const object = fc.dictionary(
      fc.string({ maxLength: 5 }).filter((k) => k !== 'signatures' && k !== 'unsigned'),
      fc.oneof(fc.string({ unit: 'binary', maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null)),
      { maxKeys: 5, noNullPrototype: true },
    );
    fc.assert(
      fc.property(object, fc.string({ maxLength: 5 }), (value, extraKey) => {
        const signed = signJson(value, 'example.org', 'ed25519:k', seed);
        expect(verifyJsonSignature(JSON.parse(JSON.stringify(signed)), 'example.org', 'ed25519:k', key)).toEqual({
          ok: true,
        });
        if (extraKey === 'signatures' || extraKey === 'unsigned') return;
        const altered = { ...signed, [extraKey]: Object.hasOwn(signed, extraKey) ? 'altered-value-x' : 'added' };
        if (JSON.stringify(altered) === JSON.stringify(signed)) return;
        expect(verifyJsonSignature(altered, 'example.org', 'ed25519:k', key)).toMatchObject({
          ok: false,
          code: 'KEYS_BAD_SIGNATURE',
        });
      }),
      { numRuns: 100 },
    );
  });
});
