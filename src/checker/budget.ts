// The time budget of one check: a deadline for the report, the resolution's share, and each operation's share of what is left.

import { CHECKER_ERROR_EN } from '../check-report/checker-error-texts.js';
import { MatrixDelegationError } from '../errors.js';
import { createAbortController, onAbort, untilAborted } from '../net/abort.js';

/**
 * How a check's budget (`CheckOptions.timeoutMs`) is shared out. The resolution comes first and everything else
 * needs its targets, so it gets at most `resolution` of the budget; the well-known fetch, which the SRV and address
 * look-ups wait for, at most `wellKnown` of the resolution's share. A `reserve` at the end (a share, within bounds)
 * is kept for building the report once the deadline has ended the network work.
 */
export const CHECK_BUDGET_SHARES = {
  resolution: 0.4,
  wellKnown: 0.6,
  reserve: 0.05,
  minReserveMs: 100,
  maxReserveMs: 1000,
} as const;

/**
 * The reason a check's own deadline gives its signal: the work it cut short is reported as `TIMEOUT` in the report
 * (the remote was too slow for the budget), unlike the caller's abort, which rejects the whole check.
 */
export class CheckBudgetExpired extends MatrixDelegationError {
  constructor(budgetMs: number) {
    super('TIMEOUT', CHECKER_ERROR_EN.budgetExpired({ ms: budgetMs }));
    this.name = 'CheckBudgetExpired';
  }
}

/** True when `reason` is the expiry of a check's own budget (not a caller's abort). */
export function isBudgetExpiry(reason: unknown): reason is CheckBudgetExpired {
  return reason instanceof CheckBudgetExpired;
}

/** The limits a budget starts from: the check's options, already validated. */
export interface CheckBudgetLimits {
  /** The whole check, in milliseconds. */
  readonly totalMs: number;
  /** The most any one remote operation may take (`operationTimeoutMs`). */
  readonly operationMs: number;
  /** The most the resolution may take whatever the budget (the resolver's own default, or less). */
  readonly resolutionMs: number;
  /** The most the well-known fetch may take whatever the budget. */
  readonly wellKnownMs: number;
}

/** The budget of one running check. Create it with {@link createCheckBudget}; dispose of it when the check ends. */
export interface CheckBudget {
  readonly totalMs: number;
  /** The resolution's budget (its `timeoutMs`). */
  readonly resolutionMs: number;
  /** The resolution's well-known fetch budget (its `wellKnownTimeoutMs`). */
  readonly wellKnownMs: number;
  /**
   * Aborts with the caller's reason when the caller's signal aborts, or with a {@link CheckBudgetExpired} at the
   * deadline. Every part of the check gets it, so the deadline stops all network work still under way.
   */
  readonly signal: AbortSignal;
  /** Milliseconds left before the deadline (0 once it has passed). */
  remainingMs(): number;
  /**
   * The limit of an operation that `stages - 1` more operations will follow one after the other (a TLS handshake
   * and then the requests: 2): what is left divided among them, and at most `operationTimeoutMs`; at least 1.
   */
  operationMs(stages?: number): number;
  /**
   * Settles like `part`, or with `fallback()` when the deadline ends it: when `part` rejects with the expiry, or
   * (for a part that ignores its signal) half the reserve after the deadline. Rejects with the caller's reason when
   * the caller aborts, and like `part` for anything else.
   */
  settle<T>(part: Promise<T>, fallback: () => T): Promise<T>;
  /** Stops the timers and lets go of the caller's signal. */
  dispose(): void;
}

/** The share of `totalMs` kept for building the report after the deadline. */
export function reserveMs(totalMs: number): number {
  const { reserve, minReserveMs, maxReserveMs } = CHECK_BUDGET_SHARES;
  // Never more than a quarter of a tiny budget: the work needs time too.
  return Math.min(
    Math.floor(totalMs / 4),
    Math.max(minReserveMs, Math.min(maxReserveMs, Math.round(totalMs * reserve))),
  );
}

/**
 * Starts the budget of one check now: the deadline is `totalMs` minus the reserve from now. `caller` is the
 * caller's signal (the check's `signal` option), whose abort reaches every part through {@link CheckBudget.signal}.
 *
 * @example
 * ```ts
 * const budget = createCheckBudget({ totalMs: 4000, operationMs: 10_000, resolutionMs: 15_000, wellKnownMs: 10_000 }, signal);
 * try {
 *   const report = await budget.settle(checkAddress(target, { ...ctx, budget }), () => timedOut(target));
 * } finally {
 *   budget.dispose();
 * }
 * ```
 */
export function createCheckBudget(limits: CheckBudgetLimits, caller: AbortSignal | undefined): CheckBudget {
  const started = performance.now();
  const reserve = reserveMs(limits.totalMs);
  const deadline = started + limits.totalMs - reserve;
  const resolutionMs = Math.max(
    1,
    Math.min(limits.resolutionMs, Math.floor(limits.totalMs * CHECK_BUDGET_SHARES.resolution)),
  );
  const wellKnownMs = Math.max(
    1,
    Math.min(limits.wellKnownMs, Math.floor(resolutionMs * CHECK_BUDGET_SHARES.wellKnown)),
  );
  // Made when the deadline comes (one object for both signals): an Error captures a stack when made, which most checks,
  // ending well before their deadline, need not pay for.
  let expired: CheckBudgetExpired | undefined;
  const expiry = (): CheckBudgetExpired => (expired ??= new CheckBudgetExpired(limits.totalMs));

  // `soft` ends the work at the deadline; `hard` gives up waiting for a part that ignored it, half the reserve later.
  const soft = createAbortController();
  const hard = createAbortController();
  const softTimer = setTimeout(() => soft.abort(expiry()), Math.max(0, deadline - started));
  const hardTimer = setTimeout(() => hard.abort(expiry()), Math.max(0, deadline - started + reserve / 2));
  const callerAborted = (): void => {
    soft.abort(caller?.reason);
    hard.abort(caller?.reason);
  };
  const stopCaller = caller === undefined ? undefined : onAbort(caller, callerAborted);
  if (caller?.aborted === true) callerAborted();

  const remainingMs = (): number => Math.max(0, deadline - performance.now());
  return {
    totalMs: limits.totalMs,
    resolutionMs,
    wellKnownMs,
    signal: soft.signal,
    remainingMs,
    operationMs(stages = 1) {
      return Math.max(1, Math.min(limits.operationMs, Math.floor(remainingMs() / Math.max(1, stages))));
    },
    settle(part, fallback) {
      return untilAborted(part, hard.signal).catch((error: unknown) => {
        if (isBudgetExpiry(error)) return fallback();
        throw error;
      });
    },
    dispose() {
      clearTimeout(softTimer);
      clearTimeout(hardTimer);
      stopCaller?.();
    },
  };
}
