// Result codes and shapes shared by the signature and key-response checks (a remote's bad keys are results, not errors).

/**
 * Why a signature or a `/_matrix/key/v2/server` response failed a check. These are result codes for a remote
 * server's faults, local to the keys module (they are not in `ErrorCode`).
 *
 * - `KEYS_INVALID_RESPONSE`: the document is not a JSON object, or a member has the wrong type or is missing
 *   (`server_name`, `valid_until_ts`, `verify_keys`, `signatures`, ...).
 * - `KEYS_SERVER_NAME_MISMATCH`: `server_name` is not the name that was asked for.
 * - `KEYS_EXPIRED`: `valid_until_ts` is not in the future.
 * - `KEYS_NO_ED25519`: `verify_keys` holds no `ed25519:` key.
 * - `KEYS_BAD_KEY`: a verify key is not base64 or does not decode to 32 bytes.
 * - `KEYS_BAD_KEY_ID`: a key id is not `ed25519:` followed by one or more of `[a-zA-Z0-9_]` (the spec's grammar).
 * - `KEYS_MISSING_SIGNATURE`: no signature by that key under `signatures[server_name]`.
 * - `KEYS_BAD_SIGNATURE`: the signature is not base64 of 64 bytes, or does not verify.
 * - `KEYS_NOT_CANONICAL_JSON`: the document cannot be encoded as canonical JSON (a float, an integer outside
 *   +/-(2^53-1), ...), so no signature over it can be checked.
 */
export type KeyCheckCode =
  | 'KEYS_INVALID_RESPONSE'
  | 'KEYS_SERVER_NAME_MISMATCH'
  | 'KEYS_EXPIRED'
  | 'KEYS_NO_ED25519'
  | 'KEYS_BAD_KEY'
  | 'KEYS_BAD_KEY_ID'
  | 'KEYS_MISSING_SIGNATURE'
  | 'KEYS_BAD_SIGNATURE'
  | 'KEYS_NOT_CANONICAL_JSON';

/** Every {@link KeyCheckCode}, for exhaustive tests and for renderers that list them. */
export const KEY_CHECK_CODES: readonly KeyCheckCode[] = [
  'KEYS_INVALID_RESPONSE',
  'KEYS_SERVER_NAME_MISMATCH',
  'KEYS_EXPIRED',
  'KEYS_NO_ED25519',
  'KEYS_BAD_KEY',
  'KEYS_BAD_KEY_ID',
  'KEYS_MISSING_SIGNATURE',
  'KEYS_BAD_SIGNATURE',
  'KEYS_NOT_CANONICAL_JSON',
];

/** One failed check: a stable code and plain words for people. */
export interface KeyCheckError {
  readonly code: KeyCheckCode;
  /** What is wrong, in plain words (may change between versions; match on `code`). */
  readonly message: string;
  /** The key the problem is about, when it is about one key. */
  readonly keyId?: string;
}

/** The result of a signature check: ok, or the reason it failed. */
export type SignatureCheckResult = { readonly ok: true } | ({ readonly ok: false } & KeyCheckError);
