// Prometheus metrics of `serve`, in a registry of their own (never prom-client's global one).

import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HistogramConfiguration, MetricObjectWithValues, MetricValueWithName } from 'prom-client';
import { VERSION } from '../version.js';
import { RequestStats } from './request-stats.js';

/** The server's metrics; every metric name starts with `matrix_delegation_`. */
export interface ServerMetrics {
  /** The registry holding exactly these metrics (what `/metrics` renders). */
  readonly registry: Registry;
  /**
   * Finished HTTP requests, counted with `http.record(route, method, status, seconds)`: rendered as
   * `matrix_delegation_http_requests_total{route,method,status}` and the histogram
   * `matrix_delegation_http_request_duration_seconds{route}` (time from request to the last byte sent).
   * Counted in plain fields and turned into series only when the registry is read (see {@link RequestStats}).
   */
  readonly http: RequestStats;
  /** `matrix_delegation_tester_requests_total{outcome}`: tester API requests by how they were answered (run, cached, joined, rate_limited, busy, timeout, error). */
  readonly testerRequests: Counter<'outcome'>;
  /** `matrix_delegation_checks_total{result}`: federation checks actually run (cache hits excluded). */
  readonly checks: Counter<'result'>;
  /** `matrix_delegation_check_duration_seconds`: how long a check ran. */
  readonly checkDuration: Histogram;
  /** `matrix_delegation_checks_in_flight`: checks running now. */
  readonly checksInFlight: Gauge;
  /** `matrix_delegation_config_reloads_total{result}`: reloads applied (`success`) or refused (`failure`). */
  readonly configReloads: Counter<'result'>;
}

/** Methods kept as label values; anything else is counted as `other`, so a client cannot grow the label set. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** The method label of a request method. */
export function methodLabel(method: string | undefined): string {
  if (method === 'GET') return method;
  return method !== undefined && KNOWN_METHODS.has(method) ? method : 'other';
}

/**
 * Creates the metrics in a fresh registry. Two servers in one process (tests) never share counters, and
 * nothing is registered globally. No default process metrics: they install process-wide observers.
 *
 * @example
 * ```ts
 * const metrics = createServerMetrics();
 * metrics.httpRequests.inc({ route: '/health', method: 'GET', status: '200' });
 * const text = await metrics.registry.metrics();
 * ```
 */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  new Gauge({
    name: 'matrix_delegation_info',
    help: 'Always 1; the version label says which version runs.',
    labelNames: ['version'],
    registers,
  }).set({ version: VERSION }, 1);
  // Documents are answered in well under a millisecond; tester calls take seconds.
  const http = new RequestStats([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60]);
  new Counter({
    name: 'matrix_delegation_http_requests_total',
    help: 'HTTP requests answered, by route, method and status code.',
    labelNames: ['route', 'method', 'status'],
    registers,
    // Read at scrape time: the totals replace whatever the counter held (nothing else increments it).
    collect() {
      this.reset();
      for (const { route, method, status, count } of http.counts()) this.inc({ route, method, status }, count);
    },
  });
  new PrecountedHistogram(
    {
      name: 'matrix_delegation_http_request_duration_seconds',
      help: 'Time from receiving a request to sending the last byte of its response, by route.',
      labelNames: ['route'],
      registers,
    },
    http,
  );
  return {
    registry,
    http,
    testerRequests: new Counter({
      name: 'matrix_delegation_tester_requests_total',
      help: 'Tester API requests with a valid server name, by how they were answered (run, cached, joined a running check, rate_limited, busy, timeout, error).',
      labelNames: ['outcome'],
      registers,
    }),
    checks: new Counter({
      name: 'matrix_delegation_checks_total',
      help: 'Federation checks run by the tester (cache hits excluded), by verdict: good, bad, or error (the check itself failed).',
      labelNames: ['result'],
      registers,
    }),
    checkDuration: new Histogram({
      name: 'matrix_delegation_check_duration_seconds',
      help: 'Duration of the federation checks run by the tester.',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      registers,
    }),
    checksInFlight: new Gauge({
      name: 'matrix_delegation_checks_in_flight',
      help: 'Federation checks running now.',
      registers,
    }),
    configReloads: new Counter({
      name: 'matrix_delegation_config_reloads_total',
      help: 'Configuration reloads, by result: success (applied) or failure (refused; the previous configuration stays).',
      labelNames: ['result'],
      registers,
    }),
  };
}

/** The `values` of a histogram as prom-client renders them: `le` and `route` labels, one series name per line. */
type HistogramValues = MetricObjectWithValues<MetricValueWithName<'route'>>;

/**
 * A histogram whose series come from a {@link RequestStats} when the registry is read, instead of from
 * `observe()` calls (which hash the labels on every request). It renders exactly what a prom-client histogram
 * with the same observations renders: cumulative `_bucket` lines per `le` (then `+Inf`), `_sum` and `_count`.
 */
class PrecountedHistogram extends Histogram<'route'> {
  readonly #stats: RequestStats;
  readonly #name: string;
  readonly #help: string;

  constructor(config: Omit<HistogramConfiguration<'route'>, 'buckets'>, stats: RequestStats) {
    super({ ...config, buckets: [...stats.bounds] });
    this.#stats = stats;
    this.#name = config.name;
    this.#help = config.help;
  }

  /** What the registry renders (prom-client's text path asks for this one when a metric has it). */
  getForPromString(): Promise<HistogramValues> {
    return this.get();
  }

  override get(): Promise<HistogramValues> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    const bounds = this.#stats.bounds;
    const name = this.#name;
    for (const { route, cumulative, sum, count } of this.#stats.durations()) {
      for (let i = 0; i < bounds.length; i++) {
        values.push({
          labels: { le: bounds[i] as number, route },
          value: cumulative[i] as number,
          metricName: `${name}_bucket`,
        });
      }
      values.push({ labels: { le: '+Inf', route }, value: count, metricName: `${name}_bucket` });
      values.push({ labels: { route }, value: sum, metricName: `${name}_sum` });
      values.push({ labels: { route }, value: count, metricName: `${name}_count` });
    }
    // prom-client's declared MetricObject also wants its enum type and a collect function, which its own
    // histograms do not return either: the registry reads name, help, type, aggregator and values.
    return Promise.resolve({
      name,
      help: this.#help,
      type: 'histogram',
      aggregator: 'sum',
      values,
    } as unknown as HistogramValues);
  }
}
