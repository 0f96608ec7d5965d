// The check's cancellation: the caller's abort rejects the check; its own budget running out is a TIMEOUT result.

import { operationSignal } from '../net/abort.js';
import { isBudgetExpiry } from './budget.js';

/**
 * Runs one remote operation with a signal of its own: it aborts after `timeoutMs`, or as soon as `signal` (the
 * check's) aborts, with that signal's reason, so that the operation can tell "the caller gave up" or "the check's
 * budget ran out" from "the remote is slow". The operation's timer and its registration on `signal` end with it.
 */
export async function withOperationSignal<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const operation = operationSignal(timeoutMs, signal);
  try {
    return await run(operation.signal);
  } finally {
    operation.dispose();
  }
}

/**
 * Rethrows the caller's abort reason when `signal` has aborted because the caller aborted. Used where a failure is
 * turned into a report (a request's error, a DNS answer's `DNS_TIMEOUT`): an aborted check must reject, not report
 * the remote as broken. When the check's own budget ended the work, the failure stays a result (`TIMEOUT`).
 */
export function rethrowIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true && !isBudgetExpiry(signal.reason)) throw signal.reason;
}

/** True when `signal` aborted because the check's own budget ran out. */
export function budgetExpired(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && isBudgetExpiry(signal.reason);
}
