// One request made ready to send: headers in one form, the body encoded, and the X-Matrix signature when the client signs.

import { MatrixDelegationError } from '../errors.js';
import { canonicalJson } from '../keys/canonical-json.js';
import type { RequestSigner } from '../keys/signing-key.js';
import { signFederationRequest } from './sign-request.js';
import type { FederationHeadersInit, FederationRequestInit } from './types.js';

/** What a signing client signs with. */
export interface RequestSigning {
  /** This server's name: the `origin` of every request. */
  readonly origin: string;
  readonly signingKey: RequestSigner;
}

/** A request ready for undici. */
export interface PreparedRequest {
  readonly method: string;
  /** Lower-case names; `host` and `user-agent` are the client's to add. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array | undefined;
  /** The X-Matrix header the client signed and added, or null. */
  readonly authorization: string | null;
}

/**
 * Prepares a checked request: headers merged into one record (a repeated name joined with ", ", as `Headers` does),
 * a `json` body encoded, and, when `signing` is given and the caller set no Authorization of their own, the X-Matrix
 * signature of the request for `destination` (server-server API "Request Authentication": method, target as sent,
 * both server names, the JSON body).
 *
 * @throws {MatrixDelegationError} `INVALID_ARGUMENT` when a signed request's body is not JSON, `json` cannot be encoded,
 *   or a signing `requestTarget` has no `destination`.
 */
export function prepareRequest(
  path: string,
  init: FederationRequestInit,
  signing: RequestSigning | null,
  destination: string | undefined,
): PreparedRequest {
  const method = init.method ?? 'GET';
  const headers = headerRecord(init.headers);
  let body: string | Uint8Array | undefined;
  let content: unknown;
  if (init.json !== undefined) {
    try {
      // Signed: canonical JSON, so the bytes sent are the bytes signed (a float is refused, as canonical JSON must).
      body = signing === null ? JSON.stringify(init.json) : canonicalJson(init.json);
    } catch (cause) {
      if (cause instanceof MatrixDelegationError) throw cause;
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        `init.json cannot be encoded as JSON: ${(cause as Error).message}`,
        { cause, detail: { option: 'init.json' } },
      );
    }
    if (typeof body !== 'string')
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'init.json must be a JSON value', {
        detail: { option: 'init.json' },
      });
    content = init.json;
    headers['content-type'] ??= 'application/json';
  } else if (init.body !== undefined) {
    body = init.body instanceof ArrayBuffer ? new Uint8Array(init.body) : init.body;
  }

  let authorization: string | null = null;
  if (signing !== null && headers['authorization'] === undefined) {
    if (destination === undefined) {
      throw new MatrixDelegationError(
        'INVALID_ARGUMENT',
        'init.destination must name the server the target belongs to: a signing client signs it as "destination"',
        {
          detail: { option: 'init.destination' },
        },
      );
    }
    if (init.json === undefined && body !== undefined) content = parseJsonBody(body);
    authorization = signFederationRequest({
      origin: signing.origin,
      destination,
      method,
      uri: path,
      signingKey: signing.signingKey,
      ...(content !== undefined ? { content } : {}),
    });
    headers['authorization'] = authorization;
  }
  return { method, headers, body, authorization };
}

/** The JSON a signed request's byte body holds (the signature covers it); an empty body is no body. */
function parseJsonBody(body: string | Uint8Array): unknown {
  if (body.length === 0) return undefined;
  try {
    // JSON is UTF-8 (server-server API "API standards"): invalid UTF-8 is refused, not replaced.
    const text =
      typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      'init.body of a signed request must be JSON (the signature covers the parsed body, spec "Request Authentication"): pass it as init.json',
      { cause, detail: { option: 'init.body' } },
    );
  }
}

/** Headers in any of fetch's forms as one record with lower-case names. */
function headerRecord(init: FederationHeadersInit | undefined): Record<string, string> {
  const record: Record<string, string> = Object.create(null) as Record<string, string>;
  if (init === undefined) return record;
  const entries: Iterable<readonly [string, string]> =
    init instanceof Headers ? init.entries() : Array.isArray(init) ? init : Object.entries(init);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    const existing = record[key];
    record[key] = existing === undefined ? value : `${existing}, ${value}`;
  }
  return record;
}
