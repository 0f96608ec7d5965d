// Checks of a GET /_matrix/key/v2/server response (server-server API "Retrieving server keys") and a signed builder for it.
// matrix-federation-tester's names for these checks are a report format: see src/report/federation-tester-keys.ts.

import { encodeUnpaddedBase64, parseBase64, type Base64Alphabet } from './base64.js';
import {
  ED25519_KEY_BYTES,
  ED25519_KEY_ID_PREFIX,
  ed25519PublicKeyFromSeed,
  signJson,
  memoizeSignedBytes,
  verifyJsonSignatureWith,
  type Ed25519Seed,
  type JsonSignatures,
} from './ed25519.js';
import { isJsonObject } from '../net/json-body.js';
import { REMOTE_LIST_LIMIT, REMOTE_TEXT_LIMITS, boundRemoteText } from '../remote-text.js';
import { keyCheckEnglish as say } from './key-check-texts.js';
import type { KeyCheckCode, KeyCheckError } from './types.js';

/**
 * A key id's version, after `ed25519:`: "The version must have characters matching the regular expression
 * `[a-zA-Z0-9_]`" (server-server API "Retrieving server keys", `verify_keys` and `old_verify_keys`).
 */
const KEY_VERSION = /^[a-zA-Z0-9_]+$/;

/** The check of one key of `verify_keys` or `old_verify_keys`. */
export interface VerifyKeyCheck {
  /** The key id as sent, e.g. `ed25519:a_AbCd` (cut after 64 characters, see `boundRemoteText`). */
  readonly keyId: string;
  /** The key id follows the spec's grammar: `ed25519:` then one or more of `[a-zA-Z0-9_]`. */
  readonly validKeyId: boolean;
  /** The `key` member as sent (base64 text, cut after 256 characters), or null when it is missing or not a string. */
  readonly key: string | null;
  /** The key re-encoded as unpadded standard base64, when it decoded; else null. */
  readonly normalizedKey: string | null;
  /** The base64 alphabet the key used, when it decoded. */
  readonly alphabet: Base64Alphabet | null;
  /** True when the key was sent with `=` padding (accepted; the spec asks for unpadded). */
  readonly padded: boolean;
  /** The key id is valid and the key decodes to 32 bytes (matrix-federation-tester's `ValidEd25519`). */
  readonly validEd25519: boolean;
  /** The response carries a valid signature by this key under `signatures[server_name]` (`MatchingSignature`). */
  readonly matchingSignature: boolean;
  /** Why `validEd25519` or `matchingSignature` is false. */
  readonly errors: readonly KeyCheckError[];
}

/** The check of one key of `old_verify_keys`: reported, never required to sign the response. */
export interface OldVerifyKeyCheck extends VerifyKeyCheck {
  /** `expired_ts` (ms since the epoch) when it is an integer, else null. */
  readonly expiredTs: number | null;
}

/** The native result of {@link inspectServerKeys}: every check of a key response, well typed. */
export interface ServerKeysInspection {
  /** All checks passed: matching name, future validity, at least one ed25519 key, every ed25519 key valid and signing. */
  readonly ok: boolean;
  /** The server name the keys were requested for. */
  readonly expectedServerName: string;
  /** `server_name` as sent (cut after 256 characters), or null when it is missing or not a string. */
  readonly serverName: string | null;
  readonly matchingServerName: boolean;
  /** `valid_until_ts` (ms since the epoch) when it is an integer, else null. */
  readonly validUntilTs: number | null;
  readonly futureValidUntilTs: boolean;
  readonly hasEd25519Key: boolean;
  /** Every ed25519 key of `verify_keys` is 32 bytes and signed the response; false when there is none. */
  readonly allEd25519ChecksOk: boolean;
  /**
   * The `ed25519:` keys of `verify_keys`, in the order sent: the first {@link MAX_SIGNATURE_CHECKS} keys of the
   * response (`verify_keys` first), which are the ones checked; more make the response fail (see there).
   */
  readonly verifyKeys: readonly VerifyKeyCheck[];
  /** Key ids of `verify_keys` with an algorithm other than ed25519 (the first 64): not checked (the spec knows only ed25519). */
  readonly otherKeyIds: readonly string[];
  /** The `ed25519:` keys of `old_verify_keys`, in the order sent, within the same budget as `verifyKeys`. */
  readonly oldVerifyKeys: readonly OldVerifyKeyCheck[];
  /** Every failed check, the per-key ones included (with `keyId`). */
  readonly errors: readonly KeyCheckError[];
}

