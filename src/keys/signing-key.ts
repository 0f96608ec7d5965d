// A server's ed25519 signing key, read from Synapse's signing key file (`ed25519 <version> <unpadded base64 seed>`).

import { createPublicKey, sign, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { MatrixDelegationError } from '../errors.js';
import { readRegularFile } from '../net/regular-file.js';
import { encodeUnpaddedBase64, parseBase64 } from './base64.js';
import { ED25519_KEY_BYTES, ED25519_KEY_ID_PREFIX, ed25519PrivateKeyObject } from './ed25519.js';

/**
 * A key version: "The version must have characters matching the regular expression `[a-zA-Z0-9_]`" (server-server
 * API, "Retrieving server keys", `verify_keys`). Synapse generates `a_` and four random characters.
 */
const KEY_VERSION = /^[a-zA-Z0-9_]+$/;

/** The largest signing key file read: a line is about 60 bytes, so this leaves room for many keys and comments. */
export const MAX_SIGNING_KEY_FILE_BYTES = 64 * 1024;

/**
 * Anything that signs as a server: a key id and a function from bytes to an ed25519 signature. {@link SigningKey}
 * (from {@link parseSigningKey} / {@link loadSigningKey}) is one; a key held elsewhere (an HSM, a KMS) fits too.
 */
export interface RequestSigner {
  /** The key id, `ed25519:<version>`. */
  readonly keyId: string;
  /** The 64-byte ed25519 signature of `data`. */
  sign(data: Uint8Array): Uint8Array;
}

/**
 * A server's ed25519 signing key. The seed is held in a private field: it is never an enumerable property, so
 * `JSON.stringify`, `console.log` and error messages cannot show it; {@link SigningKey.exportSeed} returns it on purpose.
 */
export class SigningKey implements RequestSigner {
  /** `ed25519:<version>`, as published under `verify_keys`. */
  readonly keyId: string;
  /** The version, after `ed25519:`. */
  readonly version: string;
  /** The 32-byte public (verify) key. */
  readonly publicKey: Uint8Array;
  /** The public key as unpadded base64: the `key` of `verify_keys[keyId]`. */
  readonly publicKeyBase64: string;
  readonly #seed: Uint8Array;
  readonly #privateKey: KeyObject;

  /**
   * @param version the key version (`[a-zA-Z0-9_]+`)
   * @param seed the 32-byte seed
   * @throws {MatrixDelegationError} `INVALID_ARGUMENT` for a bad version or a seed that is not 32 bytes (the message
   *   never contains the seed).
   */
  constructor(version: string, seed: Uint8Array) {
    if (typeof version !== 'string' || !KEY_VERSION.test(version)) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `a signing key version must be letters, digits and "_" (the spec's [a-zA-Z0-9_]), not ${safeVersion(version)}`,
      );
    }
    if (!(seed instanceof Uint8Array) || seed.length !== ED25519_KEY_BYTES) {
      const length = seed instanceof Uint8Array ? `${seed.length} bytes` : 'not bytes';
      throw new MatrixDelegationError('INVALID_ARGUMENT', `an ed25519 seed is 32 bytes; the one given is ${length}`);
    }
    this.version = version;
    this.keyId = `${ED25519_KEY_ID_PREFIX}${version}`;
    this.#seed = new Uint8Array(seed);
    // Built once: creating the KeyObject costs more than the signature itself (bench/signing.ts).
    this.#privateKey = ed25519PrivateKeyObject(this.#seed);
    const spki = createPublicKey(this.#privateKey).export({ format: 'der', type: 'spki' });
    this.publicKey = new Uint8Array(spki.subarray(spki.length - ED25519_KEY_BYTES));
    this.publicKeyBase64 = encodeUnpaddedBase64(this.publicKey);
  }

  /** Signs `data` with ed25519; returns the 64-byte signature. */
  sign(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.#privateKey));
  }

  /** A copy of the 32-byte seed (what the key file holds). Handle with care: whoever has it can sign as the server. */
  exportSeed(): Uint8Array {
    return new Uint8Array(this.#seed);
  }

  /** The key file line for this key (`ed25519 <version> <unpadded base64 seed>`), as Synapse writes it. */
  toFileLine(): string {
    return `ed25519 ${this.version} ${encodeUnpaddedBase64(this.#seed)}`;
  }

  /** What `JSON.stringify` shows: the public parts only. */
  toJSON(): { keyId: string; publicKey: string } {
    return { keyId: this.keyId, publicKey: this.publicKeyBase64 };
  }

  /** What `console.log` and `util.inspect` show: the public parts only. */
  [inspect.custom](): string {
    return `SigningKey { keyId: ${JSON.stringify(this.keyId)}, publicKey: ${JSON.stringify(this.publicKeyBase64)} }`;
  }
}

/**
 * Parses every key of a Synapse signing key file: one key a line, `ed25519 <version> <unpadded base64 seed>`, fields
 * separated by spaces or tabs (as `signedjson.key.read_signing_keys` reads it). Blank lines and lines starting with `#`
 * are skipped. Synapse signs with the first key.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` naming the line and what is wrong; the message never contains
 *   the seed, nor the line it is on.
 *
 * @example
 * ```ts
 * parseSigningKeys('ed25519 a_AbCd YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1\n')[0].keyId; // 'ed25519:a_AbCd'
 * ```
 */
export function parseSigningKeys(text: string, source = 'the signing key'): SigningKey[] {
  if (typeof text !== 'string')
    throw new MatrixDelegationError('INVALID_ARGUMENT', `${source} must be text, not ${typeof text}`);
  const keys: SigningKey[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const where = `${source}, line ${i + 1}`;
    const fields = line.split(/[ \t]+/);
    if (fields.length !== 3) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `${where}: expected 3 fields "ed25519 <version> <base64 seed>" (Synapse's signing key format), found ${fields.length}`,
        { detail: { line: i + 1 } },
      );
    }
    const [algorithm, version, encoded] = fields as [string, string, string];
    if (algorithm !== 'ed25519') {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `${where}: the algorithm is ${safeVersion(algorithm)}; only ed25519 is supported`,
        {
          detail: { line: i + 1 },
        },
      );
    }
    if (!KEY_VERSION.test(version)) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `${where}: the key version must be letters, digits and "_", not ${safeVersion(version)}`,
        {
          detail: { line: i + 1 },
        },
      );
    }
    const decoded = parseBase64(encoded);
    if (!decoded.ok) {
      // The reason names a character class or a length, never the text itself.
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `${where}: the seed is not valid base64 (${decoded.reason})`,
        { detail: { line: i + 1 } },
      );
    }
    if (decoded.bytes.length !== ED25519_KEY_BYTES) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `${where}: the seed is ${decoded.bytes.length} bytes; an ed25519 seed is 32`,
        {
          detail: { line: i + 1 },
        },
      );
    }
    keys.push(new SigningKey(version, decoded.bytes));
  }
  return keys;
}

