// The config's thresholds decide, not the defaults: with failures_before_alert: 3 the alert waits for the third failed
// check, and with certificate_warning_days: 3 a certificate 5 days from its end (warned about at the default 14 in
// scenarios.test.ts) is no warning. From the config text to the webhook, against the lab.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigOrThrow } from '../../src/config/index.js';
import { startMonitor } from '../../src/monitor/start.js';
import type { Monitor, MonitorCheckEvent } from '../../src/monitor/monitor.js';
import { createCertificateAuthority } from '../../src/testing/index.js';
import { startMonitorLab } from './monitor-lab.js';
import type { MonitorLab } from './monitor-lab.js';
import { startWebhookReceiver } from './receivers.js';
import { waitFor } from './wait.js';

let lab: MonitorLab;
let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
let monitor: Monitor;
const events: MonitorCheckEvent[] = [];

beforeAll(async () => {
  const ca = await createCertificateAuthority();
  [lab, webhook] = await Promise.all([
    startMonitorLab({ names: ['thrice'], expiring: ['soon'] }),
    startWebhookReceiver(ca),
  ]);
  const { config } = parseConfigOrThrow(
    [
      'server_name: monitor.example.org',
      'monitor:',
      `  servers: [${lab.name('thrice')}, ${lab.name('soon')}]`,
      '  failures_before_alert: 3',
      '  certificate_warning_days: 3',
      '  notify:',
      `    webhook: { url: "${webhook.url}" }`,
    ].join('\n'),
  );
  monitor = await startMonitor(config.monitor!, {
    store: { kind: 'memory' },
    checkOptions: lab.checkOptions(),
    channelCa: [ca.certPem],
    intervalMs: 250,
    retry: { baseDelayMs: 100 },
    onCheck: (event) => events.push(event),
  });
});

afterAll(async () => {
  await monitor?.close();
  await Promise.all([lab?.close(), webhook?.close()]);
});

const checksOf = (name: string): MonitorCheckEvent[] => events.filter((e) => e.serverName === name);
const received = (name: string): { event: string; consecutive_failures: number }[] =>
  webhook.received
    .map((r) => JSON.parse(r.body) as { server_name: string; event: string; consecutive_failures: number })
    .filter((b) => b.server_name === name);

describe('the thresholds of the monitor: section', () => {
  it('failures_before_alert: 3 alerts with the third failed check, not the second', async () => {
    const name = lab.name('thrice');
    await waitFor(() => checksOf(name).some((e) => e.observation.ok), 'a working check');
    lab.setCertificateWithoutName('thrice', true);
    await waitFor(() => (monitor.name(name)?.state?.consecutiveFailures ?? 0) >= 4, 'four failed checks');
    const failed = checksOf(name).filter((e) => !e.observation.ok);
    // The notifications each check made: none with the first two failures, the alert with the third, then nothing.
    expect(failed.slice(0, 4).map((e) => e.notifications.map((n) => n.kind))).toEqual([[], [], ['failing'], []]);
    await waitFor(() => received(name).length >= 1, 'the alert delivered');
    expect(received(name)).toEqual([expect.objectContaining({ event: 'failing', consecutive_failures: 3 })]);
  });

  it('certificate_warning_days: 3 gives no warning for a certificate 5 days from its end', async () => {
    const name = lab.name('soon');
    // The lab's certificate for it ends within 5 days, more than 3 days away.
    const daysLeft = (lab.certificateNotAfter('soon').getTime() - Date.now()) / 86_400_000;
    expect(daysLeft).toBeGreaterThan(3);
    expect(daysLeft).toBeLessThanOrEqual(5);
    await waitFor(() => checksOf(name).filter((e) => e.observation.ok).length >= 3, 'three working checks');
    expect(checksOf(name).flatMap((e) => e.notifications)).toEqual([]);
    expect(received(name)).toEqual([]);
    // The certificate the monitor saw is the one that ends within 5 days.
    expect(monitor.name(name)?.state?.last?.certificateExpiresAt).toBe(lab.certificateNotAfter('soon').getTime());
  });
});
