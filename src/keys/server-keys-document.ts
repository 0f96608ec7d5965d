// Reading a server keys document (GET /_matrix/key/v2/server, or one entry of /_matrix/key/v2/query) into usable keys.

import { isJsonObject } from '../net/json-body.js';
import { parseBase64 } from './base64.js';
import { ED25519_KEY_BYTES, ED25519_KEY_ID_PREFIX, memoizeSignedBytes, verifyJsonSignatureWith } from './ed25519.js';

/**
 * A key version: letters, digits and `_` (server-server API, "Retrieving server keys", `verify_keys`). Keys with other
 * ids are skipped rather than failing the document: a signature by such a key could never be asked for.
 */
const KEY_VERSION = /^[a-zA-Z0-9_]+$/;

/**
 * Keys read from one document, and signatures checked on it: a hostile server could send thousands (a 512 KiB body
 * holds ~3 000), each signature check hashes the whole document, and real servers publish one key and a few old ones.
 */
export const MAX_DOCUMENT_KEYS = 32;

/** The spec's cap on `valid_until_ts`: "the lesser of this field and 7 days into the future" (keys.yaml). */
export const MAX_KEY_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/** One usable key of a server. */
export interface ServerVerifyKey {
  /** The 32-byte ed25519 public key. */
  readonly publicKey: Uint8Array;
  /**
   * Until when the key may verify signatures, ms since the epoch: for a key of `verify_keys` the lesser of
   * `valid_until_ts` and the time the document was read plus 7 days; for one of `old_verify_keys`, its `expired_ts`.
   */
  readonly validUntilTs: number;
  /**
   * True for a key of `old_verify_keys`: "only valid for signing events" (server-server API, "Publishing Keys"),
   * never for requests.
   */
  readonly old: boolean;
}

/** The result of {@link readServerKeysDocument}. */
export type ServerKeysDocumentResult =
  | {
      readonly ok: true;
      /** Key id -> key: the ed25519 keys of `verify_keys` and `old_verify_keys` (a key in both counts as current). */
      readonly keys: ReadonlyMap<string, ServerVerifyKey>;
      /** `valid_until_ts` as sent. */
      readonly validUntilTs: number;
    }
  | { readonly ok: false; readonly message: string };

/** Options of {@link readServerKeysDocument}. */
export interface ReadServerKeysOptions {
  /** When the document was fetched (ms since the epoch): the start of the 7-day cap. */
  readonly fetchedAt: number;
  /** The cap on validity [{@link MAX_KEY_VALIDITY_MS}]. */
  readonly maxValidityMs?: number;
}

/**
 * Reads a server keys document for `serverName` and checks that the server signed it: `server_name` must be exactly
 * `serverName`, `valid_until_ts` an integer, and `signatures[serverName]` must hold at least one signature by a key of
 * `verify_keys`, every one of which must verify (a signature by a key it does not list, e.g. a notary's other key, is
 * not checked). Never throws: a document that fails is `{ ok: false, message }`.
 *
 * Whether a key is still valid is not decided here: each key carries its `validUntilTs`, compared by the caller with
 * the time the signature it checks was made (now, for a request).
 *
 * @example
 * ```ts
 * const result = readServerKeysDocument(JSON.parse(text), 'example.org', { fetchedAt: Date.now() });
 * if (result.ok) result.keys.get('ed25519:a_AbCd')?.publicKey;
 * ```
 */
export function readServerKeysDocument(
  body: unknown,
  serverName: string,
  options: ReadServerKeysOptions,
): ServerKeysDocumentResult {
  const fail = (message: string): ServerKeysDocumentResult => ({ ok: false, message });
  if (!isJsonObject(body)) return fail('the key response is not a JSON object');
  const name = member(body, 'server_name');
  if (typeof name !== 'string') return fail('"server_name" is missing or not a string');
  if (name !== serverName)
    return fail(`"server_name" is ${JSON.stringify(name.slice(0, 256))}, not ${JSON.stringify(serverName)}`);
  const validUntil = member(body, 'valid_until_ts');
  if (typeof validUntil !== 'number' || !Number.isSafeInteger(validUntil))
    return fail('"valid_until_ts" is missing or not an integer');
  const cap = options.fetchedAt + (options.maxValidityMs ?? MAX_KEY_VALIDITY_MS);

  const keys = new Map<string, ServerVerifyKey>();
  const current = readKeys(member(body, 'verify_keys'), false, Math.min(validUntil, cap));
  if (current === null) return fail('"verify_keys" is missing or not an object');
  const oldKeys = member(body, 'old_verify_keys');
  // Optional; a malformed one is ignored rather than failing the current keys (old keys verify old events only).
  const old =
    oldKeys === undefined
      ? new Map<string, ServerVerifyKey>()
      : (readKeys(oldKeys, true, cap) ?? new Map<string, ServerVerifyKey>());
  for (const [id, key] of old) keys.set(id, key);
  for (const [id, key] of current) keys.set(id, key);

  // The self-signature (appendix "Checking for a Signature"): at least one, by a current key, and none that fails.
  const signatures = member(body, 'signatures');
  const own = isJsonObject(signatures) ? member(signatures, serverName) : undefined;
  if (!isJsonObject(own)) return fail(`the response has no signature by ${JSON.stringify(serverName)}`);
  const signedBytes = memoizeSignedBytes();
  let verified = 0;
  let checked = 0;
  for (const keyId of Object.keys(own)) {
    const key = current.get(keyId);
    if (key === undefined) continue;
    if (++checked > MAX_DOCUMENT_KEYS) break;
    const result = verifyJsonSignatureWith(body, serverName, keyId, key.publicKey, signedBytes);
    if (!result.ok) return fail(`the signature by ${keyId} does not verify (${result.code}: ${result.message})`);
    verified++;
  }
  if (verified === 0) return fail(`the response is not signed by any key of its "verify_keys"`);
  return { ok: true, keys, validUntilTs: validUntil };
}