/**
 * Inspects a `GET /_matrix/key/v2/server` response body (already parsed from JSON) for the server
 * `expectedServerName` at time `now` (ms since the epoch). Never throws: a malformed body gives every check
 * false with a `KEYS_INVALID_RESPONSE` error.
 *
 * The checks (spec server-server API "Retrieving server keys"; named as matrix-federation-tester names them):
 * - `server_name` must equal the name asked for, exactly (server names are case-sensitive), and not the
 *   delegated host the request went to.
 * - `valid_until_ts` must be an integer later than `now`.
 * - `verify_keys` must hold at least one `ed25519:` key; each must decode to 32 bytes and must have signed
 *   the response under `signatures[server_name][keyId]` (the response's own `server_name`, as the tester
 *   does; a wrong name already fails the name check). `unsigned` is not covered by signatures.
 * - `old_verify_keys` are reported (decoding and any signature) but not required to sign.
 * Keys and signatures are accepted padded or unpadded, and URL-safe (as Synapse and gomatrixserverlib do).
 *
 * @example
 * ```ts
 * const body = JSON.parse(await response.text());
 * const inspection = inspectServerKeys(body, 'example.org', Date.now());
 * if (!inspection.ok) for (const e of inspection.errors) console.log(e.code, e.message);
 * ```
 */
