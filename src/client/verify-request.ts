// Checking the X-Matrix signature of a federation request received (server-server API "Request Authentication").

import { verify, type KeyObject } from 'node:crypto';
import { MatrixDelegationError } from '../errors.js';
import { decodeBase64, encodeUnpaddedBase64 } from '../keys/base64.js';
import {
  ED25519_KEY_BYTES,
  ED25519_KEY_ID_PREFIX,
  ED25519_SIGNATURE_BYTES,
  ed25519PublicKeyObject,
} from '../keys/ed25519.js';
import { federationRequestSigningBytes } from './sign-request.js';
import type { VerifyKeyLookupCode, VerifyKeySource } from './server-key-resolver.js';
import { parseXMatrixAuthorization, type XMatrixCredentials } from './x-matrix.js';

/**
 * Why a request's signature was refused (results, not exceptions):
 * - `AUTH_MISSING`: no X-Matrix Authorization header;
 * - `AUTH_MALFORMED`: the header does not follow the grammar, lacks `origin`/`key`/`sig`, names an invalid origin,
 *   or several X-Matrix headers name different origins;
 * - `AUTH_DESTINATION_MISMATCH`: `destination` is present and is not this server's name (the spec requires a 401);
 * - `AUTH_UNSUPPORTED_KEY`: the key is not an `ed25519:` key;
 * - `AUTH_UNKNOWN_KEY`: the origin does not publish that key;
 * - `AUTH_KEY_EXPIRED`: the key is past its validity, or is an old key (old keys sign events, not requests);
 * - `AUTH_KEY_UNAVAILABLE`: the origin's keys could not be fetched;
 * - `AUTH_BAD_SIGNATURE`: the signature is not base64 of 64 bytes, or does not match this request;
 * - `AUTH_INVALID_CONTENT`: the body cannot be encoded as canonical JSON, so no signature can cover it.
 */
export type RequestAuthCode =
  | 'AUTH_MISSING'
  | 'AUTH_MALFORMED'
  | 'AUTH_DESTINATION_MISMATCH'
  | 'AUTH_UNSUPPORTED_KEY'
  | 'AUTH_UNKNOWN_KEY'
  | 'AUTH_KEY_EXPIRED'
  | 'AUTH_KEY_UNAVAILABLE'
  | 'AUTH_BAD_SIGNATURE'
  | 'AUTH_INVALID_CONTENT';

/** Every {@link RequestAuthCode}. */
export const REQUEST_AUTH_CODES: readonly RequestAuthCode[] = [
  'AUTH_MISSING',
  'AUTH_MALFORMED',
  'AUTH_DESTINATION_MISMATCH',
  'AUTH_UNSUPPORTED_KEY',
  'AUTH_UNKNOWN_KEY',
  'AUTH_KEY_EXPIRED',
  'AUTH_KEY_UNAVAILABLE',
  'AUTH_BAD_SIGNATURE',
  'AUTH_INVALID_CONTENT',
];

/** The result of {@link verifyFederationRequest}. */
export type FederationRequestVerification =
  | {
      readonly ok: true;
      /** The authenticated sending server. */
      readonly origin: string;
      /** The key whose signature verified. */
      readonly keyId: string;
    }
  | {
      readonly ok: false;
      readonly code: RequestAuthCode;
      /** What is wrong, for logs (remote text in it is quoted and cut short; still escape it for a terminal). */
      readonly message: string;
      /** The status to answer with: 400 for a malformed header or body (as Synapse answers), else 401. */
      readonly httpStatus: 400 | 401;
      /** The origin the header claimed, when it could be read. */
      readonly origin?: string;
    };

