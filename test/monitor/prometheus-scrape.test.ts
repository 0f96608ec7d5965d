// A real Prometheus (Debian's prometheus package) runs docs/monitor.md's scrape config and rules against a real serve:
// the relabelling makes each watched name a /probe target whose series carry it as instance and server_name, and
// /metrics carries the monitor's names; the page's alert rules load and evaluate.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { captureLogger, testConfig } from '../server/http-helpers.js';
import { fencedBlocks, readDoc } from './doc-blocks.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { waitForAsync } from './wait.js';
import { freePort } from '../../support/free-port.js';

/** Where Debian's `prometheus` package (the one scripts/setup-system.sh installs for promtool) puts the server. */
const PROMETHEUS_BINARY = '/usr/bin/prometheus';
const RULES_FILE = 'matrix-federation.rules.yml';

interface ScrapeConfig {
  job_name: string;
  scheme?: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  static_configs: { targets: string[] }[];
  relabel_configs?: { replacement?: string; target_label?: string }[];
}

interface PrometheusSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

let dir: string;
let lab: MonitorLab;
let server: RunningServer;
let prometheus: ChildProcess | null = null;
let promUrl: string;
let promLog = '';

async function query(expr: string): Promise<PrometheusSample[]> {
  const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { status: string; data: { result: PrometheusSample[] } };
  if (body.status !== 'success') throw new Error(`query ${expr} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** What Prometheus says of its targets (the last scrape error of each), for a failure message. */
async function targetErrors(): Promise<string> {
  const res = await fetch(`${promUrl}/api/v1/targets`).catch(() => null);
  const body = (await res?.json().catch(() => null)) as {
    data?: { activeTargets?: { scrapeUrl: string; health: string; lastError: string }[] };
  } | null;
  const targets = (body?.data?.activeTargets ?? []).map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`);
  return `targets: ${targets.join('; ')}; Prometheus log: ${promLog.slice(-1500)}`;
}

beforeAll(async () => {
  if (!existsSync(PROMETHEUS_BINARY))
    throw new Error(
      `${PROMETHEUS_BINARY} is missing: run \`bash scripts/setup-system.sh\` (as root) to install prometheus`,
    );
  dir = mkdtempSync(join(tmpdir(), 'md-prometheus-'));
  lab = await startMonitorLab({ names: ['healthy', 'certificate'] });
  lab.setCertificateWithoutName('certificate', true);
  const names = [lab.name('healthy'), lab.name('certificate')];
  server = await startServer(
    testConfig(
      [
        'server_name: monitor.example.org',
        'metrics: {enabled: true}',
        // Prometheus is one client: no per-client limit on a tester only it reaches (docs/monitor.md).
        'tester: {enabled: true, rate_limit_per_minute: 0}',
        'monitor:',
        `  servers: [${names.join(', ')}]`,
        `  state_path: ${join(dir, 'state.json')}`,
      ].join('\n'),
    ),
    { logger: captureLogger('error').logger, checkOptions: lab.checkOptions(), monitor: { intervalMs: 500 } },
  );
  const serveAddress = new URL(server.urls[0]!).host;

  // The page's files, changed only where a test must: the address of serve (plain HTTP on loopback), its targets, and
  // intervals short enough for a test.
  const blocks = fencedBlocks(readDoc('monitor.md')).filter((b) => b.language === 'yaml');
  const configText = blocks.find((b) => b.text.startsWith('# prometheus.yml\n'))!.text;
  const rulesText = blocks.find((b) => b.text.startsWith(`# ${RULES_FILE}\n`))!.text;
  const config = parse(configText) as { global: Record<string, string>; scrape_configs: ScrapeConfig[] };
  config.global = { ...config.global, evaluation_interval: '1s' };
  for (const job of config.scrape_configs) {
    job.scheme = 'http';
    job.scrape_interval = '2s';
    job.scrape_timeout = '2s';
    if (job.job_name === 'matrix-federation') {
      job.static_configs = [{ targets: names }];
      const address = job.relabel_configs?.find((r) => r.target_label === '__address__');
      if (address === undefined) throw new Error('the /probe job has no __address__ relabelling');
      address.replacement = serveAddress;
    } else {
      job.static_configs = [{ targets: [serveAddress] }];
    }
  }
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  writeFileSync(join(dir, RULES_FILE), rulesText);
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    PROMETHEUS_BINARY,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  prometheus.stdout?.on('data', (c: Buffer) => (promLog += c.toString('utf8')));
  prometheus.stderr?.on('data', (c: Buffer) => (promLog += c.toString('utf8')));
  await waitForAsync(
    async () => (await fetch(`${promUrl}/-/ready`).catch(() => null))?.status === 200,
    'Prometheus ready',
    30_000,
  );
}, 60_000);

afterAll(async () => {
  if (prometheus !== null && prometheus.exitCode === null) {
    const ended = new Promise((resolve) => prometheus!.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await ended;
  }
  await server?.close({ timeoutMs: 0 });
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("docs/monitor.md's Prometheus config, run by Prometheus", () => {
  it('scrapes /probe once per watched name, labelled with it as instance and server_name', async () => {
    let samples: PrometheusSample[] = [];
    await waitForAsync(
      async () => {
        samples = await query('matrix_federation_ok{job="matrix-federation"}');
        return samples.length === 2;
      },
      'both probes scraped',
      60_000,
      targetErrors,
    );
    const byName = Object.fromEntries(samples.map((s) => [s.metric['server_name'], s]));
    expect(byName[lab.name('healthy')]?.metric['instance']).toBe(lab.name('healthy'));
    expect(byName[lab.name('healthy')]?.value[1]).toBe('1');
    expect(byName[lab.name('certificate')]?.metric['instance']).toBe(lab.name('certificate'));
    expect(byName[lab.name('certificate')]?.value[1]).toBe('0');
    const up = await query('up{job="matrix-federation"}');
    expect(up.map((s) => s.value[1])).toEqual(['1', '1']);
  });

  it('scrapes the watched names from /metrics, and the alert rules load and see the broken name', async () => {
    await waitForAsync(
      async () => (await query('matrix_federation_ok{job="matrix-delegation"}')).length === 2,
      'the monitor gauges scraped',
      60_000,
      targetErrors,
    );
    const res = await fetch(`${promUrl}/api/v1/rules`);
    const body = (await res.json()) as {
      data: {
        groups: {
          rules: { name: string; health: string; state: string; alerts: { labels: Record<string, string> }[] }[];
        }[];
      };
    };
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name).sort()).toEqual([
      'MatrixDelegationMonitorStalled',
      'MatrixFederationCertificateExpiresSoon',
      'MatrixFederationDown',
      'MatrixFederationProbeFailing',
    ]);
    for (const rule of rules) expect(rule.health, rule.name).not.toBe('err');
    // The broken name is pending (its `for` has not passed), once, whatever the source; the healthy one is not.
    await waitForAsync(
      async () => {
        const r = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as typeof body;
        const down = r.data.groups.flatMap((g) => g.rules).find((x) => x.name === 'MatrixFederationDown');
        return down?.alerts.length === 1 && down.alerts[0]?.labels['server_name'] === lab.name('certificate');
      },
      'MatrixFederationDown pending for the broken name',
      60_000,
    );
  });
});
