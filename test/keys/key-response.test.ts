// Tests of the /_matrix/key/v2/server checks (tester names and native form) and of buildSignedKeyResponse.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeUnpaddedBase64 } from '../../src/keys/base64.js';
import { ed25519PublicKeyFromSeed, signJson } from '../../src/keys/ed25519.js';
import { MAX_SIGNATURE_CHECKS, buildSignedKeyResponse, inspectServerKeys } from '../../src/keys/key-response.js';
import { checkServerKeys } from '../../src/report/federation-tester-keys.js';
import { KEY_CHECK_CODES } from '../../src/keys/types.js';

const NOW = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;
const SERVER = 'example.org';
const KEY_ID = 'ed25519:a_AbCd';
const SEED = new Uint8Array(32).fill(7);
const OTHER_SEED = new Uint8Array(32).fill(9);
const PUBLIC_KEY = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(SEED));

const good = (): Record<string, unknown> =>
  buildSignedKeyResponse({
    serverName: SERVER,
    keyId: KEY_ID,
    seed: SEED,
    validUntilTs: NOW + DAY,
  }) as unknown as Record<string, unknown>;

/** Re-signs a hand-made response body (without signatures) with SEED under KEY_ID as `entity`. */
const signed = (body: Record<string, unknown>, entity = SERVER): Record<string, unknown> =>
  signJson(body, entity, KEY_ID, SEED);

const codes = (body: unknown, expected = SERVER): string[] =>
  inspectServerKeys(body, expected, NOW).errors.map((e) => e.code);

describe('buildSignedKeyResponse + checkServerKeys: a good response', () => {
  it('has the shape Synapse serves', () => {
    const body = good();
    expect(body).toEqual({
      server_name: SERVER,
      valid_until_ts: NOW + DAY,
      verify_keys: { [KEY_ID]: { key: PUBLIC_KEY } },
      old_verify_keys: {},
      signatures: { [SERVER]: { [KEY_ID]: expect.stringMatching(/^[A-Za-z0-9+/]{86}$/) as unknown } },
    });
  });

  it('passes every check, in the tester names, after a JSON round trip', () => {
    const body = JSON.parse(JSON.stringify(good())) as unknown;
    expect(checkServerKeys(body, SERVER, NOW)).toEqual({
      MatchingServerName: true,
      FutureValidUntilTS: true,
      HasEd25519Key: true,
      AllEd25519ChecksOK: true,
      Ed25519Checks: { [KEY_ID]: { ValidEd25519: true, MatchingSignature: true } },
      Ed25519VerifyKeys: { [KEY_ID]: PUBLIC_KEY },
      errors: [],
    });
    expect(inspectServerKeys(body, SERVER, NOW)).toMatchObject({
      ok: true,
      serverName: SERVER,
      validUntilTs: NOW + DAY,
      verifyKeys: [{ keyId: KEY_ID, key: PUBLIC_KEY, alphabet: 'standard', padded: false, errors: [] }],
    });
  });

  it('ignores an extra unsigned member added after signing', () => {
    const body = { ...good(), unsigned: { note: 'added by a proxy', n: 1.5 } };
    expect(checkServerKeys(body, SERVER, NOW)).toMatchObject({ AllEd25519ChecksOK: true, errors: [] });
  });

  it('accepts a second, extra signature by another entity', () => {
    const body = good();
    const signatures = body['signatures'] as Record<string, unknown>;
    const withNotary = { ...body, signatures: { ...signatures, 'notary.example': { 'ed25519:n': 'AAAA' } } };
    expect(inspectServerKeys(withNotary, SERVER, NOW).ok).toBe(true);
  });
});

