// /probe (Prometheus text, checked by promtool), the watched gauges on /metrics, /api/monitor, and a reload of the monitor.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { ServeConfig } from '../../src/config/index.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import type { CheckFunction } from '../../src/server/tester/runner.js';
import { captureLogger, send, testConfig } from '../server/http-helpers.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { promtoolCheckMetrics } from './promtool.js';
import { waitFor } from './wait.js';

let dir: string;
let lab: MonitorLab;
let server: RunningServer;
let base: string;
const runs = new Map<string, number>();

function config(servers: readonly string[], rateLimit = 100): ServeConfig {
  return testConfig(
    [
      'server_name: monitor.example.org',
      'metrics: {enabled: true}',
      `tester: {enabled: true, rate_limit_per_minute: ${rateLimit}, cache_seconds: 60}`,
      'monitor:',
      `  servers: [${servers.join(', ')}]`,
      `  state_path: ${join(dir, 'state.json')}`,
    ].join('\n'),
  );
}

/** The value of the one sample of `metric` whose labels include `labels` (`{a="b"}` text), or undefined. */
function sample(text: string, metric: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric) || line.startsWith('#')) continue;
    const rest = line.slice(metric.length);
    if (!/^[{ ]/.test(rest)) continue;
    if (labels !== '' && !rest.includes(labels)) continue;
    return Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return undefined;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-probe-'));
  lab = await startMonitorLab({ names: ['healthy', 'certificate', 'added'] });
  lab.setCertificateWithoutName('certificate', true);
  const check: CheckFunction = (name, options) => {
    runs.set(name, (runs.get(name) ?? 0) + 1);
    return checkServer(name, options);
  };
  server = await startServer(config([lab.name('healthy'), lab.name('certificate')]), {
    logger: captureLogger('error').logger,
    checkOptions: lab.checkOptions(),
    check,
    monitor: { intervalMs: 400 },
  });
  base = server.urls[0]!.replace(/\/$/, '');
});

