// The monitor's state in Redis (cache_store: redis): a restart neither repeats nor loses an alert, and with two
// instances each name is checked by one at a time and alerted once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServer } from '../../src/checker/check.js';
import type { ServeConfig } from '../../src/config/index.js';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import type { CheckFunction } from '../../src/server/tester/runner.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import type { LabCertificateAuthority } from '../../src/testing/index.js';
import { startRedisServer } from '../cache/redis-server.js';
import type { TestRedisServer } from '../cache/redis-server.js';
import { captureLogger, send, testConfig } from '../server/http-helpers.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { startWebhookReceiver } from './receivers.js';
import { waitFor } from './wait.js';

const INTERVAL_MS = 300;

let redis: TestRedisServer;
let lab: MonitorLab;
let ca: LabCertificateAuthority;
const servers: RunningServer[] = [];

beforeAll(async () => {
  ca = await createCertificateAuthority();
  [redis, lab] = await Promise.all([
    startRedisServer(),
    startMonitorLab({ names: ['restart', 'one', 'two', 'three', 'four', 'broken'] }),
  ]);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close({ timeoutMs: 0 })));
  await lab?.close();
  await redis?.kill();
});

function config(names: readonly string[], webhookUrl: string, prefix: string): ServeConfig {
  return testConfig(
    [
      'server_name: monitor.example.org',
      `cache_store: { kind: redis, url: "${redis.url}", key_prefix: "${prefix}" }`,
      'monitor:',
      `  servers: [${names.join(', ')}]`,
      '  failures_before_alert: 2',
      '  notify:',
      `    webhook: { url: "${webhookUrl}" }`,
    ].join('\n'),
  );
}

/** A running interval of a check: which instance, which name, from when to when. */
interface CheckSpan {
  readonly instance: string;
  readonly name: string;
  readonly start: number;
  end: number;
}

async function instance(cfg: ServeConfig, label: string, spans: CheckSpan[] = []): Promise<RunningServer> {
  const check: CheckFunction = async (name, options) => {
    const span: CheckSpan = { instance: label, name, start: performance.now(), end: Number.POSITIVE_INFINITY };
    spans.push(span);
    try {
      return await checkServer(name, options);
    } finally {
      span.end = performance.now();
    }
  };
  const server = await startServer(cfg, {
    logger: captureLogger('error').logger,
    checkOptions: lab.checkOptions(),
    check,
    monitor: { intervalMs: INTERVAL_MS, channelCa: [ca.certPem], retry: { baseDelayMs: 100 } },
  });
  servers.push(server);
  return server;
}

const events = (webhook: Awaited<ReturnType<typeof startWebhookReceiver>>, name: string): string[] =>
  webhook.received
    .map((r) => JSON.parse(r.body) as { server_name: string; event: string })
    .filter((b) => b.server_name === name)
    .map((b) => b.event);