/** Options of {@link verifyFederationRequest}. */
export interface VerifyFederationRequestOptions {
  /**
   * The Authorization header value(s) as received. Pass every value: in Node, `req.headersDistinct.authorization`
   * (`req.headers.authorization` keeps only the first of several).
   */
  readonly authorization: string | readonly string[] | null | undefined;
  /** The request method as received. */
  readonly method: string;
  /** The request target as received (path and query, undecoded): `req.url` in Node. */
  readonly uri: string;
  /** The JSON-parsed request body; undefined when the request has none. */
  readonly content?: unknown;
  /** This server's name: the `destination` signed (and the header's `destination`, when present, must equal it). */
  readonly destination: string;
  /** Where the origin's keys come from: a {@link ServerKeyResolver} (`createServerKeyResolver`), or any {@link VerifyKeySource}. */
  readonly keyResolver: VerifyKeySource;
  /** The time the request is checked at, ms since the epoch [Date.now()]: the key must be valid then. */
  readonly now?: number;
  /** Gives up waiting for the origin's keys. */
  readonly signal?: AbortSignal;
}

const KEY_CODES: Readonly<Record<VerifyKeyLookupCode, RequestAuthCode>> = {
  KEY_NOT_FOUND: 'AUTH_UNKNOWN_KEY',
  KEY_EXPIRED: 'AUTH_KEY_EXPIRED',
  KEY_UNAVAILABLE: 'AUTH_KEY_UNAVAILABLE',
};

/**
 * Checks the X-Matrix signature of a received federation request (server-server API "Request Authentication"): the
 * header is parsed ({@link parseXMatrixAuthorization}), its `destination` (when present) must be this server, and the
 * signature must verify, with the origin's current key (`verify_keys`, valid now), over the canonical JSON of
 * `{ method, uri, origin, destination, content? }`. With several X-Matrix headers, all must name the same origin,
 * every signature by a key found must verify, and at least one must (as Synapse checks them).
 *
 * Never throws for a bad header, signature or body: the result is `{ ok: false, code, message, httpStatus }`. Only a
 * caller's mistake (no `keyResolver`, a `destination` that is not a string) rejects with `INVALID_ARGUMENT`.
 *
 * @example
 * ```ts
 * const keys = createServerKeyResolver({ client });
 * const result = await verifyFederationRequest({
 *   authorization: req.headersDistinct.authorization, method: req.method, uri: req.url,
 *   content: body, destination: 'example.org', keyResolver: keys,
 * });
 * if (!result.ok) return reply(result.httpStatus, { errcode: 'M_UNAUTHORIZED', error: result.message });
 * ```
 */
