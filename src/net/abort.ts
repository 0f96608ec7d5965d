// Abort handling shared by every layer: one real listener per signal (fanned out), and waits cut short by a signal.

import { NET_ERROR_EN } from './net-error-texts.js';

/** One registration of {@link onAbort}: an object, so that the same function may be registered twice. */
interface FanOutEntry {
  readonly listener: () => void;
}

/** The listeners of each signal, behind the one real 'abort' listener {@link onAbort} added to it. */
const fanOuts = new WeakMap<AbortSignal, Set<FanOutEntry>>();

/**
 * Runs `listener` once when `signal` aborts; returns the function that unregisters it (call it when the operation
 * ends, whether or not the signal aborted). The listener is not called when the signal has already aborted: check
 * `signal.aborted` first.
 *
 * Every registration on one signal shares a single real `'abort'` listener that calls them in order. Adding one
 * listener per operation to a signal many operations share (a check's signal reaches every address, DNS question
 * and document fetch) passes Node's limit of 10 listeners per EventTarget, which prints `MaxListenersExceededWarning`
 * on stderr (breaking "logs are JSON lines" in `serve`). A child signal per operation (`AbortSignal.any`) avoids
 * that too but costs tens of times more per operation on Node 20 (17 µs against 0.4 µs: bench/abort-listeners.ts).
 *
 * @example
 * ```ts
 * const stop = onAbort(signal, () => socket.destroy());
 * try { await work(); } finally { stop(); }
 * ```
 */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let entries = fanOuts.get(signal);
  if (entries === undefined) {
    const registered = new Set<FanOutEntry>();
    entries = registered;
    fanOuts.set(signal, registered);
    signal.addEventListener('abort', () => dispatch(signal, registered), { once: true });
  }
  const entry: FanOutEntry = { listener };
  const set = entries;
  set.add(entry);
  return () => {
    set.delete(entry);
  };
}

/** Runs the registrations of {@link onAbort} on `signal` once, in order, and forgets them. */
function dispatch(signal: AbortSignal, registered: Set<FanOutEntry>): void {
  fanOuts.delete(signal);
  const due = [...registered];
  registered.clear();
  for (const entry of due) {
    try {
      entry.listener();
    } catch (error) {
      // As an EventTarget does: one listener's exception neither stops the others nor disappears.
      process.nextTick(() => {
        throw error;
      });
    }
  }
}

/** An AbortController made by {@link createAbortController}: its signal, and the one way to abort it. */
export interface FanOutController {
  readonly signal: AbortSignal;
  /** Aborts the signal with `reason` (an `AbortError` without one) and runs its {@link onAbort} registrations. */
  abort(reason?: unknown): void;
}

/**
 * An AbortController whose {@link onAbort} registrations cost no EventTarget listener: it runs them itself when it
 * aborts, so a signal made for one operation (a request, a DNS question, a fetch), which the layers below register on
 * once each, adds no `'abort'` listener of ours. On Node 20 adding one to a fresh signal costs 3.5 to 12 µs (a busy
 * machine), more than the rest of a small operation's bookkeeping (a check made about forty). Listeners added by others
 * (undici's) are called by the signal as usual. Abort it only through the returned `abort`: that is what runs the
 * registrations.
 *
 * @example
 * ```ts
 * const controller = createAbortController();
 * const stop = onAbort(controller.signal, () => socket.destroy()); // no addEventListener
 * controller.abort(new Error('gave up')); // destroys the socket
 * ```
 */
export function createAbortController(): FanOutController {
  const controller = new AbortController();
  const registered = new Set<FanOutEntry>();
  fanOuts.set(controller.signal, registered);
  return {
    signal: controller.signal,
    abort(reason?: unknown) {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      dispatch(controller.signal, registered);
    },
  };
}

/**
 * A signal of one operation: aborts after `timeoutMs` with a `TimeoutError` (as `AbortSignal.timeout` does; no timer
 * when `timeoutMs` is undefined), or as soon as `parent` aborts, with the parent's reason. Call `dispose` when the
 * operation ends: it stops the timer and unregisters from the parent (one fanned-out registration, see
 * {@link onAbort}). For handing a caller's signal to code that adds its own listener (undici adds one per request):
 * many operations at once on one signal would pass Node's limit of 10 listeners.
 *
 * @example
 * ```ts
 * const op = operationSignal(5_000, callerSignal);
 * try { await request({ signal: op.signal }); } finally { op.dispose(); }
 * ```
 */
export function operationSignal(
  timeoutMs: number | undefined,
  parent: AbortSignal | undefined,
): { readonly signal: AbortSignal; dispose(): void } {
  const controller = createAbortController();
  if (parent?.aborted === true) {
    controller.abort(parent.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new DOMException(NET_ERROR_EN.operationTimeout({ ms: timeoutMs }), 'TimeoutError')),
          timeoutMs,
        );
  // A pending operation timer must not keep a process alive that has nothing else to do (AbortSignal.timeout's way).
  timer?.unref();
  const stop = parent === undefined ? undefined : onAbort(parent, () => controller.abort(parent.reason));
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      stop?.();
    },
  };
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as `signal` aborts, whichever comes first;
 * `onAborted` runs once when the abort wins (to let go of what the wait held). For the places that hand a signal to
 * something that may ignore it (an injected DNS resolver, a flight shared with other callers), so that the caller is
 * never kept waiting past its abort. A late rejection of `promise` is never left unhandled.
 *
 * @example
 * ```ts
 * const answer = await untilAborted(dns.resolve4(name, { signal }), signal);
 * ```
 */
export function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  onAborted?: () => void,
): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    onAborted?.();
    return Promise.reject(signal.reason as Error);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = onAbort(signal, () => {
      promise.catch(() => undefined);
      onAborted?.();
      reject(signal.reason as Error);
    });
    promise.then(
      (value) => {
        stop();
        resolve(value);
      },
      (error: unknown) => {
        stop();
        reject(error as Error);
      },
    );
  });
}
