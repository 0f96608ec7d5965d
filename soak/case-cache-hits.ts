// Soak case: the tester's cached answers of a huge report (issue 13, item 3), on the real `serve` executable, RSS sampled.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HUGE_ADDRESSES, HUGE_NAME, cacheHitFlood, startHugeReportLab } from './huge-report.js';
import type { CacheHitFlood } from './huge-report.js';
import { requestOnce } from './good-client.js';
import { freePort, spawnServe } from './processes.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { formatMib, sampleRss } from './rss.js';

/** Settings of the case. */
export interface CacheHitSettings {
  /** The tester's per-client limit (checks a minute); a cached answer costs a twentieth of a check. */
  readonly rateLimitPerMinute: number;
  /** Requests of the one flooding client, `concurrency` at a time. */
  readonly oneClientRequests: number;
  /** Clients asking at once in the many-clients run (one source address each), and requests of each. */
  readonly clients: number;
  readonly requestsPerClient: number;
  readonly concurrency: number;
  /** Largest accepted RSS rise (peak over the level after the check) during a run, in MiB. */
  readonly maxRssRiseMib: number;
  /** Largest accepted `/.well-known/matrix/server` latency during a run, in milliseconds. */
  readonly maxWellKnownMs: number;
}

/** The soak's settings: the 30 clients at once, and one client 300 times. */
export const CACHE_HIT_DEFAULTS: CacheHitSettings = {
  rateLimitPerMinute: 10,
  oneClientRequests: 300,
  clients: 30,
  requestsPerClient: 30,
  concurrency: 30,
  maxRssRiseMib: 100,
  maxWellKnownMs: 1000,
};

const NAME = '7. cached answers';