export function inspectServerKeys(body: unknown, expectedServerName: string, now: number): ServerKeysInspection {
  const errors: KeyCheckError[] = [];
  const error = (code: KeyCheckCode, message: string, keyId?: string): KeyCheckError => {
    const entry: KeyCheckError = keyId === undefined ? { code, message } : { code, message, keyId };
    errors.push(entry);
    return entry;
  };

  if (!isJsonObject(body)) {
    error('KEYS_INVALID_RESPONSE', say('response.notObject', { value: describe(body) }));
    return {
      ok: false,
      expectedServerName,
      serverName: null,
      matchingServerName: false,
      validUntilTs: null,
      futureValidUntilTs: false,
      hasEd25519Key: false,
      allEd25519ChecksOk: false,
      verifyKeys: [],
      otherKeyIds: [],
      oldVerifyKeys: [],
      errors,
    };
  }

  // server_name: the name the keys belong to; it must be the name asked for.
  const rawServerName = member(body, 'server_name');
  const serverName = typeof rawServerName === 'string' ? rawServerName : null;
  // What the report keeps and quotes of it: a server name is at most 255 characters and a port.
  const shownServerName = serverName === null ? null : boundRemoteText(serverName, REMOTE_TEXT_LIMITS.name);
  if (serverName === null) {
    error('KEYS_INVALID_RESPONSE', say('serverName.invalid', { value: describe(rawServerName) }));
  } else if (serverName !== expectedServerName) {
    error(
      'KEYS_SERVER_NAME_MISMATCH',
      say('serverName.mismatch', {
        claimed: JSON.stringify(shownServerName),
        expected: JSON.stringify(expectedServerName),
      }),
    );
  }
  const matchingServerName = serverName !== null && serverName === expectedServerName;

  // valid_until_ts: ms since the epoch, must be in the future.
  const rawValidUntil = member(body, 'valid_until_ts');
  const validUntilTs = typeof rawValidUntil === 'number' && Number.isSafeInteger(rawValidUntil) ? rawValidUntil : null;
  if (validUntilTs === null) {
    error('KEYS_INVALID_RESPONSE', say('validUntil.invalid', { value: describe(rawValidUntil) }));
  } else if (validUntilTs <= now) {
    error('KEYS_EXPIRED', say('validUntil.past', { until: safeIso(validUntilTs), now: safeIso(now) }));
  }
  const futureValidUntilTs = validUntilTs !== null && validUntilTs > now;

  // verify_keys: the current keys; every ed25519 key must be valid and sign the response.
  // Every key's signature covers the same bytes: encode the response once, whatever the number of keys. Each check
  // still hashes the whole response, so only the first MAX_SIGNATURE_CHECKS keys are checked (see there).
  const signedBytes = memoizeSignedBytes();
  let signatureChecks = 0;
  let unchecked = 0;
  const budget = (): boolean => {
    if (signatureChecks < MAX_SIGNATURE_CHECKS) {
      signatureChecks++;
      return true;
    }
    unchecked++;
    return false;
  };
  const rawVerifyKeys = member(body, 'verify_keys');
  const verifyKeys: VerifyKeyCheck[] = [];
  const otherKeyIds: string[] = [];
  if (!isJsonObject(rawVerifyKeys)) {
    error('KEYS_INVALID_RESPONSE', say('verifyKeys.invalid', { value: describe(rawVerifyKeys) }));
  } else {
    for (const keyId of Object.keys(rawVerifyKeys)) {
      if (!keyId.startsWith(ED25519_KEY_ID_PREFIX)) {
        if (otherKeyIds.length < REMOTE_LIST_LIMIT) otherKeyIds.push(boundRemoteText(keyId, REMOTE_TEXT_LIMITS.keyId));
        continue;
      }
      // Keys past the budget are counted, not checked nor listed: a report carries at most MAX_SIGNATURE_CHECKS.
      if (!budget()) continue;
      const check = checkKey(body, serverName, keyId, rawVerifyKeys[keyId], 'verify_keys', true, signedBytes);
      errors.push(...check.errors);
      verifyKeys.push(check);
    }
    if (verifyKeys.length === 0) {
      const ids = `${otherKeyIds.slice(0, 8).join(', ')}${otherKeyIds.length > 8 ? ', ...' : ''}`;
      error('KEYS_NO_ED25519', otherKeyIds.length === 0 ? say('verifyKeys.empty') : say('verifyKeys.others', { ids }));
    }
  }
  const hasEd25519Key = verifyKeys.length > 0;
  const allEd25519ChecksOk = hasEd25519Key && verifyKeys.every((k) => k.validEd25519 && k.matchingSignature);

  // old_verify_keys: optional; reported, never required to sign.
  const rawOldKeys = member(body, 'old_verify_keys');
  const oldVerifyKeys: OldVerifyKeyCheck[] = [];
  if (rawOldKeys !== undefined && !isJsonObject(rawOldKeys)) {
    error('KEYS_INVALID_RESPONSE', say('oldVerifyKeys.invalid', { value: describe(rawOldKeys) }));
  } else if (rawOldKeys !== undefined) {
    for (const keyId of Object.keys(rawOldKeys)) {
      if (!keyId.startsWith(ED25519_KEY_ID_PREFIX)) continue;
      if (!budget()) continue;
      const entry = rawOldKeys[keyId];
      const check = checkKey(body, serverName, keyId, entry, 'old_verify_keys', false, signedBytes);
      const expired = isJsonObject(entry) ? member(entry, 'expired_ts') : undefined;
      // Old keys' problems are reported on the key only: they do not fail the response.
      oldVerifyKeys.push({
        ...check,
        expiredTs: typeof expired === 'number' && Number.isSafeInteger(expired) ? expired : null,
      });
    }
  }

  if (unchecked > 0) {
    error(
      'KEYS_INVALID_RESPONSE',
      say('response.tooManyKeys', { total: String(signatureChecks + unchecked), max: String(MAX_SIGNATURE_CHECKS) }),
    );
  }

  return {
    ok: matchingServerName && futureValidUntilTs && allEd25519ChecksOk && unchecked === 0,
    expectedServerName,
    serverName: shownServerName,
    matchingServerName,
    validUntilTs,
    futureValidUntilTs,
    hasEd25519Key,
    allEd25519ChecksOk,
    verifyKeys,
    otherKeyIds,
    oldVerifyKeys,
    errors,
  };
}

