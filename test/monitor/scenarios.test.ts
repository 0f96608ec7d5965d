// The lab scenarios, through `serve` with a monitor: silence while healthy, one alert and one recovery per channel, one expiry warning.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import type { RunningServer } from '../../src/server/serve.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import { captureLogger, testConfig } from '../server/http-helpers.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { startMatrixReceiver, startSmtpSink, startWebhookReceiver } from './receivers.js';
import { waitFor } from './wait.js';

const TOKEN = 'syt_monitor_bot_token_1234';
const SMTP_PASSWORD = 'smtp password 5678';
const BROKEN = ['wellknown', 'certificate', 'silent'] as const;

let dir: string;
let lab: MonitorLab;
let server: RunningServer;
let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
let matrix: Awaited<ReturnType<typeof startMatrixReceiver>>;
let logLines: Record<string, unknown>[];

/** What each channel received about `serverName`, as a list of event kinds. */
function kinds(serverName: string): { webhook: string[]; email: string[]; matrix: string[] } {
  return {
    webhook: webhook.received
      .map((r) => JSON.parse(r.body) as { server_name: string; event: string })
      .filter((b) => b.server_name === serverName)
      .map((b) => b.event),
    email: smtp.received
      .filter((m) => m.subject.includes(`${serverName}:`))
      .map((m) => /^X-Matrix-Delegation-Event:\s*(\S+)/im.exec(m.raw)?.[1] ?? '?'),
    matrix: matrix.events
      .filter((e) => (e.content as { body: string }).body.startsWith(`${serverName}:`))
      .map((e) => {
        const body = (e.content as { body: string }).body;
        return body.includes('is failing')
          ? 'failing'
          : body.includes('works again')
            ? 'recovered'
            : body.includes('expires')
              ? 'certificate-expiring'
              : body;
      }),
  };
}