describe('checkServerKeys: server_name', () => {
  it("must be the name asked for, not the delegated host; the signature is still checked under the response's name", () => {
    const body = buildSignedKeyResponse({
      serverName: 'matrix.example.org',
      keyId: KEY_ID,
      seed: SEED,
      validUntilTs: NOW + DAY,
    });
    const checks = checkServerKeys(body, SERVER, NOW);
    expect(checks).toMatchObject({
      MatchingServerName: false,
      FutureValidUntilTS: true,
      AllEd25519ChecksOK: true,
      Ed25519Checks: { [KEY_ID]: { ValidEd25519: true, MatchingSignature: true } },
    });
    expect(checks.errors.map((e) => e.code)).toEqual(['KEYS_SERVER_NAME_MISMATCH']);
    expect(inspectServerKeys(body, SERVER, NOW).ok).toBe(false);
  });

  it('is compared exactly (server names are case-sensitive, a port makes a different name)', () => {
    expect(codes(good(), 'Example.org')).toEqual(['KEYS_SERVER_NAME_MISMATCH']);
    expect(codes(good(), 'example.org:443')).toEqual(['KEYS_SERVER_NAME_MISMATCH']);
  });

  it('missing or not a string is an invalid response, and signatures cannot be looked up', () => {
    const { server_name: _omit, ...rest } = good();
    const result = inspectServerKeys(rest, SERVER, NOW);
    expect(result).toMatchObject({ serverName: null, matchingServerName: false, ok: false });
    expect(result.verifyKeys[0]).toMatchObject({ validEd25519: true, matchingSignature: false });
    expect(result.errors.map((e) => e.code)).toEqual(['KEYS_INVALID_RESPONSE', 'KEYS_MISSING_SIGNATURE']);
    expect(codes({ ...good(), server_name: 42 })).toContain('KEYS_INVALID_RESPONSE');
  });
});

describe('checkServerKeys: valid_until_ts', () => {
  it.each([
    ['in the past', NOW - 1],
    ['exactly now', NOW],
  ])('%s fails FutureValidUntilTS with KEYS_EXPIRED (signature still fine)', (_name, validUntilTs) => {
    const body = buildSignedKeyResponse({ serverName: SERVER, keyId: KEY_ID, seed: SEED, validUntilTs });
    expect(checkServerKeys(body, SERVER, NOW)).toMatchObject({ FutureValidUntilTS: false, AllEd25519ChecksOK: true });
    expect(codes(body)).toEqual(['KEYS_EXPIRED']);
  });

  it('one millisecond in the future passes', () => {
    const body = buildSignedKeyResponse({ serverName: SERVER, keyId: KEY_ID, seed: SEED, validUntilTs: NOW + 1 });
    expect(checkServerKeys(body, SERVER, NOW).FutureValidUntilTS).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['a string', String(NOW + DAY)],
    ['a float', NOW + DAY + 0.5],
    ['beyond 2^53', 2 ** 60],
  ])('%s is an invalid response', (_name, value) => {
    const { valid_until_ts: _omit, ...rest } = good();
    // Floats and huge integers cannot be signed (not canonical JSON), so only the missing case is re-signed.
    const body = value === undefined ? signed(withoutSignatures(rest)) : { ...rest, valid_until_ts: value };
    const result = inspectServerKeys(body, SERVER, NOW);
    expect(result).toMatchObject({ futureValidUntilTs: false, validUntilTs: null });
    expect(result.errors[0]).toMatchObject({
      code: 'KEYS_INVALID_RESPONSE',
      message: expect.stringContaining('valid_until_ts') as unknown,
    });
    if (value === undefined) expect(result.errors).toHaveLength(1);
  });

  it('the largest safe timestamp does not throw (Date cannot represent it)', () => {
    const body = buildSignedKeyResponse({
      serverName: SERVER,
      keyId: KEY_ID,
      seed: SEED,
      validUntilTs: Number.MAX_SAFE_INTEGER,
    });
    expect(inspectServerKeys(body, SERVER, NOW).ok).toBe(true);
    expect(codes(body)).toEqual([]);
    expect(codes(body, SERVER)).toEqual([]);
    expect(inspectServerKeys(body, SERVER, Number.MAX_SAFE_INTEGER).errors.map((e) => e.code)).toEqual([
      'KEYS_EXPIRED',
    ]);
  });
});

