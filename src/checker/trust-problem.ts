// The check report's words for an untrusted certificate chain: what is wrong and what to do (probeTls states the TLS facts only).

import type { ErrorCode } from '../errors.js';
import type { TlsTrustError } from '../net/tls-probe.js';
import { isWordedTrustCode, trustProblemEnglish } from '../check-report/trust-problem-texts.js';

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
  // The words are the catalogue's English (src/check-report/trust-problem-texts.ts), which the diagnosis reads back.
  const message = isWordedTrustCode(error.code)
    ? trustProblemEnglish(error.code, { verifyError: error.verifyError })
    : error.message;
  return { code: error.code, message };
}
