// Ed25519 signing and verification of Matrix JSON (spec appendix "Signing JSON") with node:crypto.

import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { MatrixDelegationError } from '../errors.js';
import { decodeBase64, encodeUnpaddedBase64 } from './base64.js';
import { canonicalJsonBytes } from './canonical-json.js';
import { keyCheckEnglish as say } from './key-check-texts.js';
import type { KeyCheckCode, SignatureCheckResult } from './types.js';

/** Length of an ed25519 public key and of a seed (the raw private key), in bytes. */
export const ED25519_KEY_BYTES = 32;
/** Length of an ed25519 signature, in bytes. */
export const ED25519_SIGNATURE_BYTES = 64;
/** The algorithm prefix of ed25519 signing key identifiers (`ed25519:<version>`). */
export const ED25519_KEY_ID_PREFIX = 'ed25519:';

/**
 * An ed25519 seed: the 32-byte raw private key (what Synapse's signing key file holds), as bytes or as
 * base64 text (padded or not).
 */
export type Ed25519Seed = Uint8Array | string;

// DER wrappers that turn raw key bytes into the SPKI / PKCS#8 documents node:crypto imports (RFC 8410):
// SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING (32 bytes) } and
// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32 bytes) } }.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Builds a node:crypto public key from the 32 raw bytes of an ed25519 public key.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when `publicKey` is not 32 bytes.
 */
export function ed25519PublicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== ED25519_KEY_BYTES) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `an ed25519 public key is 32 bytes, got ${publicKey.length}`);
  }
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

/**
 * Builds a node:crypto private key from an ed25519 seed.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when the seed is not valid base64 or not 32 bytes.
 */
export function ed25519PrivateKeyObject(seed: Ed25519Seed): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seedBytes(seed)]), format: 'der', type: 'pkcs8' });
}

/**
 * The 32-byte public key of an ed25519 seed.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when the seed is not valid base64 or not 32 bytes.
 */
export function ed25519PublicKeyFromSeed(seed: Ed25519Seed): Uint8Array {
  const spki = createPublicKey(ed25519PrivateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  // The SPKI document is the fixed 12-byte prefix followed by the raw key.
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** A fresh random ed25519 seed (32 bytes), for tests and the lab. */
export function generateEd25519Seed(): Uint8Array {
  return new Uint8Array(randomBytes(ED25519_KEY_BYTES));
}

/** Signs bytes with an ed25519 seed; returns the 64-byte signature. */
export function signEd25519(seed: Ed25519Seed, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, data, ed25519PrivateKeyObject(seed)));
}

/**
 * Verifies an ed25519 signature over bytes. Returns false (never throws) for a key that is not 32 bytes, a
 * signature that is not 64 bytes, or a key OpenSSL cannot use.
 */