function checkKey(
  body: Record<string, unknown>,
  serverName: string | null,
  keyId: string,
  entry: unknown,
  section: 'verify_keys' | 'old_verify_keys',
  signatureRequired: boolean,
  signedBytes: (value: Readonly<Record<string, unknown>>) => Uint8Array,
): VerifyKeyCheck {
  const errors: KeyCheckError[] = [];
  // The report keeps (and messages quote) a prefix of the id (64 characters) and the key (256); the checks use them whole.
  const shownId = boundRemoteText(keyId, REMOTE_TEXT_LIMITS.keyId);
  // Where a problem is: the member and the key id as kept (`"verify_keys.ed25519:a"` in the sentences).
  const where = { section, keyId: shownId };
  const rawKey = isJsonObject(entry) ? member(entry, 'key') : undefined;
  const key = typeof rawKey === 'string' ? rawKey : null;
  const validKeyId = KEY_VERSION.test(keyId.slice(ED25519_KEY_ID_PREFIX.length));
  if (!validKeyId) {
    errors.push({
      code: 'KEYS_BAD_KEY_ID',
      message: say('key.badId', { id: JSON.stringify(shownId) }),
      keyId: shownId,
    });
  }
  const base = {
    keyId: shownId,
    validKeyId,
    key: key === null ? null : boundRemoteText(key, REMOTE_TEXT_LIMITS.name),
    normalizedKey: null,
    alphabet: null,
    padded: false,
    validEd25519: false,
    matchingSignature: false,
  };
  if (!isJsonObject(entry) || key === null) {
    errors.push({
      code: 'KEYS_BAD_KEY',
      message: isJsonObject(entry)
        ? say('key.keyNotString', { ...where, value: describe(rawKey) })
        : say('key.notObject', { ...where, value: describe(entry) }),
      keyId: shownId,
    });
    return { ...base, errors };
  }
  const decoded = parseBase64(key, { allowUrlSafe: true });
  if (!decoded.ok) {
    errors.push({
      code: 'KEYS_BAD_KEY',
      message: say('key.notBase64', { ...where, reason: decoded.message }),
      keyId: shownId,
    });
    return { ...base, errors };
  }
  const decodedFields = {
    normalizedKey: encodeUnpaddedBase64(decoded.bytes),
    alphabet: decoded.alphabet,
    padded: decoded.padded,
  };
  if (decoded.bytes.length !== ED25519_KEY_BYTES) {
    errors.push({
      code: 'KEYS_BAD_KEY',
      message: say('key.length', { ...where, bytes: String(decoded.bytes.length) }),
      keyId: shownId,
    });
    return { ...base, ...decodedFields, errors };
  }
  if (serverName === null) {
    errors.push({
      code: 'KEYS_MISSING_SIGNATURE',
      message: say('key.noServerName', where),
      keyId: shownId,
    });
    return { ...base, ...decodedFields, validEd25519: validKeyId, errors };
  }
  const signature = verifyJsonSignatureWith(body, serverName, keyId, decoded.bytes, signedBytes);
  // An old key that did not sign is normal: only a present, bad signature is worth reporting for it.
  if (!signature.ok && (signatureRequired || signature.code !== 'KEYS_MISSING_SIGNATURE')) {
    // The message may quote every signing entity the response names: bounded like every remote text of a report.
    errors.push({
      code: signature.code,
      message: boundRemoteText(
        say('key.signature', { ...where, problem: signature.message }),
        REMOTE_TEXT_LIMITS.message,
      ),
      keyId: shownId,
    });
  }
  return { ...base, ...decodedFields, validEd25519: validKeyId, matchingSignature: signature.ok, errors };
}