describe('checkServerKeys: verify_keys and signatures', () => {
  it('a key of 31 bytes is not a valid ed25519 key', () => {
    const body = signed({
      server_name: SERVER,
      valid_until_ts: NOW + DAY,
      verify_keys: { [KEY_ID]: { key: encodeUnpaddedBase64(new Uint8Array(31)) } },
    });
    const checks = checkServerKeys(body, SERVER, NOW);
    expect(checks).toMatchObject({
      HasEd25519Key: true,
      AllEd25519ChecksOK: false,
      Ed25519Checks: { [KEY_ID]: { ValidEd25519: false, MatchingSignature: false } },
    });
    expect(checks.errors).toEqual([expect.objectContaining({ code: 'KEYS_BAD_KEY', keyId: KEY_ID })]);
  });

  it.each([
    ['not base64', { key: 'not*base64' }],
    ['a number', { key: 5 }],
    ['missing', {}],
    ['not an object', 'abc'],
  ])('a key that is %s fails with KEYS_BAD_KEY', (_name, entry) => {
    const body = signed({ server_name: SERVER, valid_until_ts: NOW + DAY, verify_keys: { [KEY_ID]: entry } });
    expect(checkServerKeys(body, SERVER, NOW).Ed25519Checks[KEY_ID]).toEqual({
      ValidEd25519: false,
      MatchingSignature: false,
    });
    expect(codes(body)).toEqual(['KEYS_BAD_KEY']);
  });

  it('a tampered signature fails MatchingSignature', () => {
    const body = good();
    const signature = decodeBase64(
      (body['signatures'] as Record<string, Record<string, string>>)[SERVER]?.[KEY_ID] ?? '',
    );
    if (signature === null) throw new Error('no signature');
    const flipped = new Uint8Array(signature);
    flipped[0] = (flipped[0] ?? 0) ^ 0x80;
    const tampered = { ...body, signatures: { [SERVER]: { [KEY_ID]: encodeUnpaddedBase64(flipped) } } };
    expect(checkServerKeys(tampered, SERVER, NOW)).toMatchObject({
      AllEd25519ChecksOK: false,
      Ed25519Checks: { [KEY_ID]: { ValidEd25519: true, MatchingSignature: false } },
    });
    expect(codes(tampered)).toEqual(['KEYS_BAD_SIGNATURE']);
  });

  it('a body changed after signing fails MatchingSignature', () => {
    const body = { ...good(), valid_until_ts: NOW + 2 * DAY };
    expect(codes(body)).toEqual(['KEYS_BAD_SIGNATURE']);
  });

  it('a signature under the wrong server name does not count', () => {
    const { signatures: _omit, ...unsignedBody } = good();
    const body = signed(unsignedBody, 'matrix.example.org');
    expect(checkServerKeys(body, SERVER, NOW).Ed25519Checks[KEY_ID]).toEqual({
      ValidEd25519: true,
      MatchingSignature: false,
    });
    expect(codes(body)).toEqual(['KEYS_MISSING_SIGNATURE']);
  });

  it('missing signatures fail MatchingSignature', () => {
    const { signatures: _omit, ...body } = good();
    expect(checkServerKeys(body, SERVER, NOW)).toMatchObject({
      MatchingServerName: true,
      FutureValidUntilTS: true,
      AllEd25519ChecksOK: false,
    });
    expect(codes(body)).toEqual(['KEYS_MISSING_SIGNATURE']);
  });

  it('a key listed but signed by another key fails only that key', () => {
    const otherKey = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(OTHER_SEED));
    const body = signed({
      server_name: SERVER,
      valid_until_ts: NOW + DAY,
      verify_keys: { [KEY_ID]: { key: PUBLIC_KEY }, 'ed25519:other': { key: otherKey } },
    });
    const checks = checkServerKeys(body, SERVER, NOW);
    expect(checks.Ed25519Checks).toEqual({
      [KEY_ID]: { ValidEd25519: true, MatchingSignature: true },
      'ed25519:other': { ValidEd25519: true, MatchingSignature: false },
    });
    expect(checks.AllEd25519ChecksOK).toBe(false);
    expect(checks.errors).toEqual([
      expect.objectContaining({ code: 'KEYS_MISSING_SIGNATURE', keyId: 'ed25519:other' }),
    ]);
  });

  it('accepts a padded key and reports it normalized', () => {
    const padded = `${PUBLIC_KEY}=`;
    expect(Buffer.from(padded, 'base64').length).toBe(32);
    const body = signed({ server_name: SERVER, valid_until_ts: NOW + DAY, verify_keys: { [KEY_ID]: { key: padded } } });
    expect(checkServerKeys(body, SERVER, NOW)).toMatchObject({
      AllEd25519ChecksOK: true,
      Ed25519VerifyKeys: { [KEY_ID]: PUBLIC_KEY },
    });
    expect(inspectServerKeys(body, SERVER, NOW).verifyKeys[0]).toMatchObject({
      key: padded,
      padded: true,
      normalizedKey: PUBLIC_KEY,
    });
  });

  it('accepts a URL-safe key (Synapse and gomatrixserverlib do) and says so', () => {
    // Find a deterministic seed whose public key uses "+" or "/", so the URL-safe form differs.
    let seed = new Uint8Array(32);
    for (let i = 0; i < 256; i++) {
      seed = new Uint8Array(32).fill(i);
      if (/[+/]/.test(encodeUnpaddedBase64(ed25519PublicKeyFromSeed(seed)))) break;
    }
    const standard = encodeUnpaddedBase64(ed25519PublicKeyFromSeed(seed));
    const urlSafe = standard.replaceAll('+', '-').replaceAll('/', '_');
    expect(urlSafe).not.toBe(standard);
    const body = signJson(
      { server_name: SERVER, valid_until_ts: NOW + DAY, verify_keys: { [KEY_ID]: { key: urlSafe } } },
      SERVER,
      KEY_ID,
      seed,
    );
    expect(inspectServerKeys(body, SERVER, NOW)).toMatchObject({
      ok: true,
      verifyKeys: [{ alphabet: 'url-safe', normalizedKey: standard }],
    });
  });

  it('no ed25519 key: HasEd25519Key false, AllEd25519ChecksOK null as the tester writes it', () => {
    const body = signed({
      server_name: SERVER,
      valid_until_ts: NOW + DAY,
      verify_keys: { 'curve25519:x': { key: PUBLIC_KEY } },
    });
    expect(checkServerKeys(body, SERVER, NOW)).toMatchObject({
      HasEd25519Key: false,
      AllEd25519ChecksOK: null,
      Ed25519Checks: {},
      Ed25519VerifyKeys: {},
    });
    expect(inspectServerKeys(body, SERVER, NOW)).toMatchObject({
      ok: false,
      allEd25519ChecksOk: false,
      otherKeyIds: ['curve25519:x'],
    });
    expect(codes(body)).toEqual(['KEYS_NO_ED25519']);
    expect(codes(signed({ server_name: SERVER, valid_until_ts: NOW + DAY, verify_keys: {} }))).toEqual([
      'KEYS_NO_ED25519',
    ]);
  });

  it('a float anywhere in the signed part makes the signature uncheckable, without throwing', () => {
    const body = { ...good(), extra: 0.5 };
    expect(codes(body)).toEqual(['KEYS_NOT_CANONICAL_JSON']);
  });
});

