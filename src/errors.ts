// Error codes and the one error class of matrix-delegation: tests and callers match on `code`, never on messages.

/**
 * Every stable error code the library can report.
 *
 * A misconfigured *remote* server is a result (a trace step with a status and one of these codes as its
 * reason), not an exception; exceptions are for invalid input given by the caller and programmer misuse.
 */
export const ERROR_CODES = [
  // Input
  'INVALID_SERVER_NAME',
  'INVALID_ARGUMENT',
  'INVALID_CIDR',
  'INVALID_CONFIG',
  // Serving
  'LISTEN_FAILED',
  // DNS
  'DNS_NXDOMAIN',
  'DNS_NODATA',
  'DNS_SERVFAIL',
  'DNS_TIMEOUT',
  'DNS_ERROR',
  'DNS_CNAME_LOOP',
  'SRV_UNAVAILABLE',
  // Address policy
  'ADDRESS_DENIED',
  // Network and TLS
  'CONNECT_REFUSED',
  'CONNECT_TIMEOUT',
  'CONNECT_UNREACHABLE',
  'CONNECTION_RESET',
  'TLS_ERROR',
  'TLS_NAME_MISMATCH',
  'TLS_UNTRUSTED',
  'TLS_EXPIRED',
  'TLS_NOT_YET_VALID',
  'TLS_SELF_SIGNED',
  'TLS_INCOMPLETE_CHAIN',
  'TIMEOUT',
  'BODY_TOO_LARGE',
  'HTTP_ERROR',
  // Well-known
  'WELL_KNOWN_NOT_FOUND',
  'WELL_KNOWN_HTTP_STATUS',
  'WELL_KNOWN_INVALID_JSON',
  'WELL_KNOWN_NOT_OBJECT',
  'WELL_KNOWN_MISSING_M_SERVER',
  'WELL_KNOWN_INVALID_M_SERVER',
  'WELL_KNOWN_TOO_LARGE',
  'WELL_KNOWN_TOO_MANY_REDIRECTS',
  'WELL_KNOWN_REDIRECT_LOOP',
  'WELL_KNOWN_BAD_REDIRECT',
  // Resolution and requests
  'NO_TARGETS',
  'ALL_TARGETS_FAILED',
] as const;

/** A stable, machine-readable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * The base error of the library. `code` is stable across versions; `message` is for people and may change.
 *
 * @example
 * ```ts
 * try { parseServerNameOrThrow('bad name') } catch (e) {
 *   if (e instanceof MatrixDelegationError && e.code === 'INVALID_SERVER_NAME') { ... }
 * }
 * ```
 */
export class MatrixDelegationError extends Error {
  /** The stable error code. */
  readonly code: ErrorCode;
  /** Optional structured detail (the rule that failed, the address denied, ...). */
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MatrixDelegationError';
    this.code = code;
    this.detail = options?.detail;
  }
}

/** True when `value` is a {@link MatrixDelegationError}, optionally with the given code. */
export function isMatrixDelegationError(value: unknown, code?: ErrorCode): value is MatrixDelegationError {
  return value instanceof MatrixDelegationError && (code === undefined || value.code === code);
}
