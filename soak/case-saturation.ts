// Soak case 1: the well-known documents at saturation (wrk, 60 s) on the real `serve` executable, memory sampled every second.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGoodClient } from './good-client.js';
import { metricSum } from './prometheus.js';
import { CPU, freePort, spawnServe } from './processes.js';
import { formatCount } from './report.js';
import type { SoakCaseResult, SoakRow } from './report.js';
import { formatMib, sampleRss } from './rss.js';
import { HAS_WRK, runWrk, socketErrorCount } from './wrk.js';

/** Settings of the saturation case. */
export interface SaturationSettings {
  readonly warmUpS: number;
  readonly durationS: number;
  readonly connections: number;
  /** Largest accepted RSS growth from the end of the warm-up to the end of the run, in MiB. */
  readonly maxGrowthMib: number;
}

/** The soak's settings: 60 s at saturation after a 10 s warm-up, 30 MiB growth at most. */
export const SATURATION_DEFAULTS: SaturationSettings = {
  warmUpS: 10,
  durationS: 60,
  connections: 64,
  maxGrowthMib: 30,
};

const NAME = '1. saturation';
const SERVER_BODY = '{"m.server":"matrix.example.org:443"}';
const CLIENT_BODY = '{"m.homeserver":{"base_url":"https://matrix.example.org/"}}';
const PATHS = ['/.well-known/matrix/server', '/.well-known/matrix/client'] as const;

/** Runs the case. */
export async function runSaturation(
  log: (line: string) => void,
  settings: SaturationSettings = SATURATION_DEFAULTS,
): Promise<SoakCaseResult> {
  const started = performance.now();
  if (!HAS_WRK) {
    return {
      name: NAME,
      rows: [
        {
          case: NAME,
          sent: 'wrk on the documents',
          count: '-',
          durationS: 0,
          outcome: 'wrk is not installed (apt-get install wrk)',
          pass: false,
        },
      ],
      notes: [],
      durationS: 0,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'md-soak-saturation-'));
  const port = await freePort();
  const configPath = join(dir, 'serve.yaml');
  writeFileSync(
    configPath,
    `server_name: example.org
delegation_target: matrix.example.org:443
public_baseurl: https://matrix.example.org/
listeners:
  - port: ${port}
    bind_addresses: ['127.0.0.1']
metrics:
  enabled: true
logging:
  level: warn
`,
  );
  const server = await spawnServe(configPath, { cpu: CPU.server });
  const base = server.urls[0]!;
  const rows: SoakRow[] = [];
  const notes: string[] = [];
  try {
    log(`serve pid ${server.pid} on ${base}; warm-up ${settings.warmUpS} s`);
    const sampler = sampleRss(server.pid);
    const warmUp = await runWrk({
      url: base,
      paths: PATHS,
      connections: settings.connections,
      durationS: settings.warmUpS,
      cpu: CPU.load,
    });
    sampler.markBaseline();
    log(
      `warm-up: ${formatCount(warmUp.requests)} requests; saturation ${settings.durationS} s with ${settings.connections} connections`,
    );
    // A light verifier next to wrk: wrk counts statuses but never reads bodies.
    const verifier = startGoodClient({
      baseUrl: base,
      paths: PATHS.map((p) => p.slice(1)),
      intervalMs: 100,
      timeoutMs: 10_000,
      verify: (a) =>
        a.status !== 200
          ? `status ${a.status}`
          : a.body !== (a.path.endsWith('server') ? SERVER_BODY : CLIENT_BODY)
            ? `body ${a.body.slice(0, 80)}`
            : null,
    });
    const loadStarted = performance.now();
    const result = await runWrk({
      url: base,
      paths: PATHS,
      connections: settings.connections,
      durationS: settings.durationS,
      cpu: CPU.load,
    });
    const loadS = (performance.now() - loadStarted) / 1000;
    const checked = await verifier.stop();
    const rss = sampler.stop();
    const metrics = await (await fetch(`${base}metrics`)).text();
    const documents = (labels: Readonly<Record<string, string>>): boolean =>
      PATHS.includes(labels.route as (typeof PATHS)[number]);
    const served200 = metricSum(
      metrics,
      'matrix_delegation_http_requests_total',
      (l) => documents(l) && l.status === '200',
    );
    const otherStatuses = metricSum(
      metrics,
      'matrix_delegation_http_requests_total',
      (l) => documents(l) && l.status !== '200' && l.status !== 'aborted',
    );
    const aborted = metricSum(
      metrics,
      'matrix_delegation_http_requests_total',
      (l) => documents(l) && l.status === 'aborted',
    );
    const wrkTotal = warmUp.requests + result.requests;
    const errors = socketErrorCount(result) + socketErrorCount(warmUp);
    // The server counts a request when its response closes; requests wrk cut off at the end of each run may be 'aborted'.
    const countsAgree =
      served200 + aborted >= wrkTotal && served200 <= wrkTotal + 2 * settings.connections + checked.requests;
    rows.push({
      case: NAME,
      sent: `GET ${PATHS.join(' and ')} in turn, ${settings.connections} keep-alive connections (wrk), server on its own CPU`,
      count: `${formatCount(result.requests)} requests`,
      durationS: loadS,
      outcome:
        `${formatCount(Math.round(result.requestsPerSecond))} req/s, p50 ${result.latencyMs.p50.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms; ` +
        `${result.non2xx + warmUp.non2xx} non-2xx, ${errors} socket errors; server counted ${formatCount(served200)} x 200, ${otherStatuses} other statuses (wrk: ${formatCount(wrkTotal)} with the warm-up)`,
      pass:
        result.non2xx === 0 &&
        warmUp.non2xx === 0 &&
        errors === 0 &&
        otherStatuses === 0 &&
        countsAgree &&
        result.requests > 0,
    });
    rows.push({
      case: NAME,
      sent: 'a verifying client reading both documents every 100 ms during the run',
      count: `${formatCount(checked.requests)} requests`,
      durationS: loadS,
      outcome: `${checked.correct} right, ${checked.wrong} wrong, ${checked.failed} failed; p99 ${checked.latencyMs.p99.toFixed(1)} ms${checked.examples.length ? ` (${checked.examples.join('; ')})` : ''}`,
      pass: checked.wrong === 0 && checked.failed === 0 && checked.requests > 0,
    });
    const boundKib = settings.maxGrowthMib * 1024;
    rows.push({
      case: NAME,
      sent: 'server resident memory (VmRSS), sampled every second from the end of the warm-up',
      count: `${rss.counted} samples`,
      durationS: loadS,
      outcome:
        `start ${formatMib(rss.startKib)}, peak ${formatMib(rss.peakKib)}, end ${formatMib(rss.endKib)}: growth ${formatMib(rss.growthKib)}; ` +
        `floor (lowest sample) first third ${formatMib(rss.firstFloorKib)}, last third ${formatMib(rss.lastFloorKib)} (bound ${settings.maxGrowthMib} MiB on both growths)`,
      pass: rss.growthKib < boundKib && rss.floorGrowthKib < boundKib && rss.counted >= 6,
    });
    notes.push(
      `Warm-up: ${settings.warmUpS} s of the same load (${formatCount(warmUp.requests)} requests) before the memory baseline, so that JIT and buffer pools are not counted as growth.`,
      `wrk reported max latency ${result.latencyMs.max.toFixed(1)} ms; ${aborted} responses were cut off when wrk closed its connections at the end of a run (counted as \`aborted\`, not as errors).`,
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
