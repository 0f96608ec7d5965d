import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createServerMetrics } from '../../src/server/metrics.js';
import { RequestStats } from '../../src/server/request-stats.js';

const BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60];
const ROUTES = ['/.well-known/matrix/server', '/health', '(unknown)', '(malformed)'];
const METHODS = ['GET', 'HEAD', 'other'];
const STATUSES = ['200', '404', '405', '431', 'aborted'];

interface Request {
  readonly route: string;
  readonly method: string;
  readonly status: string;
  readonly seconds: number | undefined;
}

/** What prom-client itself renders for these requests, counted the usual way (inc and observe per request). */
async function referenceText(requests: readonly Request[]): Promise<string> {
  const registry = new Registry();
  const counter = new Counter({
    name: 'matrix_delegation_http_requests_total',
    help: 'h',
    labelNames: ['route', 'method', 'status'],
    registers: [registry],
  });
  const histogram = new Histogram({
    name: 'matrix_delegation_http_request_duration_seconds',
    help: 'h',
    labelNames: ['route'],
    buckets: BOUNDS,
    registers: [registry],
  });
  for (const r of requests) {
    counter.inc({ route: r.route, method: r.method, status: r.status });
    if (r.seconds !== undefined) histogram.observe({ route: r.route }, r.seconds);
  }
  return registry.metrics();
}

/** The two HTTP metrics of `serve`'s own registry, after recording the same requests. */
async function serverText(requests: readonly Request[]): Promise<string> {
  const metrics = createServerMetrics();
  for (const r of requests) metrics.http.record(r.route, r.method, r.status, r.seconds);
  const parts = await Promise.all([
    metrics.registry.getSingleMetricAsString('matrix_delegation_http_requests_total'),
    metrics.registry.getSingleMetricAsString('matrix_delegation_http_request_duration_seconds'),
  ]);
  return parts.join('\n\n') + '\n';
}

/** The sample lines only (HELP texts differ on purpose), sorted: series order is not part of the format. */
function samples(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('# HELP'))
    .sort();
}

const request = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.constantFrom(...METHODS),
  status: fc.constantFrom(...STATUSES),
  // Bucket bounds themselves are included: `le` means "less than or equal".
  seconds: fc.option(fc.oneof(fc.constantFrom(...BOUNDS), fc.double({ min: 0, max: 120, noNaN: true })), {
    nil: undefined,
  }),
});

describe('RequestStats rendered through the server registry', () => {
  it('renders exactly what prom-client renders for the same requests counted one by one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { maxLength: 200 }), async (requests) => {
        expect(samples(await serverText(requests))).toEqual(samples(await referenceText(requests)));
      }),
      { numRuns: 150 },
    );
  });

  it('puts a duration equal to a bound in that bound, and one above every bound only in +Inf', async () => {
    const text = await serverText([
      { route: '/health', method: 'GET', status: '200', seconds: 0.001 },
      { route: '/health', method: 'GET', status: '200', seconds: 61 },
    ]);
    const name = 'matrix_delegation_http_request_duration_seconds';
    expect(text).toContain(`${name}_bucket{le="0.0005",route="/health"} 0\n`);
    expect(text).toContain(`${name}_bucket{le="0.001",route="/health"} 1\n`);
    expect(text).toContain(`${name}_bucket{le="60",route="/health"} 1\n`);
    expect(text).toContain(`${name}_bucket{le="+Inf",route="/health"} 2\n`);
    expect(text).toContain(`${name}_sum{route="/health"} 61.001\n`);
    expect(text).toContain(`${name}_count{route="/health"} 2\n`);
  });

  it('counts a request without a duration in the counter only', async () => {
    const text = await serverText([{ route: '(malformed)', method: 'other', status: '431', seconds: undefined }]);
    expect(text).toContain(
      'matrix_delegation_http_requests_total{route="(malformed)",method="other",status="431"} 1\n',
    );
    expect(text).not.toContain('route="(malformed)"}');
  });

  it('keeps totals across scrapes (a scrape does not reset them)', async () => {
    const metrics = createServerMetrics();
    metrics.http.record('/health', 'GET', '200', 0.0001);
    await metrics.registry.metrics();
    metrics.http.record('/health', 'GET', '200', 0.0001);
    const text = await metrics.registry.metrics();
    expect(text).toContain('matrix_delegation_http_requests_total{route="/health",method="GET",status="200"} 2\n');
    expect(text).toContain('matrix_delegation_http_request_duration_seconds_count{route="/health"} 2\n');
  });

  it('refuses bounds that are not strictly ascending', () => {
    expect(() => new RequestStats([0.1, 0.1])).toThrow(RangeError);
    expect(() => new RequestStats([1, 0.5])).toThrow(RangeError);
  });

  it('also renders as JSON through the registry (getMetricsAsJSON uses get())', async () => {
    const metrics = createServerMetrics();
    metrics.http.record('/health', 'GET', '200', 0.002);
    const json = await metrics.registry.getMetricsAsJSON();
    const histogram = json.find((m) => m.name === 'matrix_delegation_http_request_duration_seconds');
    expect(histogram?.type).toBe('histogram');
    const count = histogram?.values.find(
      (v) => (v as { metricName?: string }).metricName === 'matrix_delegation_http_request_duration_seconds_count',
    );
    expect(count?.value).toBe(1);
  });
});
