// Waiting on a promise that cannot itself be cancelled, up to an AbortSignal.

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as `signal` aborts, whichever comes first;
 * `onAbort` runs once when the abort wins (to let go of what the wait held). For the places that hand a signal to
 * something that may ignore it (an injected DNS port, a flight shared with other callers), so that the caller is
 * never kept waiting past its abort. A late rejection of `promise` is never left unhandled.
 *
 * @example
 * ```ts
 * const answer = await untilAborted(dns.resolve4(name, { signal }), signal);
 * ```
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    onAbort?.();
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const aborted = (): void => {
      promise.catch(() => undefined);
      onAbort?.();
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', aborted, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', aborted);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', aborted);
        reject(error as Error);
      },
    );
  });
}