const checksOf = (server: RunningServer, name: string): { failures: number; ok: boolean | null } => {
  const w = server.monitor?.name(name);
  return { failures: w?.state?.consecutiveFailures ?? 0, ok: w?.state?.last?.ok ?? null };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'md-monitor-'));
  const ca = await createCertificateAuthority();
  [lab, webhook, smtp, matrix] = await Promise.all([
    startMonitorLab({ names: ['healthy', ...BROKEN], expiring: ['expiring'] }),
    startWebhookReceiver(ca),
    startSmtpSink(ca, { user: 'monitor@example.org', password: SMTP_PASSWORD }),
    startMatrixReceiver(ca, { token: TOKEN, rateLimitOnceMs: 150 }),
  ]);
  writeFileSync(join(dir, 'bot-token'), `${TOKEN}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'smtp-password'), `${SMTP_PASSWORD}\n`, { mode: 0o600 });
  const names = ['healthy', ...BROKEN, 'expiring'].map((p) => lab.name(p));
  const config = testConfig(
    [
      'server_name: monitor.example.org',
      'metrics: {enabled: true}',
      'tester: {enabled: true}',
      'monitor:',
      `  servers: [${names.join(', ')}]`,
      '  failures_before_alert: 2',
      '  certificate_warning_days: 14',
      '  page_url: https://tester.example.org/',
      `  state_path: ${join(dir, 'state.json')}`,
      '  notify:',
      `    webhook: { url: "${webhook.url}" }`,
      '    email:',
      `      smtp_url: ${smtp.url}`,
      '      username: monitor@example.org',
      `      password_file: ${join(dir, 'smtp-password')}`,
      '      from: "matrix-delegation <monitor@example.org>"',
      '      to: [admin@example.org]',
      '    matrix:',
      `      homeserver: ${matrix.url}`,
      `      access_token_file: ${join(dir, 'bot-token')}`,
      `      room_id: "!ops:example.org"`,
    ].join('\n'),
  );
  const captured = captureLogger('debug');
  logLines = captured.lines;
  server = await startServer(config, {
    logger: captured.logger,
    checkOptions: lab.checkOptions(),
    monitor: { intervalMs: 300, channelCa: [ca.certPem], retry: { baseDelayMs: 100 } },
  });
});

afterAll(async () => {
  await server?.close({ timeoutMs: 0 });
  await Promise.all([lab?.close(), webhook?.close(), smtp?.close(), matrix?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the monitor in serve, against the lab', () => {
  it('stays silent while healthy, alerts once per channel after failures_before_alert checks, recovers once, warns once of an expiring certificate', async () => {
    const healthy = lab.name('healthy');
    const broken = BROKEN.map((p) => lab.name(p));
    const expiring = lab.name('expiring');
    const all = [healthy, ...broken, expiring];
    const lastCheck = (n: string): number => server.monitor?.name(n)?.state?.last?.checkedAt ?? 0;
    // Two working checks of every name first.
    await waitFor(() => all.every((n) => checksOf(server, n).ok === true), 'every name checked and working');
    const first = new Map(all.map((n) => [n, lastCheck(n)]));
    await waitFor(
      () => all.every((n) => checksOf(server, n).ok === true && lastCheck(n) > first.get(n)!),
      'a second working check of every name',
    );
    expect(kinds(healthy)).toEqual({ webhook: [], email: [], matrix: [] });
    for (const name of broken) expect(kinds(name)).toEqual({ webhook: [], email: [], matrix: [] });

    // Break each name its own way.
    lab.setWellKnown('wellknown', false);
    lab.setCertificateWithoutName('certificate', true);
    lab.setSilentAddress('silent', true);
    // Past the threshold (2) by two more failed checks: still one alert.
    await waitFor(
      () => broken.every((n) => checksOf(server, n).failures >= 4),
      'four failed checks of each broken name',
    );
    await waitFor(
      () => broken.every((n) => Object.values(kinds(n)).every((k) => k.length === 1)),
      'the alerts delivered',
    );
    for (const name of broken)
      expect(kinds(name), name).toEqual({ webhook: ['failing'], email: ['failing'], matrix: ['failing'] });
    // The alert went out with the second failure, the threshold.
    for (const name of broken) {
      const body = webhook.received
        .map((r) => JSON.parse(r.body) as { server_name: string; consecutive_failures: number; state: string })
        .find((b) => b.server_name === name);
      expect(body).toMatchObject({ consecutive_failures: 2, state: 'failing' });
    }

    // Fix them: one recovery each, after which they stay quiet.
    lab.setWellKnown('wellknown', true);
    lab.setCertificateWithoutName('certificate', false);
    lab.setSilentAddress('silent', false);
    const after = new Map(broken.map((n) => [n, server.monitor?.name(n)?.state?.last?.checkedAt ?? 0]));
    await waitFor(
      () =>
        broken.every(
          (n) =>
            checksOf(server, n).ok === true &&
            (server.monitor?.name(n)?.state?.last?.checkedAt ?? 0) > after.get(n)! + 600,
        ),
      'the fixed names working for a while',
    );
    await waitFor(
      () => broken.every((n) => Object.values(kinds(n)).every((k) => k.length === 2)),
      'the recoveries delivered',
    );
    for (const name of broken)
      expect(kinds(name), name).toEqual({
        webhook: ['failing', 'recovered'],
        email: ['failing', 'recovered'],
        matrix: ['failing', 'recovered'],
      });
    // The healthy name never made a sound; the expiring certificate was warned about once, on every channel.
    expect(kinds(healthy)).toEqual({ webhook: [], email: [], matrix: [] });
    expect(kinds(expiring)).toEqual({
      webhook: ['certificate-expiring'],
      email: ['certificate-expiring'],
      matrix: ['certificate-expiring'],
    });
    // Every Matrix send of one notification used one transaction ID (the rate-limited first one was repeated).
    const txns = matrix.received.filter((r) => r.status === 200).map((r) => r.txnId);
    expect(new Set(txns).size).toBe(matrix.events.length);
    // Secrets never reach the log.
    const log = JSON.stringify(logLines);
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(SMTP_PASSWORD);
    expect(log).not.toContain('s3cret-hook-token');
  });
});
