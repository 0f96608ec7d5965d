// Classifies socket, TLS and undici errors into stable codes, and says which ones allow trying another address.

import type { ErrorCode } from '../errors.js';

/** A network failure in stable terms. */
export interface NetworkFailure {
  readonly code: ErrorCode;
  /** True for failures to reach the address at all (refused, unreachable, connect timeout): try the next one. */
  readonly connectFailure: boolean;
  readonly message: string;
}

const CONNECT: Readonly<Record<string, ErrorCode>> = {
  ECONNREFUSED: 'CONNECT_REFUSED',
  EHOSTUNREACH: 'CONNECT_UNREACHABLE',
  ENETUNREACH: 'CONNECT_UNREACHABLE',
  EADDRNOTAVAIL: 'CONNECT_UNREACHABLE',
  EAFNOSUPPORT: 'CONNECT_UNREACHABLE',
  ENETDOWN: 'CONNECT_UNREACHABLE',
  EHOSTDOWN: 'CONNECT_UNREACHABLE',
  UND_ERR_CONNECT_TIMEOUT: 'CONNECT_TIMEOUT',
  ETIMEDOUT: 'CONNECT_TIMEOUT',
};

const TLS: Readonly<Record<string, ErrorCode>> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS_NAME_MISMATCH',
  CERT_HAS_EXPIRED: 'TLS_EXPIRED',
  CERT_NOT_YET_VALID: 'TLS_NOT_YET_VALID',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS_SELF_SIGNED',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS_UNTRUSTED',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS_INCOMPLETE_CHAIN',
  UNABLE_TO_GET_ISSUER_CERT: 'TLS_INCOMPLETE_CHAIN',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS_UNTRUSTED',
  CERT_UNTRUSTED: 'TLS_UNTRUSTED',
  CERT_REJECTED: 'TLS_UNTRUSTED',
};

/** Finds the most specific `code` along an error's cause chain (undici wraps socket errors). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * Maps an error thrown by node:net, node:tls or undici to a {@link NetworkFailure}.
 *
 * Only failures to reach an address count as connection failures; certificate errors do not, because the
 * spec's fallback to the next target is for unreachable servers, not for servers with a wrong certificate.
 */
export function classifyNetworkError(error: unknown): NetworkFailure {
  const message = error instanceof Error ? error.message : String(error);
  const codes = codesOf(error);
  for (const c of codes) {
    const connect = CONNECT[c];
    if (connect) return { code: connect, connectFailure: true, message };
  }
  for (const c of codes) {
    const tls = TLS[c];
    if (tls) return { code: tls, connectFailure: false, message };
    if (c.startsWith('ERR_TLS_') || c.startsWith('ERR_SSL_') || /^(CERT|UNABLE)_/.test(c)) {
      return { code: 'TLS_ERROR', connectFailure: false, message };
    }
  }
  if (codes.includes('ECONNRESET') || codes.includes('UND_ERR_SOCKET'))
    return { code: 'CONNECTION_RESET', connectFailure: false, message };
  if (
    codes.some(
      (c) =>
        c === 'UND_ERR_HEADERS_TIMEOUT' || c === 'UND_ERR_BODY_TIMEOUT' || c === 'ABORT_ERR' || c === 'UND_ERR_ABORTED',
    )
  ) {
    return { code: 'TIMEOUT', connectFailure: false, message };
  }
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return { code: 'TIMEOUT', connectFailure: false, message };
  return { code: 'HTTP_ERROR', connectFailure: false, message };
}