describe('state in Redis', () => {
  it('a restart neither sends an alert again nor loses one still pending', async () => {
    const webhook = await startWebhookReceiver(ca, { status: 503 });
    const name = lab.name('restart');
    lab.setCertificateWithoutName('restart', true);
    const cfg = config([name], webhook.url, 'restart-test:');
    const first = await instance(cfg, 'first');
    // The alert is made; the webhook refuses it, so it stays pending in Redis.
    await waitFor(() => (first.monitor?.name(name)?.state?.pending.length ?? 0) === 1, 'a pending alert');
    await waitFor(() => webhook.received.length >= 1, 'an attempt');
    await first.close({ timeoutMs: 0 });

    webhook.setStatus(undefined);
    const refused = webhook.received.length;
    const second = await instance(cfg, 'second');
    await waitFor(() => webhook.received.length > refused, 'the pending alert delivered by the new instance');
    await waitFor(() => (second.monitor?.name(name)?.state?.consecutiveFailures ?? 0) >= 5, 'more failed checks');
    // The refused attempts and the delivery are one notification; no second alert was made.
    const ids = new Set(webhook.received.map((r) => r.headers['idempotency-key']));
    expect(ids.size).toBe(1);
    expect(events(webhook, name).every((e) => e === 'failing')).toBe(true);
    expect(second.monitor?.name(name)?.state?.pending).toEqual([]);
    await second.close({ timeoutMs: 0 });
    await webhook.close();
  });

  it('two instances: each name checked by one instance at a time, about once per interval, and one alert', async () => {
    const webhook = await startWebhookReceiver(ca);
    const names = ['one', 'two', 'three', 'four', 'broken'].map((p) => lab.name(p));
    lab.setCertificateWithoutName('broken', true);
    const spans: CheckSpan[] = [];
    const cfg = config(names, webhook.url, 'pair-test:');
    const a = await instance(cfg, 'a', spans);
    const b = await instance(cfg, 'b', spans);
    const started = performance.now();
    await waitFor(
      () => (a.monitor?.name(lab.name('broken'))?.state?.consecutiveFailures ?? 0) >= 6,
      'six failed checks of the broken name',
    );
    const elapsed = performance.now() - started;
    await waitFor(() => webhook.received.length >= 1, 'the alert');
    await Promise.all([a.close({ timeoutMs: 0 }), b.close({ timeoutMs: 0 })]);

    // Never two checks of one name at once.
    for (const name of names) {
      const mine = spans.filter((s) => s.name === name).sort((x, y) => x.start - y.start);
      for (let i = 1; i < mine.length; i++) expect(mine[i]!.start, name).toBeGreaterThanOrEqual(mine[i - 1]!.end);
    }
    // Both instances did checks (the names are shared out, not all taken by one).
    expect(new Set(spans.map((s) => s.instance))).toEqual(new Set(['a', 'b']));
    // About one check per interval per name between them, not one per instance: a generous bound.
    for (const name of names) {
      const count = spans.filter((s) => s.name === name && s.start >= started).length;
      expect(count, name).toBeLessThanOrEqual(Math.ceil(elapsed / (INTERVAL_MS * 0.85)) + 2);
    }
    // One alert for the broken name, from one of them; none for the others.
    expect(events(webhook, lab.name('broken'))).toEqual(['failing']);
    expect(webhook.received).toHaveLength(1);
    await webhook.close();
  });

  it('a new instance shows the last state and report of every name at once, from Redis, without checking', async () => {
    const webhook = await startWebhookReceiver(ca);
    const names = ['one', 'two', 'three'].map((p) => lab.name(p));
    const cfg = config(names, webhook.url, 'view-test:');
    const spans: CheckSpan[] = [];
    const a = await instance(cfg, 'a', spans);
    await waitFor(() => a.monitor!.names().every((w) => w.reportJson !== null), 'every name checked by a');
    await a.close({ timeoutMs: 0 });
    // b checks every 60 s: within this test it checks nothing, and still knows every name.
    let checksByB = 0;
    const b = await startServer(cfg, {
      logger: captureLogger('error').logger,
      checkOptions: lab.checkOptions(),
      check: () => {
        checksByB += 1;
        return Promise.reject(new Error('b must not check'));
      },
      monitor: { intervalMs: 60_000 },
    });
    servers.push(b);
    await waitFor(() => b.monitor!.names().every((w) => w.reportJson !== null), 'every report read from Redis');
    const body = JSON.parse((await send(`${b.urls[0]!.replace(/\/$/, '')}/api/monitor`)).body) as {
      servers: { server_name: string; state: string; report: { serverName: string } }[];
    };
    expect(body.servers.map((s) => [s.server_name, s.state, s.report.serverName])).toEqual(
      names.map((n) => [n, 'ok', n]),
    );
    expect(checksByB).toBe(0);
    await b.close({ timeoutMs: 0 });
    await webhook.close();
  });
});