/**
 * Checks that `notaryName` signed a key document with one of `notaryKeys` (key id -> 32-byte key), as a notary
 * must sign what it returns from `/_matrix/key/v2/query` (server-server API, "Querying Keys Through Another Server").
 * At least one signature by a given key must verify and none by a given key may fail. Never throws.
 */
export function checkNotarySignature(
  body: unknown,
  notaryName: string,
  notaryKeys: ReadonlyMap<string, Uint8Array>,
): { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly message: string } {
  if (!isJsonObject(body)) return { ok: false, message: 'the entry is not a JSON object' };
  const signatures = member(body, 'signatures');
  const entry = isJsonObject(signatures) ? member(signatures, notaryName) : undefined;
  if (!isJsonObject(entry))
    return { ok: false, message: `the entry is not signed by the notary ${JSON.stringify(notaryName)}` };
  const signedBytes = memoizeSignedBytes();
  let verifiedBy: string | null = null;
  let checked = 0;
  for (const keyId of Object.keys(entry)) {
    const key = notaryKeys.get(keyId);
    if (key === undefined) continue;
    if (++checked > MAX_DOCUMENT_KEYS) break;
    const result = verifyJsonSignatureWith(body, notaryName, keyId, key, signedBytes);
    if (!result.ok)
      return { ok: false, message: `the notary's signature by ${keyId} does not verify (${result.code})` };
    verifiedBy ??= keyId;
  }
  if (verifiedBy === null)
    return {
      ok: false,
      message: `the entry carries no signature by a known key of the notary ${JSON.stringify(notaryName)}`,
    };
  return { ok: true, keyId: verifiedBy };
}

/** The ed25519 key ids a document's `signatures[entity]` names (at most {@link MAX_DOCUMENT_KEYS}). */
export function signingKeyIds(body: unknown, entity: string): string[] {
  if (!isJsonObject(body)) return [];
  const signatures = member(body, 'signatures');
  const entry = isJsonObject(signatures) ? member(signatures, entity) : undefined;
  if (!isJsonObject(entry)) return [];
  return Object.keys(entry)
    .filter((id) => id.startsWith(ED25519_KEY_ID_PREFIX) && KEY_VERSION.test(id.slice(ED25519_KEY_ID_PREFIX.length)))
    .slice(0, MAX_DOCUMENT_KEYS);
}

/** The ed25519 keys of a `verify_keys` / `old_verify_keys` object, or null when it is not an object. */
function readKeys(value: unknown, old: boolean, cap: number): Map<string, ServerVerifyKey> | null {
  if (!isJsonObject(value)) return null;
  const keys = new Map<string, ServerVerifyKey>();
  for (const keyId of Object.keys(value)) {
    if (keys.size >= MAX_DOCUMENT_KEYS) break;
    if (!keyId.startsWith(ED25519_KEY_ID_PREFIX) || !KEY_VERSION.test(keyId.slice(ED25519_KEY_ID_PREFIX.length)))
      continue;
    const entry = value[keyId];
    if (!isJsonObject(entry)) continue;
    // Padded and URL-safe keys are accepted, as Synapse and gomatrixserverlib accept them.
    const decoded = parseBase64(member(entry, 'key'), { allowUrlSafe: true });
    if (!decoded.ok || decoded.bytes.length !== ED25519_KEY_BYTES) continue;
    let validUntilTs = cap;
    if (old) {
      const expired = member(entry, 'expired_ts');
      // An old key without a usable expired_ts verifies nothing.
      if (typeof expired !== 'number' || !Number.isSafeInteger(expired)) continue;
      validUntilTs = Math.min(expired, cap);
    }
    keys.set(keyId, { publicKey: decoded.bytes, validUntilTs, old });
  }
  return keys;
}

/** An own member of a parsed JSON object (never an inherited one such as `constructor`). */
function member(record: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}
