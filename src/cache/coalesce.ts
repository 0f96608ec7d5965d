// Single flight: concurrent callers asking for the same key share one piece of work (one DNS query, one fetch).

import { untilAborted } from '../net/abort.js';

/** Shares in-flight work by key. */
export interface Coalescer<T> {
  /**
   * Runs `work` for `key`, or joins the run already in flight for it. `work` gets a signal that aborts only once
   * every caller that joined has aborted (so one impatient caller cannot cancel the others' answer). A caller
   * whose own `signal` aborts is rejected at once with the signal's reason; the others keep waiting.
   */
  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /** Keys in flight now. */
  readonly size: number;
}

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  /** Callers still waiting; the work is aborted when the last one gives up. */
  waiting: number;
}

/**
 * Creates a {@link Coalescer}. The first caller of a key starts the work; callers arriving while it runs share
 * its promise; the key is free again as soon as the work settles (results are not kept: caching is the
 * caller's business).
 *
 * @example
 * ```ts
 * const flights = createCoalescer<string>();
 * const [a, b] = await Promise.all([flights.run('k', slowFetch), flights.run('k', slowFetch)]); // one slowFetch
 * ```
 */
export function createCoalescer<T>(): Coalescer<T> {
  const flights = new Map<string, Flight<T>>();

  function join(flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiting += 1;
    return untilAborted(flight.promise, signal, () => leave(flight));
  }

  function leave(flight: Flight<T>): void {
    flight.waiting -= 1;
    if (flight.waiting <= 0) flight.controller.abort(new Error('every caller waiting for this answer gave up'));
  }

  return {
    run(key, work, signal) {
      const current = flights.get(key);
      if (current !== undefined) return join(current, signal);
      const controller = new AbortController();
      // Started on a later tick so that `flights` holds the entry before `work` can settle synchronously.
      const promise = Promise.resolve().then(() => work(controller.signal));
      const flight: Flight<T> = { promise, controller, waiting: 0 };
      flights.set(key, flight);
      const release = (): void => {
        if (flights.get(key) === flight) flights.delete(key);
      };
      promise.then(release, release);
      return join(flight, signal);
    },
    get size() {
      return flights.size;
    },
  };
}