describe('checkServerKeys: key ids (server-server API "Retrieving server keys": the version matches [a-zA-Z0-9_])', () => {
  const signedWith = (keyId: string): Record<string, unknown> =>
    buildSignedKeyResponse({ serverName: SERVER, keyId, seed: SEED, validUntilTs: NOW + DAY }) as unknown as Record<
      string,
      unknown
    >;

  it.each(['ed25519:a_AbCd', 'ed25519:abc123', 'ed25519:0ldK3y', 'ed25519:_', 'ed25519:Z9'])('%s is valid', (keyId) => {
    expect(inspectServerKeys(signedWith(keyId), SERVER, NOW)).toMatchObject({
      ok: true,
      verifyKeys: [{ keyId, validKeyId: true, validEd25519: true }],
    });
  });

  it.each([
    'ed25519:a-b',
    'ed25519:a.b',
    'ed25519:a b',
    'ed25519:a:b',
    'ed25519:k\u00e9',
    'ed25519:\x1b]0;pwned\x07',
    'ed25519:a\u202eb',
    'ed25519:a\r\nb',
  ])('%j is not valid, even when it signed the response', (keyId) => {
    const body = signedWith(keyId);
    expect(inspectServerKeys(body, SERVER, NOW)).toMatchObject({
      ok: false,
      allEd25519ChecksOk: false,
      verifyKeys: [{ keyId, validKeyId: false, validEd25519: false, matchingSignature: true }],
    });
    expect(codes(body)).toEqual(['KEYS_BAD_KEY_ID']);
    expect(checkServerKeys(body, SERVER, NOW)).toMatchObject({
      AllEd25519ChecksOK: false,
      Ed25519Checks: { [keyId]: { ValidEd25519: false, MatchingSignature: true } },
    });
  });

  it('"ed25519:" without a version is not valid', () => {
    const body = signed({
      server_name: SERVER,
      valid_until_ts: NOW + DAY,
      verify_keys: { 'ed25519:': { key: PUBLIC_KEY } },
    });
    expect(codes(body)).toContain('KEYS_BAD_KEY_ID');
    expect(inspectServerKeys(body, SERVER, NOW).ok).toBe(false);
  });

  it('an old key with an invalid id is reported on that key, without failing the response', () => {
    const body = buildSignedKeyResponse({
      serverName: SERVER,
      keyId: KEY_ID,
      seed: SEED,
      validUntilTs: NOW + DAY,
      oldKeys: [{ keyId: 'ed25519:old-1', publicKey: ed25519PublicKeyFromSeed(OTHER_SEED), expiredTs: NOW - DAY }],
    });
    const result = inspectServerKeys(body, SERVER, NOW);
    expect(result.ok).toBe(true);
    expect(result.oldVerifyKeys[0]).toMatchObject({
      keyId: 'ed25519:old-1',
      validKeyId: false,
      errors: [{ code: 'KEYS_BAD_KEY_ID' }],
    });
  });

  it('a 100 000-character key id is kept as a prefix that says it was cut', () => {
    const keyId = `ed25519:${'a'.repeat(100_000)}`;
    const result = inspectServerKeys(signedWith(keyId), SERVER, NOW);
    // Valid by the grammar (the spec sets no length), and checked whole; the report keeps a prefix.
    expect(result.ok).toBe(true);
    const kept = result.verifyKeys[0]!.keyId;
    expect(kept.length).toBeLessThan(400);
    expect(kept.startsWith('ed25519:aaaa')).toBe(true);
    expect(kept).toContain(`cut: ${keyId.length} bytes`);
  });

  it('a response with 3 000 keys lists only the keys it checked', () => {
    const verifyKeys = Object.fromEntries(
      Array.from({ length: 3000 }, (_, i) => [`ed25519:k${i}`, { key: PUBLIC_KEY }]),
    );
    const result = inspectServerKeys(
      signed({ server_name: SERVER, valid_until_ts: NOW + DAY, verify_keys: verifyKeys }),
      SERVER,
      NOW,
    );
    expect(result.ok).toBe(false);
    expect(result.verifyKeys.length).toBe(MAX_SIGNATURE_CHECKS);
  });
});