export function verifyEd25519(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return verify(null, data, ed25519PublicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

function seedBytes(seed: Ed25519Seed): Uint8Array {
  const bytes = typeof seed === 'string' ? decodeBase64(seed) : seed;
  if (bytes === null) throw new MatrixDelegationError('INVALID_ARGUMENT', 'the ed25519 seed is not valid base64');
  if (bytes.length !== ED25519_KEY_BYTES) {
    throw new MatrixDelegationError('INVALID_ARGUMENT', `an ed25519 seed is 32 bytes, got ${bytes.length}`);
  }
  return bytes;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The signatures map of a signed JSON object: entity (server name) -> signing key id -> unpadded base64. */
export type JsonSignatures = Record<string, Record<string, string>>;

/**
 * Signs a JSON object as the spec's "Signing Details" describe: `signatures` and `unsigned` are removed,
 * the rest is encoded as canonical JSON and signed with ed25519; the unpadded base64 signature is added
 * under `signatures[serverName][keyId]`, keeping any signatures already present, and `unsigned` is put back.
 * The input is not modified. Meant for tests and the federation lab (a checker only verifies).
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when `value` is not a plain object, is not encodable as
 *   canonical JSON, has a malformed `signatures` member, `keyId` does not start with `ed25519:`, or the seed
 *   is not 32 bytes.
 *
 * @example
 * ```ts
 * signJson({}, 'domain', 'ed25519:1', 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1');
 * // { signatures: { domain: { 'ed25519:1': 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ' } } }
 * ```
 */
export function signJson<T extends object>(
  value: T,
  serverName: string,
  keyId: string,
  seed: Ed25519Seed,
): T & { signatures: JsonSignatures } {
  if (!isPlainObject(value))
    throw new MatrixDelegationError('INVALID_ARGUMENT', 'signJson: the value must be a plain JSON object');
  if (!keyId.startsWith(ED25519_KEY_ID_PREFIX) || keyId.length === ED25519_KEY_ID_PREFIX.length) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `signJson: the key id must look like "ed25519:<version>", got "${keyId}"`,
    );
  }
  const { signatures: existing, unsigned, ...signed } = value;
  // Entries are collected in a Map and turned into objects with Object.fromEntries, which defines own
  // properties: a plain assignment of a "__proto__" entity would set the prototype instead.
  const entities = new Map<string, Record<string, string>>();
  if (existing !== undefined) {
    if (!isPlainObject(existing))
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'signJson: "signatures" must be an object');
    for (const [entity, entry] of Object.entries(existing)) {
      if (!isPlainObject(entry)) {
        throw new MatrixDelegationError('INVALID_ARGUMENT', `signJson: "signatures.${entity}" must be an object`);
      }
      entities.set(entity, entry as Record<string, string>);
    }
  }
  const signature = encodeUnpaddedBase64(signEd25519(seed, canonicalJsonBytes(signed)));
  const own = Object.entries(entities.get(serverName) ?? {}).filter(([id]) => id !== keyId);
  entities.set(serverName, Object.fromEntries([...own, [keyId, signature]]));
  const signatures: JsonSignatures = Object.fromEntries(
    [...entities].map(([entity, entry]) => [entity, Object.fromEntries(Object.entries(entry))]),
  );
  const result: Record<string, unknown> = { ...signed, signatures };
  if (unsigned !== undefined) result['unsigned'] = unsigned;
  return result as T & { signatures: JsonSignatures };
}

/**
 * Checks that `serverName` signed a JSON object with the ed25519 key `keyId` (spec appendix "Checking for
 * a Signature"): the signature is looked up under `signatures[serverName][keyId]`, `signatures` and
 * `unsigned` are removed, the rest is encoded as canonical JSON and the ed25519 signature checked.
 * Never throws: a malformed object, key or signature is a failed result with a {@link KeyCheckCode}.
 *
 * `publicKey` is the raw 32 bytes or their base64 text as found in `verify_keys` (padded, unpadded, or
 * URL-safe: Synapse and gomatrixserverlib accept all three). Signatures are decoded the same way.
 *
 * @example
 * ```ts
 * const result = verifyJsonSignature(response, 'example.org', 'ed25519:abc', response.verify_keys['ed25519:abc'].key);
 * if (!result.ok) console.log(result.code, result.message); // e.g. KEYS_BAD_SIGNATURE
 * ```
 */
export function verifyJsonSignature(
  value: unknown,
  serverName: string,
  keyId: string,
  publicKey: Uint8Array | string,
): SignatureCheckResult {
  return verifyJsonSignatureWith(value, serverName, keyId, publicKey, signedJsonBytes);
}

/**
 * The canonical JSON bytes a signature of `value` covers: `value` without `signatures` and `unsigned`.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` as `canonicalJsonBytes`.
 */
export function signedJsonBytes(value: Readonly<Record<string, unknown>>): Uint8Array {
  const { signatures: _signatures, unsigned: _unsigned, ...signed } = value;
  return canonicalJsonBytes(signed);
}

/**
 * {@link signedJsonBytes} of one document, encoded on first use and then remembered (its failure too): every
 * signature of the document covers the same bytes (see {@link verifyJsonSignatureWith}).
 *
 * @example
 * ```ts
 * const signedBytes = memoizeSignedBytes();
 * for (const [keyId, key] of keys) verifyJsonSignatureWith(doc, serverName, keyId, key, signedBytes);
 * ```
 */
