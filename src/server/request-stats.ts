// Per-request HTTP counters kept in plain fields: counted per request at the cost of a few map lookups, handed to
// prom-client only when /metrics is scraped.

/** Requests of one route, one method and one status: how many. */
interface StatusCount {
  count: number;
}

/** Everything counted for one route label. */
interface RouteStats {
  /** method label -> status label -> count. */
  readonly byMethod: Map<string, Map<string, StatusCount>>;
  /** Observations per duration bucket, not cumulative: `buckets[i]` counts durations in (bounds[i-1], bounds[i]]; the last slot is above every bound. */
  readonly buckets: Float64Array;
  /** Sum of the observed durations, in seconds. */
  sum: number;
  /** Number of observed durations. */
  count: number;
}

/** One `{route, method, status}` count, as handed to the metrics at scrape time. */
export interface RequestCount {
  readonly route: string;
  readonly method: string;
  readonly status: string;
  readonly count: number;
}

/** The duration histogram of one route, as handed to the metrics at scrape time. */
export interface RouteDurations {
  readonly route: string;
  /** Cumulative counts per upper bound (same order as the bounds): the Prometheus `le` series without `+Inf`. */
  readonly cumulative: readonly number[];
  /** Sum of the durations, seconds. */
  readonly sum: number;
  /** Number of durations (the `+Inf` bucket and `_count`). */
  readonly count: number;
}

/**
 * Counters of finished HTTP requests by route, method and status, and a duration histogram per route.
 *
 * Why not prom-client's `Counter.inc` and `Histogram.observe` on each request: both validate the labels and build
 * a hash string of them on every call, which was two thirds of what `serve` spent per well-known request beyond
 * a bare node:http server (bench/serve-throughput.ts, BENCHMARKS.md). Here a request costs three `Map` lookups on
 * label strings that are interned constants, a short bucket scan and three additions; the Prometheus series are
 * built from these totals when `/metrics` is read (see `createServerMetrics`).
 *
 * The label sets are bounded by the caller: route labels are the router's fixed labels, methods go through
 * `methodLabel`, statuses are the server's own codes.
 *
 * @example
 * ```ts
 * const stats = new RequestStats([0.001, 0.01, 0.1]);
 * stats.record('/health', 'GET', '200', 0.0004);
 * [...stats.counts()]; // [{ route: '/health', method: 'GET', status: '200', count: 1 }]
 * ```
 */
export class RequestStats {
  readonly #bounds: readonly number[];
  readonly #routes = new Map<string, RouteStats>();

  /** @param bounds upper bounds of the duration buckets in seconds, ascending. */
  constructor(bounds: readonly number[]) {
    for (let i = 1; i < bounds.length; i++) {
      if (!((bounds[i] ?? NaN) > (bounds[i - 1] ?? NaN)))
        throw new RangeError('bucket bounds must be strictly ascending');
    }
    this.#bounds = [...bounds];
  }

  /** The bucket bounds, seconds. */
  get bounds(): readonly number[] {
    return this.#bounds;
  }

  /**
   * Counts one finished request. `seconds` undefined counts it without a duration (a request refused before it
   * was parsed, which has no start time).
   */
  record(route: string, method: string, status: string, seconds?: number): void {
    let stats = this.#routes.get(route);
    if (stats === undefined) {
      stats = { byMethod: new Map(), buckets: new Float64Array(this.#bounds.length + 1), sum: 0, count: 0 };
      this.#routes.set(route, stats);
    }
    let byStatus = stats.byMethod.get(method);
    if (byStatus === undefined) {
      byStatus = new Map();
      stats.byMethod.set(method, byStatus);
    }
    const counter = byStatus.get(status);
    if (counter === undefined) byStatus.set(status, { count: 1 });
    else counter.count += 1;
    if (seconds === undefined) return;
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    stats.buckets[i] = (stats.buckets[i] as number) + 1;
    stats.sum += seconds;
    stats.count += 1;
  }

  /** Every `{route, method, status}` counted so far with its total. */
  *counts(): IterableIterator<RequestCount> {
    for (const [route, stats] of this.#routes) {
      for (const [method, byStatus] of stats.byMethod) {
        for (const [status, counter] of byStatus) yield { route, method, status, count: counter.count };
      }
    }
  }

  /** The duration histogram of every route that has at least one duration. */
  *durations(): IterableIterator<RouteDurations> {
    for (const [route, stats] of this.#routes) {
      if (stats.count === 0) continue;
      const cumulative: number[] = [];
      let running = 0;
      for (let i = 0; i < this.#bounds.length; i++) {
        running += stats.buckets[i] as number;
        cumulative.push(running);
      }
      yield { route, cumulative, sum: stats.sum, count: stats.count };
    }
  }
}