describe('checkServerKeys: old_verify_keys', () => {
  it('are reported but not required to sign', () => {
    const old = ed25519PublicKeyFromSeed(OTHER_SEED);
    const body = buildSignedKeyResponse({
      serverName: SERVER,
      keyId: KEY_ID,
      seed: SEED,
      validUntilTs: NOW + DAY,
      oldKeys: [{ keyId: 'ed25519:old', publicKey: old, expiredTs: NOW - DAY }],
    });
    expect(body.old_verify_keys).toEqual({ 'ed25519:old': { key: encodeUnpaddedBase64(old), expired_ts: NOW - DAY } });
    const result = inspectServerKeys(body, SERVER, NOW);
    expect(result.ok).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.oldVerifyKeys).toEqual([
      expect.objectContaining({
        keyId: 'ed25519:old',
        validEd25519: true,
        matchingSignature: false,
        expiredTs: NOW - DAY,
        errors: [],
      }),
    ]);
    // The tester form lists only verify_keys.
    expect(Object.keys(checkServerKeys(body, SERVER, NOW).Ed25519Checks)).toEqual([KEY_ID]);
  });

  it('a malformed old key is reported on the key without failing the response', () => {
    const body = buildSignedKeyResponse({
      serverName: SERVER,
      keyId: KEY_ID,
      seed: SEED,
      validUntilTs: NOW + DAY,
      oldKeys: [{ keyId: 'ed25519:old', publicKey: 'short', expiredTs: NOW - DAY }],
    });
    const result = inspectServerKeys(body, SERVER, NOW);
    expect(result.ok).toBe(true);
    expect(result.oldVerifyKeys[0]).toMatchObject({ validEd25519: false, errors: [{ code: 'KEYS_BAD_KEY' }] });
  });

  it('old_verify_keys of the wrong type is an invalid response', () => {
    expect(codes(signed({ ...withoutSignatures(good()), old_verify_keys: [] }))).toEqual(['KEYS_INVALID_RESPONSE']);
  });
});