/**
 * Signatures checked per key response, `verify_keys` first. Each check hashes the whole response, so a hostile
 * server sending thousands of keys (a 512 KiB body holds about 3 000) would make a public checker spend seconds
 * of CPU per request; real servers publish one current key and a few old ones.
 */
export const MAX_SIGNATURE_CHECKS = 32;

/** Options of {@link buildSignedKeyResponse}. */
export interface SignedKeyResponseOptions {
  /** The server name the keys belong to (`server_name`, and the signing entity). */
  readonly serverName: string;
  /** The signing key id, `ed25519:<version>`. */
  readonly keyId: string;
  /** The signing key's seed (32 bytes, or base64). */
  readonly seed: Ed25519Seed;
  /** `valid_until_ts`, ms since the epoch. */
  readonly validUntilTs: number;
  /** Keys listed in `old_verify_keys` (they do not sign). */
  readonly oldKeys?: readonly {
    readonly keyId: string;
    /** The old public key: 32 bytes, or its base64 text written as given. */
    readonly publicKey: Uint8Array | string;
    /** `expired_ts`, ms since the epoch. */
    readonly expiredTs: number;
  }[];
}

/** A `GET /_matrix/key/v2/server` response as {@link buildSignedKeyResponse} produces it. */
export interface SignedKeyResponse {
  server_name: string;
  valid_until_ts: number;
  verify_keys: Record<string, { key: string }>;
  old_verify_keys: Record<string, { key: string; expired_ts: number }>;
  signatures: JsonSignatures;
}

/**
 * Builds a correctly signed `GET /_matrix/key/v2/server` response, for tests and the federation lab.
 * `old_verify_keys` is always present (`{}` when there are none), as Synapse sends it.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when the seed is not 32 bytes or the key id is not
 *   `ed25519:<version>`.
 *
 * @example
 * ```ts
 * const seed = generateEd25519Seed();
 * const body = buildSignedKeyResponse({ serverName: 'example.org', keyId: 'ed25519:a_1', seed, validUntilTs: Date.now() + 86_400_000 });
 * inspectServerKeys(body, 'example.org', Date.now()).ok; // true
 * ```
 */
export function buildSignedKeyResponse(options: SignedKeyResponseOptions): SignedKeyResponse {
  const unsigned = {
    server_name: options.serverName,
    valid_until_ts: options.validUntilTs,
    verify_keys: { [options.keyId]: { key: encodeUnpaddedBase64(ed25519PublicKeyFromSeed(options.seed)) } },
    old_verify_keys: Object.fromEntries(
      (options.oldKeys ?? []).map((old) => [
        old.keyId,
        {
          key: typeof old.publicKey === 'string' ? old.publicKey : encodeUnpaddedBase64(old.publicKey),
          expired_ts: old.expiredTs,
        },
      ]),
    ),
  };
  return signJson(unsigned, options.serverName, options.keyId, options.seed);
}

/** An own member of a parsed JSON object (never an inherited one such as `constructor`). */
function member(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** A JSON value in the words of the sentences around it (`the string "x"`, `an array`): `value.*` of the texts. */
function describe(value: unknown): string {
  if (value === undefined) return say('value.missing');
  if (value === null) return say('value.null');
  if (Array.isArray(value)) return say('value.array');
  if (typeof value === 'string')
    return say('value.string', { text: JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value) });
  if (typeof value === 'number') return say('value.number', { number: String(value) });
  return say('value.type', { type: typeof value });
}

function safeIso(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString();
}
