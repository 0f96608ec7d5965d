// The check report's words for an untrusted certificate chain: what is wrong and what to do (probeTls states the TLS facts only).

import type { ErrorCode } from '../errors.js';
import type { TlsTrustError } from '../net/tls-probe.js';

/** What an admin reads for each trust failure: the fault, then the usual fix. */
const TRUST_PROBLEM_WORDS: Partial<Record<ErrorCode, string>> = {
  TLS_EXPIRED: 'the certificate has expired',
  TLS_NOT_YET_VALID:
    'the certificate is not valid yet (its notBefore is in the future: check the server clock or the certificate)',
  TLS_SELF_SIGNED: "the certificate is self-signed; use one from a public CA (e.g. Let's Encrypt)",
  TLS_INCOMPLETE_CHAIN:
    'the server does not send the intermediate certificate(s); serve the full chain (fullchain.pem), not the leaf alone',
  TLS_UNTRUSTED: 'the certificate chain does not lead to a trusted root CA',
};

/**
 * The problem a report shows for an untrusted chain: its code, and words with the usual fix, followed by what Node's
 * verification said (e.g. `... (CERT_HAS_EXPIRED)`). Used by the checker's address report and the planner's probe.
 *
 * @example
 * ```ts
 * if (probe.ok && probe.trustError) console.log(trustProblem(probe.trustError).message);
 * ```
 */
export function trustProblem(error: TlsTrustError): { readonly code: ErrorCode; readonly message: string } {
  const words = TRUST_PROBLEM_WORDS[error.code];
  return { code: error.code, message: words === undefined ? error.message : `${words} (${error.verifyError})` };
}