/**
 * Parses a Synapse signing key file and returns its first key, the one Synapse signs with (see {@link parseSigningKeys}).
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` for a malformed line or a file without a key (never echoing the seed).
 *
 * @example
 * ```ts
 * const key = parseSigningKey('ed25519 a_AbCd YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1');
 * key.keyId;           // 'ed25519:a_AbCd'
 * key.publicKeyBase64; // what /_matrix/key/v2/server publishes for it
 * ```
 */
export function parseSigningKey(text: string, source = 'the signing key'): SigningKey {
  const [first] = parseSigningKeys(text, source);
  if (first === undefined)
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `${source} holds no key (expected a line "ed25519 <version> <base64 seed>")`,
    );
  return first;
}

/**
 * Reads a Synapse signing key file (e.g. `/etc/matrix-synapse/homeserver.signing.key`) and returns its first key. The
 * file must be a regular file of at most 64 KiB (a FIFO or a device named by mistake is refused, not waited on).
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when the file cannot be read or holds no valid key; the message
 *   names the file and the line, never the seed.
 *
 * @example
 * ```ts
 * const signingKey = await loadSigningKey('/etc/matrix-synapse/homeserver.signing.key');
 * const client = createFederationClient({ origin: 'example.org', signingKey });
 * ```
 */
export async function loadSigningKey(path: string): Promise<SigningKey> {
  if (typeof path !== 'string' || path === '')
    throw new MatrixDelegationError('INVALID_ARGUMENT', 'loadSigningKey: the path must be a non-empty string');
  let text: string;
  try {
    text = await readRegularFile(path, { maxBytes: MAX_SIGNING_KEY_FILE_BYTES });
  } catch (cause) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `cannot read the signing key file ${path}: ${(cause as Error).message}`,
      { cause },
    );
  }
  return parseSigningKey(text, `the signing key file ${path}`);
}

/** A field that is not the seed, quoted for a message, cut short (a seed pasted in the wrong column must not be shown whole). */
function safeVersion(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  return value.length > 16 ? `a ${value.length}-character text` : JSON.stringify(value);
}
