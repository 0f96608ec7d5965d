// The global cap on federation checks running at the same time.

/** A counting limit without a queue: a slot is granted at once or refused at once. */
export interface InFlightLimit {
  /** Checks running now. */
  readonly running: number;
  /** The cap; changing it affects only checks started afterwards. */
  max: number;
  /** Takes a slot and returns its release function (idempotent), or null when all slots are taken. */
  tryAcquire(): (() => void) | null;
}

/**
 * Creates the cap. There is deliberately no queue: a check takes seconds, so a waiting line would only hold
 * connections open and hide overload; the caller answers 503 with Retry-After instead, and the client retries.
 *
 * @example
 * ```ts
 * const limit = createInFlightLimit(8);
 * const release = limit.tryAcquire();
 * if (release === null) return busy();
 * try { await runCheck(); } finally { release(); }
 * ```
 */
export function createInFlightLimit(max: number): InFlightLimit {
  let running = 0;
  const limit: InFlightLimit = {
    get running() {
      return running;
    },
    max: Math.max(1, max),
    tryAcquire() {
      if (running >= limit.max) return null;
      running++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        running--;
      };
    },
  };
  return limit;
}
