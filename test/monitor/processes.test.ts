// The monitor as real processes: `watch` killed (SIGKILL) and restarted on its state file neither repeats nor loses an
// alert; `serve` applies monitor changes on SIGHUP; secrets stay out of what the processes print.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificateAuthority } from '../../src/testing/index.js';
import { labCliFlags } from '../cli/run-cli.js';
import { send } from '../server/http-helpers.js';
import { spawnCli } from './child.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { startWebhookReceiver } from './receivers.js';
import { waitForAsync } from './wait.js';
import { freePort } from '../../support/free-port.js';

let dir: string;
let lab: MonitorLab;
let flags: string[];
let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let channelCaFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-monitor-proc-'));
  const ca = await createCertificateAuthority();
  [lab, webhook] = await Promise.all([startMonitorLab({ names: ['restart', 'other'] }), startWebhookReceiver(ca)]);
  const checkCa = join(dir, 'check-ca.pem');
  writeFileSync(checkCa, lab.caPems.join(''));
  channelCaFile = join(dir, 'channel-ca.pem');
  writeFileSync(channelCaFile, ca.certPem);
  flags = labCliFlags(lab.lab, checkCa, { timeoutMs: 4000 });
});

afterAll(async () => {
  await Promise.all([lab?.close(), webhook?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The webhook requests received about `name` (refused or taken), as event kinds. */
const attempts = (name: string): string[] =>
  webhook.received
    .filter((r) => r.headers['idempotency-key'] !== undefined)
    .map((r) => JSON.parse(r.body) as { server_name: string; event: string; id: string })
    .filter((b) => b.server_name === name)
    .map((b) => b.event);

describe('watch, killed and restarted on its state file', () => {
  it('neither sends an alert twice nor loses one that was still pending', async () => {
    const name = lab.name('restart');
    const config = join(dir, 'watch.yaml');
    writeFileSync(
      config,
      [
        'server_name: watch.example.org',
        'monitor:',
        `  servers: [${name}]`,
        '  failures_before_alert: 2',
        '  notify:',
        `    webhook: { url: "${webhook.url}" }`,
      ].join('\n'),
    );
    const args = [
      'watch',
      '--config',
      config,
      '--state-file',
      join(dir, 'watch-state.json'),
      '--interval-ms',
      '250',
      '--json',
      ...flags,
    ];
    const env = { NODE_EXTRA_CA_CERTS: channelCaFile };
    const checks = (out: Record<string, unknown>[]): number => out.filter((l) => l['type'] === 'check').length;

    // Run 1: the name breaks; the alert is made but the webhook is down, so it stays pending; then a crash.
    lab.setCertificateWithoutName('restart', true);
    webhook.setStatus(503);
    const first = spawnCli(args, env);
    await first.waitUntil(() => first.jsonLines().some((l) => l['type'] === 'notification'), 'the alert');
    await first.waitUntil(() => webhook.received.length >= 1, 'a delivery attempt');
    expect(attempts(name)).toEqual(['failing']); // refused (503): not delivered
    await first.stop('SIGKILL');

    // Run 2: the webhook works again; the pending alert goes out once, and no new alert is made.
    webhook.setStatus(undefined);
    const accepted = (): number => webhook.received.length;
    const before = accepted();
    const second = spawnCli(args, env);
    await second.waitUntil(() => accepted() > before, 'the pending alert delivered');
    // The delivery is recorded by the save that ends its visit; a crash before that save sends it again with the same
    // id (docs/monitor.md: at least once). The pending alert waits out run 1's back-off, so the checks may already
    // count four when it goes out: wait for two more checks after it, which come once its visit (and save) ended.
    const atDelivery = checks(second.jsonLines());
    await second.waitUntil(
      () => checks(second.jsonLines()) >= Math.max(4, atDelivery + 2),
      'four more failed checks, two of them after the delivery',
    );
    expect(second.jsonLines().filter((l) => l['type'] === 'notification')).toEqual([]);
    await second.stop('SIGKILL');
    // One refused attempt, then the one that got through, of the same notification.
    const ids = webhook.received.map((r) => r.headers['idempotency-key']);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);

    // Run 3: fixed; one recovery, and the alert is not sent again.
    lab.setCertificateWithoutName('restart', false);
    const third = spawnCli(args, env);
    await third.waitUntil(() => webhook.received.length >= 3, 'the recovery delivered');
    await third.waitUntil(() => checks(third.jsonLines()) >= 3, 'three more checks');
    expect(await third.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(attempts(name)).toEqual(['failing', 'failing', 'recovered']);
    expect(
      third
        .jsonLines()
        .filter((l) => l['type'] === 'notification')
        .map((l) => l['event']),
    ).toEqual(['recovered']);
  });
});

describe('serve', () => {
  it('applies monitor changes on SIGHUP, and never prints the secrets of its channels', async () => {
    const token = 'syt_sighup_token_never_printed';
    writeFileSync(join(dir, 'token'), token);
    const port = await freePort();
    const configPath = join(dir, 'serve.yaml');
    const yaml = (servers: readonly string[], interval: number): string =>
      [
        'server_name: serve.example.org',
        'listeners: [{ port: ' + port + ", bind_addresses: ['127.0.0.1'] }]",
        'logging: { level: debug }',
        'monitor:',
        `  servers: [${servers.join(', ')}]`,
        `  interval_seconds: ${interval}`,
        `  state_path: ${join(dir, 'serve-state.json')}`,
        '  notify:',
        `    matrix: { homeserver: "https://127.0.0.1:9", access_token_file: ${join(dir, 'token')}, room_id: "!r:example.org" }`,
      ].join('\n');
    writeFileSync(configPath, yaml([lab.name('restart')], 300));
    const serve = spawnCli(['serve', '--config', configPath, ...flags]);
    await serve.waitUntil(() => serve.stdout().includes('serving on'), 'serving');
    const api = async (): Promise<{ interval_seconds: number; servers: { server_name: string }[] }> =>
      JSON.parse((await send(`http://127.0.0.1:${port}/api/monitor`)).body) as {
        interval_seconds: number;
        servers: { server_name: string }[];
      };
    expect((await api()).servers.map((s) => s.server_name)).toEqual([lab.name('restart')]);

    writeFileSync(configPath, yaml([lab.name('other'), lab.name('restart')], 60));
    serve.child.kill('SIGHUP');
    let now = await api();
    await waitForAsync(async () => {
      now = await api();
      return now.servers.length === 2;
    }, 'the reloaded names');
    expect(now.servers.map((s) => s.server_name)).toEqual([lab.name('other'), lab.name('restart')]);
    expect(now.interval_seconds).toBe(60);
    await serve.stop('SIGTERM');
    expect(serve.stderr()).toContain('monitor: settings applied');
    expect(serve.stderr() + serve.stdout()).not.toContain(token);
  });
});
