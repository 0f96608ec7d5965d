// The check's cancellation: each operation's own time budget combined with the caller's AbortSignal.

/**
 * The signal of one remote operation: aborts after `timeoutMs`, or as soon as the caller's `signal` aborts
 * (with the caller's reason, so that an operation can tell "the caller gave up" from "the remote is slow").
 * Without a caller signal it is a plain timeout signal.
 */
export function operationSignal(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
}

/**
 * Rethrows the caller's abort reason when `signal` has aborted. Used where a failure is turned into a report
 * (a request's error, a DNS answer's `DNS_TIMEOUT`): an aborted check must reject, not report the remote as broken.
 */
export function rethrowIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}