function statusList(statuses: ReadonlyMap<number, number>): string {
  return [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([status, n]) => `${status === 0 ? 'no answer' : status} x${formatCount(n)}`)
    .join(', ');
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function latencies(flood: CacheHitFlood): string {
  return `well-known meanwhile: ${flood.wellKnownMs.length} requests, median ${percentile(flood.wellKnownMs, 50).toFixed(1)} ms, max ${Math.max(...flood.wellKnownMs).toFixed(1)} ms`;
}

/**
 * Runs the case: the lab's {@link HUGE_NAME} (32 addresses, 500 KB version answers) is checked once through the
 * tester of a `serve` child; then one client asks for the cached report 300 times, 30 at a time (the rate limit
 * must refuse it once its budget is spent), and 30 clients at once ask 10 times each (all within their budgets:
 * what one cached report costs the server when every answer is allowed). RSS of the child and the latency of
 * `/.well-known/matrix/server` are measured meanwhile.
 */
export async function runCacheHitCase(
  log: (line: string) => void,
  settings: CacheHitSettings = CACHE_HIT_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  const huge = await startHugeReportLab();
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-cache-hits-'));
  let server: Awaited<ReturnType<typeof spawnServe>> | null = null;
  try {
    const port = await freePort();
    const configPath = join(dir, 'serve.yaml');
    writeFileSync(
      configPath,
      `server_name: tester.example.org
delegation_target: matrix.example.org:443
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
tester:
  enabled: true
  rate_limit_per_minute: ${settings.rateLimitPerMinute}
  max_in_flight: 4
  cache_seconds: 600
  timeout_ms: 60000
logging:
  level: warn
`,
    );
    writeFileSync(join(dir, 'ca.pem'), huge.lab.caCertPem);
    const options = huge.checkOptions();
    const args = [
      '--dns-server',
      huge.lab.dns.server,
      ...(options.allowNetworks ?? []).flatMap((cidr) => ['--allow-network', cidr]),
      '--ca-file',
      join(dir, 'ca.pem'),
      '--well-known-port',
      String(huge.lab.ports.https),
      '--federation-port',
      String(huge.lab.ports.federation),
    ];
    server = await spawnServe(configPath, { args });
    const base = server.urls[0]!;
    const rss = sampleRss(server.pid, 100);

    log(`checking ${HUGE_NAME} (${HUGE_ADDRESSES} addresses) once through the tester`);
    const checkStarted = performance.now();
    const first = await requestOnce(new URL(`api/check?server_name=${HUGE_NAME}`, base), {
      localAddress: '127.0.0.3',
      timeoutMs: 90_000,
    });
    const checkS = (performance.now() - checkStarted) / 1000;
    const reportBytes = Buffer.byteLength(first.body);
    const tester = await requestOnce(new URL(`api/report?server_name=${HUGE_NAME}`, base), {
      localAddress: '127.0.0.3',
      timeoutMs: 30_000,
    });
    rows.push({
      case: NAME,
      sent: `/api/check then /api/report for ${HUGE_NAME}: ${HUGE_ADDRESSES} addresses answering 500 KB versions, 450 KB key responses, 40 KB m.server, 900 KB /versions`,
      count: '2 requests',
      durationS: checkS,
      outcome: `${first.status}, native report ${mb(reportBytes)}; ${tester.status}, tester report ${mb(Buffer.byteLength(tester.body))} (before the bounds: 61.5 MB native)`,
      pass:
        first.status === 200 &&
        tester.status === 200 &&
        reportBytes < 1024 * 1024 &&
        Buffer.byteLength(tester.body) < 1024 * 1024,
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rss.markBaseline();

    // One client: its budget is rateLimitPerMinute checks, i.e. 20 times as many cached answers.
    const budget = settings.rateLimitPerMinute * 20;
    log(`one client: ${settings.oneClientRequests} requests for the cached report, ${settings.concurrency} at a time`);
    const one = await cacheHitFlood({
      baseUrl: base,
      requests: settings.oneClientRequests,
      concurrency: settings.concurrency,
      localAddress: '127.0.0.4',
    });
    const oneRss = rss.stop();
    const expected200 = Math.min(budget, settings.oneClientRequests);
    rows.push({
      case: NAME,
      sent: `one client (127.0.0.4) asks /api/check for the cached report, ${settings.concurrency} at a time; limit ${settings.rateLimitPerMinute} checks/min (= ${budget} cached answers)`,
      count: `${formatCount(one.requests)} requests`,
      durationS: one.durationS,
      outcome: `${statusList(one.statuses)}; ${mb(one.bytes)} sent; RSS ${formatMib(oneRss.startKib)} -> peak ${formatMib(oneRss.peakKib)}; ${latencies(one)}`,
      pass:
        one.statuses.get(200) === expected200 &&
        (one.statuses.get(429) ?? 0) === settings.oneClientRequests - expected200 &&
        oneRss.peakKib - oneRss.startKib <= settings.maxRssRiseMib * 1024 &&
        Math.max(...one.wellKnownMs) <= settings.maxWellKnownMs,
    });

    // Many clients, each within its budget: every answer is allowed, so this is the cost of the answers themselves.
    const many = sampleRss(server.pid, 100);
    const addresses = Array.from({ length: settings.clients }, (_, i) => `127.0.2.${10 + i}`);
    const total = settings.clients * settings.requestsPerClient;
    log(`${settings.clients} clients at once: ${total} requests for the cached report`);
    const flood = await cacheHitFlood({
      baseUrl: base,
      requests: total,
      concurrency: settings.clients,
      localAddress: addresses,
    });
    const manyRss = many.stop();
    rows.push({
      case: NAME,
      sent: `${settings.clients} clients at once (127.0.2.10-${9 + settings.clients}, within their budgets) ask /api/check for the cached report, ${settings.requestsPerClient} times each`,
      count: `${formatCount(total)} requests`,
      durationS: flood.durationS,
      outcome: `${statusList(flood.statuses)}; ${mb(flood.bytes)} sent (largest answer ${mb(flood.largestBody)}); RSS ${formatMib(manyRss.startKib)} -> peak ${formatMib(manyRss.peakKib)}; ${latencies(flood)}`,
      pass:
        flood.statuses.get(200) === total &&
        flood.largestBody < 1024 * 1024 &&
        manyRss.peakKib - manyRss.startKib <= settings.maxRssRiseMib * 1024 &&
        Math.max(...flood.wellKnownMs) <= settings.maxWellKnownMs,
    });
    notes.push(
      `Cached answers (issue 13, item 3): the \`serve\` child (tsx) checks ${HUGE_NAME} once through its tester; the lab's ${HUGE_ADDRESSES} addresses answer 500 KB version bodies, 450 KB key responses, certificates with 200 names, a 40 KB m.server, a 900 KB /versions and 200 support contacts. Before the fix the native report of that name was 61.5 MB (16.6 MB for the issue's version bodies alone), every cache hit serialised it again and was free.`,
      `RSS is the child's VmRSS sampled every 100 ms; "start" is the level one second after the check. The well-known latency is of another client (127.0.0.1, one keep-alive connection, one request every 20 ms) during the run. Pass: the statuses as the rate limit says, an RSS rise of at most ${settings.maxRssRiseMib} MiB, and no well-known answer slower than ${settings.maxWellKnownMs} ms.`,
    );
  } catch (error) {
    rows.push({
      case: NAME,
      sent: 'the case itself',
      count: '-',
      durationS: (performance.now() - started) / 1000,
      outcome: `error: ${(error as Error).message}`,
      pass: false,
    });
  } finally {
    await server?.stop(5000);
    await huge.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