export async function verifyFederationRequest(
  options: VerifyFederationRequestOptions,
): Promise<FederationRequestVerification> {
  if (typeof options !== 'object' || options === null) throw invalid('the options must be an object');
  const { keyResolver, destination } = options;
  if (typeof keyResolver !== 'object' || keyResolver === null || typeof keyResolver.getVerifyKey !== 'function') {
    throw invalid('keyResolver must have getVerifyKey() (createServerKeyResolver)');
  }
  if (typeof destination !== 'string' || destination === '') throw invalid("destination must be this server's name");
  const { method, uri } = options;
  if (typeof method !== 'string' || typeof uri !== 'string')
    return refuse('AUTH_MALFORMED', 'the request method and target must be strings');

  const parsed = parseXMatrixAuthorization(options.authorization);
  if (!parsed.ok) return refuse(parsed.code, parsed.message);
  const credentials = parsed.credentials;
  const origin = (credentials[0] as XMatrixCredentials).origin;
  if (credentials.some((c) => c.origin !== origin))
    return refuse('AUTH_MALFORMED', 'the X-Matrix headers name different origins', origin);
  const foreign = credentials.find((c) => c.destination !== null && c.destination !== destination);
  if (foreign !== undefined) {
    return refuse(
      'AUTH_DESTINATION_MISMATCH',
      `the request is for ${quote(foreign.destination ?? '')}, not ${quote(destination)}`,
      origin,
    );
  }

  let bytes: Uint8Array;
  try {
    // The destination signed is always this server's name, whether or not the header carried it (older senders).
    bytes = federationRequestSigningBytes({
      method,
      uri,
      origin,
      destination,
      ...(options.content !== undefined ? { content: options.content } : {}),
    });
  } catch (error) {
    return refuse(
      'AUTH_INVALID_CONTENT',
      `the request cannot be checked: ${error instanceof Error ? error.message : String(error)}`,
      origin,
    );
  }

  const validAtTs = options.now ?? Date.now();
  let verifiedBy: string | null = null;
  let firstProblem: { code: RequestAuthCode; message: string } | null = null;
  for (const credential of credentials) {
    const note = (code: RequestAuthCode, message: string): void => {
      firstProblem ??= { code, message };
    };
    if (!credential.key.startsWith(ED25519_KEY_ID_PREFIX)) {
      note('AUTH_UNSUPPORTED_KEY', `the key ${quote(credential.key)} is not an ed25519 key`);
      continue;
    }
    const signature = decodeBase64(credential.sig, { allowUrlSafe: true });
    if (signature === null || signature.length !== ED25519_SIGNATURE_BYTES) {
      return refuse(
        'AUTH_BAD_SIGNATURE',
        `the signature by ${quote(credential.key)} is not base64 of 64 bytes`,
        origin,
      );
    }
    let found;
    try {
      found = await keyResolver.getVerifyKey(origin, credential.key, {
        validAtTs,
        purpose: 'request',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      // A resolver that throws (a caller's own, or an abort) must not turn a bad request into a crash.
      note(
        'AUTH_KEY_UNAVAILABLE',
        `the keys of ${quote(origin)} could not be looked up: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    if (!found.ok) {
      note(KEY_CODES[found.code] ?? 'AUTH_KEY_UNAVAILABLE', found.message);
      continue;
    }
    if (!verifySignature(found.publicKey, bytes, signature)) {
      return refuse(
        'AUTH_BAD_SIGNATURE',
        `the signature by ${quote(credential.key)} of ${quote(origin)} does not match this request`,
        origin,
      );
    }
    verifiedBy ??= credential.key;
  }
  if (verifiedBy !== null) return { ok: true, origin, keyId: verifiedBy };
  const problem = firstProblem ?? {
    code: 'AUTH_KEY_UNAVAILABLE' as const,
    message: 'no key to check the signature with',
  };
  return refuse(problem.code, problem.message, origin);
}

/**
 * Public keys as node:crypto objects, by their base64 text. Building one from the raw bytes costs about as much as the
 * verification itself (~100 µs, bench/signing.ts), and a server checks the same few origins' keys all day.
 */
const keyObjects = new Map<string, KeyObject>();
const MAX_KEY_OBJECTS = 1024;

/** ed25519 verification with a cached KeyObject; false (never a throw) for a key OpenSSL refuses. */
function verifySignature(publicKey: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== ED25519_KEY_BYTES) return false;
  const id = encodeUnpaddedBase64(publicKey);
  try {
    let keyObject = keyObjects.get(id);
    if (keyObject === undefined) {
      keyObject = ed25519PublicKeyObject(publicKey);
      // Oldest first out: a Map iterates in insertion order.
      if (keyObjects.size >= MAX_KEY_OBJECTS) keyObjects.delete(keyObjects.keys().next().value as string);
      keyObjects.set(id, keyObject);
    }
    return verify(null, data, keyObject, signature);
  } catch {
    return false;
  }
}

function refuse(code: RequestAuthCode, message: string, origin?: string): FederationRequestVerification {
  const httpStatus = code === 'AUTH_MALFORMED' || code === 'AUTH_INVALID_CONTENT' ? 400 : 401;
  return origin === undefined
    ? { ok: false, code, message, httpStatus }
    : { ok: false, code, message, httpStatus, origin };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 128 ? `${text.slice(0, 128)}...` : text);
}

function invalid(message: string): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', `verifyFederationRequest: ${message}`);
}
