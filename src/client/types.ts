// Types shared by the federation client's modules: the record of each target tried.

import type { ErrorCode } from '../errors.js';
import type { ResolvedTarget } from '../resolver/types.js';

/** One target tried, and how it went. */
export interface FederationAttempt {
  readonly target: ResolvedTarget;
  /** null when the request got a response from this target. */
  readonly error: { readonly code: ErrorCode; readonly message: string } | null;
}

/** Header values as `fetch` takes them: a `Headers` object, a record, or `[name, value]` pairs. */
export type FederationHeadersInit = Headers | Readonly<Record<string, string>> | readonly (readonly [string, string])[];

/** One request: `RequestInit`-style options. */
export interface FederationRequestInit {
  /** [GET] */
  readonly method?: string;
  readonly headers?: FederationHeadersInit;
  /**
   * A body sent as is. When the client signs, it must be JSON (the signature covers the parsed JSON, spec "Request
   * Authentication"). Not with `json`.
   */
  readonly body?: string | Uint8Array | ArrayBuffer;
  /**
   * A JSON body: sent with `Content-Type: application/json` (unless a header says otherwise), encoded as canonical
   * JSON when the client signs (the bytes sent are the bytes signed) and with `JSON.stringify` otherwise. Not with `body`.
   */
  readonly json?: unknown;
  readonly signal?: AbortSignal;
  /**
   * `fetch` only: the most response body bytes read; past it (or when `Content-Length` says more) the request fails,
   * or the body stream errors, with `BODY_TOO_LARGE` [no limit: the body streams].
   */
  readonly maxBytes?: number;
  /**
   * `requestTarget` of a signing client: the server name the target belongs to, signed as `destination` (a target
   * does not say which server name it was resolved from). `fetch` signs for its `serverName`.
   */
  readonly destination?: string;
}
