// Problems in a check report: a coded finding, how much it matters, and the shape of a document's problems.

import type { ErrorCode } from '../errors.js';

/** A problem found by one check, in stable terms. */
export interface CheckProblem {
  /** An error code of `src/errors.ts`, or a check-specific code (e.g. `KEYS_BAD_SIGNATURE`). */
  readonly code: ErrorCode | (string & {});
  readonly message: string;
}

/** How much a problem matters: `error` breaks clients (or some of them), `warning` deviates from the spec, `info` is a fact. */
export type ProblemSeverity = 'error' | 'warning' | 'info';

/** One finding of a document check, in plain words. */
export interface DocumentProblem<Code extends string> {
  readonly code: Code;
  readonly severity: ProblemSeverity;
  readonly message: string;
  /** The network or fetch code behind it (`CONNECT_REFUSED`, `TLS_EXPIRED`, ...), when there is one. */
  readonly cause: ErrorCode | null;
}
