// Soak case 2: 10,000 malformed requests and 200 slowloris connections while a good client checks every answer.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGoodClient } from './good-client.js';
import { MALFORMED_CASES, MALFORMED_FAMILIES } from './malformed-requests.js';
import { metricSum } from './prometheus.js';
import { CPU, freePort, spawnServe } from './processes.js';
import { formatOutcomes, runMalformed } from './raw-client.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { formatMib, sampleRss } from './rss.js';
import { runSlowloris } from './slowloris.js';

/** Settings of the malformed-requests case. */
export interface MalformedSettings {
  readonly count: number;
  readonly concurrency: number;
  readonly slowConnections: number;
  readonly trickleIntervalMs: number;
  readonly goodIntervalMs: number;
}

/** The soak's settings. */
export const MALFORMED_DEFAULTS: MalformedSettings = {
  count: 10_000,
  concurrency: 50,
  slowConnections: 200,
  trickleIntervalMs: 1000,
  goodIntervalMs: 10,
};

const NAME = '2. malformed';
/** The server's default headers timeout (docs/serve.md, "Limits and timeouts"); Node checks it every second. */
const HEADERS_TIMEOUT_MS = 10_000;
const SERVER_BODY = '{"m.server":"matrix.example.org:443"}';
const CLIENT_BODY = '{"m.homeserver":{"base_url":"https://matrix.example.org/"}}';