function withoutSignatures(body: Record<string, unknown>): Record<string, unknown> {
  const { signatures: _omit, ...rest } = body;
  return rest;
}

describe('checkServerKeys: malformed bodies never throw', () => {
  it.each([
    ['null', null],
    ['an array', [good()]],
    ['a string', JSON.stringify(good())],
    ['a number', 5],
    ['undefined', undefined],
  ])('%s: every check false, one KEYS_INVALID_RESPONSE', (_name, body) => {
    expect(checkServerKeys(body, SERVER, NOW)).toEqual({
      MatchingServerName: false,
      FutureValidUntilTS: false,
      HasEd25519Key: false,
      AllEd25519ChecksOK: null,
      Ed25519Checks: {},
      Ed25519VerifyKeys: {},
      errors: [{ code: 'KEYS_INVALID_RESPONSE', message: expect.stringContaining('not a JSON object') as unknown }],
    });
  });

  it('{}: every check false, each missing member named', () => {
    const result = inspectServerKeys({}, SERVER, NOW);
    expect(result).toMatchObject({
      ok: false,
      matchingServerName: false,
      futureValidUntilTs: false,
      hasEd25519Key: false,
    });
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(
      /server_name[\s\S]*valid_until_ts[\s\S]*verify_keys/,
    );
    expect(result.errors.every((e) => e.code === 'KEYS_INVALID_RESPONSE')).toBe(true);
  });

  it.each([
    ['verify_keys an array', { verify_keys: [] }, 'KEYS_INVALID_RESPONSE'],
    ['signatures a string', { signatures: 'sig' }, 'KEYS_INVALID_RESPONSE'],
    ['signatures entry a list', { signatures: { [SERVER]: ['sig'] } }, 'KEYS_INVALID_RESPONSE'],
    ['signature a number', { signatures: { [SERVER]: { [KEY_ID]: 1 } } }, 'KEYS_BAD_SIGNATURE'],
  ])('%s', (_name, patch, code) => {
    expect(codes({ ...good(), ...patch })).toEqual([code]);
  });

  it('does not read inherited members (a body with no own members)', () => {
    const body = Object.create({ server_name: SERVER, valid_until_ts: NOW + DAY, verify_keys: {} }) as object;
    expect(inspectServerKeys(body, SERVER, NOW)).toMatchObject({ serverName: null, validUntilTs: null });
  });

  it('an extremely deep extra member is reported, not thrown', () => {
    let deep: unknown = 0;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(codes({ ...good(), deep })).toEqual(['KEYS_NOT_CANONICAL_JSON']);
  });

  it('never throws and never passes for arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (body) => {
        const result = inspectServerKeys(body, SERVER, NOW);
        expect(result.ok).toBe(false);
        expect(result.errors.length).toBeGreaterThan(0);
        for (const error of result.errors) expect(KEY_CHECK_CODES).toContain(error.code);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws for a good response with one member replaced by an arbitrary value', () => {
    const member = fc.constantFrom(
      'server_name',
      'valid_until_ts',
      'verify_keys',
      'old_verify_keys',
      'signatures',
      'unsigned',
    );
    fc.assert(
      fc.property(member, fc.jsonValue(), (name, value) => {
        const body = { ...good(), [name]: value };
        const result = inspectServerKeys(body, SERVER, NOW);
        if (
          name !== 'unsigned' &&
          name !== 'old_verify_keys' &&
          JSON.stringify(value) !== JSON.stringify(good()[name])
        ) {
          expect(result.ok).toBe(false);
        }
        expect(checkServerKeys(body, SERVER, NOW).MatchingServerName).toBe(result.matchingServerName);
      }),
      { numRuns: 200 },
    );
  });
});