afterAll(async () => {
  await server?.close({ timeoutMs: 0 });
  await lab?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('/probe', () => {
  it('answers one check in the Prometheus text format that promtool accepts, with the issue metrics', async () => {
    const res = await send(`${base}/probe?target=${lab.name('healthy')}`);
    expect(res.status, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const lint = await promtoolCheckMetrics(res.body);
    expect(lint, lint.output).toEqual({ code: 0, output: '' });
    expect(sample(res.body, 'matrix_federation_ok')).toBe(1);
    expect(sample(res.body, 'matrix_federation_addresses', 'state="ok"')).toBe(1);
    expect(sample(res.body, 'matrix_federation_addresses', 'state="failed"')).toBe(0);
    expect(sample(res.body, 'matrix_federation_well_known_delegated')).toBe(1);
    expect(sample(res.body, 'matrix_federation_server_version_info', 'name="Synapse",version="1.140.0"')).toBe(1);
    // The certificate the lab's homeserver sends for this name ends first (the CA lives longer).
    expect(sample(res.body, 'matrix_federation_certificate_expiry_timestamp_seconds')).toBe(
      Math.floor(lab.certificateNotAfter('healthy').getTime() / 1000),
    );
    expect(sample(res.body, 'matrix_federation_probe_duration_seconds')).toBeGreaterThan(0);
    for (const severity of ['error', 'warning', 'info'])
      expect(sample(res.body, 'matrix_federation_hints', `severity="${severity}"`)).toBeTypeOf('number');
  });

  it('says federation fails for a certificate without the name, with an error hint', async () => {
    const res = await send(`${base}/probe?target=${lab.name('certificate')}`);
    expect(res.status).toBe(200);
    expect((await promtoolCheckMetrics(res.body)).code).toBe(0);
    expect(sample(res.body, 'matrix_federation_ok')).toBe(0);
    expect(sample(res.body, 'matrix_federation_addresses', 'state="failed"')).toBe(1);
    expect(sample(res.body, 'matrix_federation_hints', 'severity="error"')).toBeGreaterThanOrEqual(1);
  });

  it('uses the tester result cache: a second probe of a name checks nothing new', async () => {
    const name = lab.name('added');
    const before = runs.get(name) ?? 0;
    const first = await send(`${base}/probe?target=${name}`);
    const second = await send(`${base}/probe?target=${name}`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect((runs.get(name) ?? 0) - before).toBe(1);
    expect(second.body).toBe(first.body);
  });

  it('refuses a missing or invalid target with 400, and answers 429 past the tester rate limit', async () => {
    expect((await send(`${base}/probe`)).status).toBe(400);
    expect((await send(`${base}/probe?target=not%20a%20name`)).status).toBe(400);
    // A server of its own with a limit of one check a minute: the second new name is refused.
    const limitedConfig = config([lab.name('healthy')], 1);
    const limited = await startServer(
      { ...limitedConfig, monitor: { ...limitedConfig.monitor!, statePath: join(dir, 'limited.json') } },
      { logger: captureLogger('error').logger, checkOptions: lab.checkOptions(), monitor: { intervalMs: 60_000 } },
    );
    try {
      const url = limited.urls[0]!.replace(/\/$/, '');
      expect((await send(`${url}/probe?target=${lab.name('healthy')}`)).status).toBe(200);
      const refused = await send(`${url}/probe?target=${lab.name('certificate')}`);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    } finally {
      await limited.close({ timeoutMs: 0 });
    }
  });
});

describe('the watched names on /metrics and /api/monitor', () => {
  it('/metrics has the gauges per server_name, and promtool accepts the whole page', async () => {
    await waitFor(
      () => (server.monitor?.names() ?? []).every((w) => w.state?.last !== null && w.state?.last !== undefined),
      'the first checks',
    );
    const res = await send(`${base}/metrics`);
    expect(res.status).toBe(200);
    const lint = await promtoolCheckMetrics(res.body);
    expect(lint, lint.output).toEqual({ code: 0, output: '' });
    const healthy = `server_name="${lab.name('healthy')}"`;
    const broken = `server_name="${lab.name('certificate')}"`;
    expect(sample(res.body, 'matrix_federation_ok', healthy)).toBe(1);
    expect(sample(res.body, 'matrix_federation_ok', broken)).toBe(0);
    expect(sample(res.body, 'matrix_federation_consecutive_failures', broken)).toBeGreaterThanOrEqual(1);
    expect(sample(res.body, 'matrix_federation_last_check_timestamp_seconds', healthy)).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
  });

  it('/api/monitor lists every watched name with its state and last report; one name with ?server_name=', async () => {
    const res = await send(`${base}/api/monitor`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = JSON.parse(res.body) as {
      schema: string;
      tester: boolean;
      monitor: boolean;
      servers: { server_name: string; state: string; federation_ok: boolean; report: { serverName: string } }[];
    };
    expect(body.schema).toBe('matrix-delegation/monitor/v1');
    expect([body.tester, body.monitor]).toEqual([true, true]);
    expect(body.servers.map((s) => [s.server_name, s.federation_ok, s.report.serverName])).toEqual([
      [lab.name('healthy'), true, lab.name('healthy')],
      [lab.name('certificate'), false, lab.name('certificate')],
    ]);
    expect(body.servers[0]!.state).toBe('ok');
    expect(['failing', 'alerting']).toContain(body.servers[1]!.state);
    const one = JSON.parse((await send(`${base}/api/monitor?server_name=${lab.name('healthy')}`)).body) as {
      servers: unknown[];
    };
    expect(one.servers).toHaveLength(1);
    expect((await send(`${base}/api/monitor?server_name=unknown.example.org`)).status).toBe(404);
  });

  it('a reload adds and removes watched names, and a reload without monitor stops it', async () => {
    const before = server.config;
    server.reload(config([lab.name('healthy'), lab.name('added')]));
    await waitFor(
      () =>
        JSON.stringify(server.monitor?.names().map((w) => w.serverName)) ===
        JSON.stringify([lab.name('healthy'), lab.name('added')]),
      'the new names',
    );
    await waitFor(() => server.monitor?.name(lab.name('added'))?.state?.last?.ok === true, 'the added name checked');
    const metrics = (await send(`${base}/metrics`)).body;
    expect(sample(metrics, 'matrix_federation_ok', `server_name="${lab.name('certificate')}"`)).toBeUndefined();
    server.reload({ ...before, monitor: null });
    await waitFor(() => server.monitor === null, 'the monitor stopped');
    const without = await send(`${base}/api/monitor`);
    expect([without.status, JSON.parse(without.body)]).toEqual([
      200,
      { schema: 'matrix-delegation/monitor/v1', tester: true, monitor: false, servers: [] },
    ]);
  });
});