export function memoizeSignedBytes(): (value: Readonly<Record<string, unknown>>) => Uint8Array {
  let outcome: { readonly bytes: Uint8Array } | { readonly error: unknown } | undefined;
  return (value) => {
    if (outcome === undefined) {
      try {
        outcome = { bytes: signedJsonBytes(value) };
      } catch (error) {
        outcome = { error };
      }
    }
    if ('error' in outcome) throw outcome.error;
    return outcome.bytes;
  };
}

/**
 * {@link verifyJsonSignature} with the signed bytes computed by `signedBytes` (called at most once, only when the
 * signature entry, key and signature are well-formed). A caller checking many keys of one document passes a
 * memoized function: encoding the document once per key made a key response with thousands of keys cost
 * minutes of CPU (quadratic), which a hostile server could ask a public tester to spend.
 */
export function verifyJsonSignatureWith(
  value: unknown,
  serverName: string,
  keyId: string,
  publicKey: Uint8Array | string,
  signedBytes: (value: Readonly<Record<string, unknown>>) => Uint8Array,
): SignatureCheckResult {
  const fail = (code: KeyCheckCode, message: string): SignatureCheckResult => ({ ok: false, code, message, keyId });
  if (!isPlainObject(value)) return fail('KEYS_INVALID_RESPONSE', say('signature.notObject'));
  // Steps 1-2: the entry for the entity, then the key id (only ed25519 is understood).
  const signatures = value['signatures'];
  if (signatures === undefined) return fail('KEYS_MISSING_SIGNATURE', say('signature.none'));
  if (!isPlainObject(signatures)) return fail('KEYS_INVALID_RESPONSE', say('signature.signaturesNotObject'));
  const entry = Object.hasOwn(signatures, serverName) ? signatures[serverName] : undefined;
  if (entry === undefined) {
    const others = Object.keys(signatures);
    const name = JSON.stringify(serverName);
    return fail(
      'KEYS_MISSING_SIGNATURE',
      others.length === 0
        ? say('signature.noEntry', { name })
        : say('signature.noEntryOthers', { name, others: others.map((n) => JSON.stringify(n)).join(', ') }),
    );
  }
  if (!isPlainObject(entry)) return fail('KEYS_INVALID_RESPONSE', say('signature.entryNotObject', { serverName }));
  if (!keyId.startsWith(ED25519_KEY_ID_PREFIX)) return fail('KEYS_BAD_KEY', say('signature.notEd25519', { keyId }));
  const encodedSignature = Object.hasOwn(entry, keyId) ? entry[keyId] : undefined;
  if (encodedSignature === undefined) {
    return fail('KEYS_MISSING_SIGNATURE', say('signature.missing', { name: JSON.stringify(serverName), keyId }));
  }
  // Step 3: the verification key.
  const keyBytes = typeof publicKey === 'string' ? decodeBase64(publicKey, { allowUrlSafe: true }) : publicKey;
  if (keyBytes === null) return fail('KEYS_BAD_KEY', say('signature.keyNotBase64', { keyId }));
  if (keyBytes.length !== ED25519_KEY_BYTES) {
    return fail('KEYS_BAD_KEY', say('signature.keyLength', { keyId, bytes: String(keyBytes.length) }));
  }
  // Step 4: the signature bytes.
  if (typeof encodedSignature !== 'string') return fail('KEYS_BAD_SIGNATURE', say('signature.notString', { keyId }));
  const signatureBytes = decodeBase64(encodedSignature, { allowUrlSafe: true });
  if (signatureBytes === null) return fail('KEYS_BAD_SIGNATURE', say('signature.notBase64', { keyId }));
  if (signatureBytes.length !== ED25519_SIGNATURE_BYTES) {
    return fail('KEYS_BAD_SIGNATURE', say('signature.length', { keyId, bytes: String(signatureBytes.length) }));
  }
  // Steps 5-6: canonical JSON of the document without `signatures` and `unsigned`.
  let bytes: Uint8Array;
  try {
    bytes = signedBytes(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return fail('KEYS_NOT_CANONICAL_JSON', say('signature.notCanonical', { reason }));
  }
  // Step 7.
  if (!verifyEd25519(keyBytes, bytes, signatureBytes)) {
    return fail('KEYS_BAD_SIGNATURE', say('signature.mismatch', { keyId }));
  }
  return { ok: true };
}
