// Signing a federation request (server-server API "Request Authentication"): the JSON that is signed, and the header.

import { MatrixDelegationError } from '../errors.js';
import { encodeUnpaddedBase64 } from '../keys/base64.js';
import { canonicalJsonBytes } from '../keys/canonical-json.js';
import { ED25519_KEY_ID_PREFIX, ED25519_SIGNATURE_BYTES } from '../keys/ed25519.js';
import type { RequestSigner } from '../keys/signing-key.js';
import { parseServerName } from '../server-name/parse.js';
import { formatXMatrixAuthorization } from './x-matrix.js';

/** What a request signature covers (server-server API "Request Authentication", step 1). */
export interface FederationRequestParts {
  /** The HTTP method, as sent (`GET`, `PUT`...). */
  readonly method: string;
  /**
   * The request target exactly as sent: the path from `/_matrix/...` with `?` and the query string when there is one,
   * without scheme or host (and percent-encoded as on the wire).
   */
  readonly uri: string;
  /** The sending server's name, before any delegation. */
  readonly origin: string;
  /** The receiving server's name, before any delegation (`example.org`, not the host it delegates to). */
  readonly destination: string;
  /** The JSON-parsed request body; leave it out (undefined) for a request without a body. */
  readonly content?: unknown;
}

/** Options of {@link signFederationRequest}. */
export interface SignFederationRequestOptions extends FederationRequestParts {
  /** The origin's signing key: a {@link SigningKey} from `loadSigningKey` / `parseSigningKey`, or any {@link RequestSigner}. */
  readonly signingKey: RequestSigner;
}

/** An HTTP method token (RFC 9110 §9.1, §5.6.2). */
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A request target as the spec signs it: `/` then visible ASCII (anything else is percent-encoded on the wire). */
const URI = /^\/[\x21-\x7e]*$/;

/**
 * The canonical JSON bytes a request signature covers: `{ method, uri, origin, destination, content? }` (step 1 of
 * "Request Authentication"), `content` only when the request has a body. Signing and verifying both use this.
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when `content` cannot be encoded as canonical JSON (a float, an
 *   integer beyond 2^53, a lone surrogate...), naming the path of the value.
 */
export function federationRequestSigningBytes(parts: FederationRequestParts): Uint8Array {
  const json: Record<string, unknown> = {
    method: parts.method,
    uri: parts.uri,
    origin: parts.origin,
    destination: parts.destination,
  };
  if (parts.content !== undefined) json['content'] = parts.content;
  return canonicalJsonBytes(json);
}

/**
 * Signs a federation request and returns the `Authorization` header value to send with it:
 * `X-Matrix origin="...",destination="...",key="ed25519:...",sig="..."` (server-server API "Request Authentication").
 * The signature covers the method, the request target (`uri`, path and query exactly as sent), both server names
 * (before delegation) and the JSON body when there is one.
 *
 * @throws {MatrixDelegationError} `INVALID_SERVER_NAME` when `origin` or `destination` is not a server name;
 *   `INVALID_ARGUMENT` when `method` is not an HTTP method, `uri` does not start with `/` or holds characters that must be percent-encoded, the key id is
 *   not `ed25519:<version>`, the signer's signature is not 64 bytes, or `content` is not canonical JSON.
 *
 * @example
 * ```ts
 * const signingKey = await loadSigningKey('/etc/matrix-synapse/homeserver.signing.key');
 * const authorization = signFederationRequest({
 *   origin: 'example.org', destination: 'matrix.org', method: 'GET', uri: '/_matrix/federation/v1/query/profile?user_id=%40a%3Amatrix.org', signingKey,
 * });
 * // 'X-Matrix origin="example.org",destination="matrix.org",key="ed25519:a_AbCd",sig="..."'
 * ```
 */
export function signFederationRequest(options: SignFederationRequestOptions): string {
  if (typeof options !== 'object' || options === null) throw invalid('the options must be an object');
  const { origin, destination, method, uri, signingKey } = options;
  checkServerName('origin', origin);
  checkServerName('destination', destination);
  if (typeof method !== 'string' || !METHOD.test(method))
    throw invalid('method must be an HTTP method such as GET or PUT');
  if (typeof uri !== 'string' || !URI.test(uri)) {
    throw invalid(
      'uri must be the request target as sent: "/" then visible ASCII characters (percent-encode the rest)',
    );
  }
  if (
    typeof signingKey !== 'object' ||
    signingKey === null ||
    typeof signingKey.sign !== 'function' ||
    typeof signingKey.keyId !== 'string'
  ) {
    throw invalid(
      'signingKey must be a SigningKey (loadSigningKey, parseSigningKey) or an object with keyId and sign()',
    );
  }
  const { keyId } = signingKey;
  if (!keyId.startsWith(ED25519_KEY_ID_PREFIX) || !/^[a-zA-Z0-9_]+$/.test(keyId.slice(ED25519_KEY_ID_PREFIX.length))) {
    throw invalid('signingKey.keyId must be "ed25519:<version>", the version made of letters, digits and "_"');
  }
  const bytes = federationRequestSigningBytes({
    method,
    uri,
    origin,
    destination,
    ...(options.content !== undefined ? { content: options.content } : {}),
  });
  const signature = signingKey.sign(bytes);
  if (!(signature instanceof Uint8Array) || signature.length !== ED25519_SIGNATURE_BYTES) {
    throw invalid('signingKey.sign() must return the 64-byte ed25519 signature');
  }
  return formatXMatrixAuthorization({ origin, destination, key: keyId, sig: encodeUnpaddedBase64(signature) });
}

function checkServerName(option: string, value: unknown): void {
  if (typeof value !== 'string') throw invalid(`${option} must be a server name such as example.org`);
  const parsed = parseServerName(value);
  if (!parsed.ok) {
    throw new MatrixDelegationError(
      'INVALID_SERVER_NAME',
      `signFederationRequest: ${option}: ${parsed.error.message}`,
      {
        detail: { option, rule: parsed.error.rule, input: value },
      },
    );
  }
}

function invalid(message: string): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', `signFederationRequest: ${message}`);
}