/** Runs the case. */
export async function runMalformedCase(
  log: (line: string) => void,
  settings: MalformedSettings = MALFORMED_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-malformed-'));
  const port = await freePort();
  // The tester is on so that its query parsing is attacked too. Its DNS server is a closed loopback port: no
  // malformed request may start a check, and if one did it could not leave the machine (checks_total says).
  const deadDns = await freePort();
  const configPath = join(dir, 'serve.yaml');
  writeFileSync(
    configPath,
    `server_name: example.org
delegation_target: matrix.example.org:443
public_baseurl: https://matrix.example.org/
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
tester:
  enabled: true
metrics:
  enabled: true
logging:
  level: warn
`,
  );
  const server = await spawnServe(configPath, { cpu: CPU.server, args: ['--dns-server', `127.0.0.1:${deadDns}`] });
  const base = server.urls[0]!;
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  try {
    const sampler = sampleRss(server.pid);
    // A few seconds of good traffic first, so that the memory baseline is a warmed-up server.
    const warm = startGoodClient({
      baseUrl: base,
      paths: ['.well-known/matrix/server'],
      intervalMs: 1,
      verify: () => null,
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await warm.stop();
    sampler.markBaseline();
    const goodStarted = performance.now();
    const good = startGoodClient({
      baseUrl: base,
      paths: ['.well-known/matrix/server', '.well-known/matrix/client'],
      intervalMs: settings.goodIntervalMs,
      timeoutMs: 5000,
      verify: (a) => {
        const expected = a.path.endsWith('server') ? SERVER_BODY : CLIENT_BODY;
        if (a.status !== 200) return `status ${a.status}`;
        if (a.body !== expected) return `body ${a.body.slice(0, 80)}`;
        if (a.headers['content-type'] !== 'application/json')
          return `content-type ${String(a.headers['content-type'])}`;
        return null;
      },
    });
    log(
      `serve pid ${server.pid} on ${base}; ${formatCount(settings.count)} malformed requests (${MALFORMED_CASES.length} kinds) and ${settings.slowConnections} slowloris connections`,
    );
    const host = '127.0.0.1';
    const slowStarted = performance.now();
    const slow = runSlowloris({
      host,
      port,
      connections: settings.slowConnections,
      trickleIntervalMs: settings.trickleIntervalMs,
      giveUpAfterMs: HEADERS_TIMEOUT_MS * 2,
    }).then((r) => ({
      ...r,
      durationS: (performance.now() - slowStarted) / 1000,
    }));
    const badStarted = performance.now();
    const tallies = await runMalformed({
      host,
      port,
      cases: MALFORMED_CASES,
      count: settings.count,
      concurrency: settings.concurrency,
    });
    const badS = (performance.now() - badStarted) / 1000;
    log(`malformed requests done in ${badS.toFixed(1)} s; waiting for the slowloris connections to be cut off`);
    const slowResult = await slow;
    const goodStats = await good.stop();
    const goodS = (performance.now() - goodStarted) / 1000;
    const rss = sampler.stop();

    for (const family of MALFORMED_FAMILIES) {
      const tally = tallies.get(family);
      if (tally === undefined) continue;
      const kinds = MALFORMED_CASES.filter((c) => c.family === family).map((c) => c.name);
      rows.push({
        case: NAME,
        sent: `${family}: ${kinds.join(', ')}`,
        count: `${formatCount(tally.sent)} requests`,
        durationS: badS,
        outcome: `${formatOutcomes(tally.outcomes)}; ${tally.wrong} not as documented${tally.examples.length ? ` (${tally.examples.join('; ')})` : ''}`,
        pass: tally.wrong === 0,
      });
    }
    const lifetime = `${(slowResult.lifetimeMs.min / 1000).toFixed(1)}-${(slowResult.lifetimeMs.max / 1000).toFixed(1)} s`;
    rows.push({
      case: NAME,
      sent: `slowloris: request line, then one header line per connection every ${settings.trickleIntervalMs} ms, never the end of the headers`,
      count: `${slowResult.connections} connections, ${formatCount(slowResult.bytesTrickled)} bytes`,
      durationS: slowResult.durationS,
      outcome: `${slowResult.closedByServer} closed by the server after ${lifetime} (${slowResult.answered408} with 408), ${slowResult.stillOpen} still open at ${(HEADERS_TIMEOUT_MS * 2) / 1000} s, ${slowResult.failed} failed`,
      pass:
        slowResult.closedByServer === slowResult.connections &&
        slowResult.answered408 === slowResult.connections &&
        slowResult.lifetimeMs.min >= HEADERS_TIMEOUT_MS - 500 &&
        slowResult.lifetimeMs.max <= HEADERS_TIMEOUT_MS + 3000,
    });
    rows.push({
      case: NAME,
      sent: `a good client: GET the server and client documents one at a time, at most one every ${settings.goodIntervalMs} ms (keep-alive, every 10th on a new connection), body checked`,
      count: `${formatCount(goodStats.requests)} requests`,
      durationS: goodS,
      outcome: `${formatCount(goodStats.correct)} right, ${goodStats.wrong} wrong, ${goodStats.failed} failed; latency p50 ${goodStats.latencyMs.p50.toFixed(1)} ms, p99 ${goodStats.latencyMs.p99.toFixed(1)} ms, max ${goodStats.latencyMs.max.toFixed(0)} ms${goodStats.examples.length ? ` (${goodStats.examples.join('; ')})` : ''}`,
      pass: goodStats.wrong === 0 && goodStats.failed === 0 && goodStats.requests > 0,
    });
    const health = await fetch(`${base}health`);
    const metrics = await (await fetch(`${base}metrics`)).text();
    const malformedCounted = metricSum(
      metrics,
      'matrix_delegation_http_requests_total',
      (l) => l.route === '(malformed)',
    );
    const checksRun = metricSum(metrics, 'matrix_delegation_checks_total');
    rows.push({
      case: NAME,
      sent: 'afterwards: /health, /metrics, resident memory from before the abuse to after it',
      count: '-',
      durationS: 0,
      outcome:
        `health ${health.status}; ${formatCount(malformedCounted)} requests counted as (malformed); ${checksRun} tester checks started; ` +
        `RSS ${formatMib(rss.startKib)} -> peak ${formatMib(rss.peakKib)} -> ${formatMib(rss.endKib)}`,
      pass: health.status === 200 && checksRun === 0 && malformedCounted > 0,
    });
    notes.push(
      `Each malformed request goes on its own connection, ${settings.concurrency} at a time; the kinds are sent in turn, so each gets about ${Math.round(settings.count / MALFORMED_CASES.length)}. ` +
        '"400" etc. is the status the server sent; "200+400" is a pipelined valid request followed by junk on one connection; "closed" is a connection the client reset mid-request.',
      `Slowloris bound: closed between ${(HEADERS_TIMEOUT_MS - 500) / 1000} s and ${(HEADERS_TIMEOUT_MS + 3000) / 1000} s after connecting (the 10 s headers timeout, checked by Node every second).`,
    );
    const code = await server.stop();
    rows.push({
      case: NAME,
      sent: 'SIGTERM after the run',
      count: '1',
      durationS: 0,
      outcome: `exit code ${code}`,
      pass: code === 0,
    });
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
    await server.stop(2000);
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: NAME, rows, notes, durationS: (performance.now() - started) / 1000 };
}
