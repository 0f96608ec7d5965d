// The watched names on the server's `/metrics`: the probe's gauges per `server_name`, and the notifications sent.

import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { createFederationGauges, setFederationGauges } from './probe-metrics.js';
import type { Monitor } from './monitor.js';
import type { DeliveryEvent } from './delivery.js';

/** The monitor's metrics in the server's registry. */
export interface MonitorMetrics {
  /** Counts a delivery attempt (`matrix_delegation_monitor_notifications_total{channel,result}`). */
  recordDelivery(event: DeliveryEvent): void;
}

/**
 * Registers the watched names' gauges in `registry`: the gauges of `/probe` (`matrix_federation_ok`, ...) with a
 * `server_name` label, plus `matrix_federation_consecutive_failures` and
 * `matrix_federation_last_check_timestamp_seconds`, all read from `monitor()` at scrape time (a name removed by a
 * reload disappears; a name not checked yet has no series), and the counter
 * `matrix_delegation_monitor_notifications_total{channel,result}` (`sent`, `failed`, `dropped`).
 *
 * @example
 * ```ts
 * const monitorMetrics = registerMonitorMetrics(metrics.registry, () => currentMonitor);
 * ```
 */
export function registerMonitorMetrics(registry: Registry, monitor: () => Monitor | null): MonitorMetrics {
  let failures: Gauge | null = null;
  let lastCheck: Gauge | null = null;
  const gauges = createFederationGauges(registry, ['server_name'], () => {
    for (const g of Object.values(gauges)) g.reset();
    failures?.reset();
    lastCheck?.reset();
    for (const watched of monitor()?.names() ?? []) {
      const last = watched.state?.last;
      if (last === undefined || last === null) continue;
      const labels = { server_name: watched.serverName };
      setFederationGauges(gauges, last, labels);
      failures?.set(labels, watched.state?.consecutiveFailures ?? 0);
      lastCheck?.set(labels, Math.floor(last.checkedAt / 1000));
    }
  });
  failures = new Gauge({
    name: 'matrix_federation_consecutive_failures',
    help: 'Failed checks in a row of a watched name (an alert goes out at monitor.failures_before_alert).',
    labelNames: ['server_name'],
    registers: [registry],
  });
  lastCheck = new Gauge({
    name: 'matrix_federation_last_check_timestamp_seconds',
    help: 'When a watched name was last checked, as a Unix timestamp.',
    labelNames: ['server_name'],
    registers: [registry],
  });
  const notifications = new Counter({
    name: 'matrix_delegation_monitor_notifications_total',
    help: 'Notification attempts of the monitor, by channel and result: sent, failed (retried later) or dropped (given up).',
    labelNames: ['channel', 'result'],
    registers: [registry],
  });
  return {
    recordDelivery(event) {
      notifications.inc({ channel: event.channel.name, result: event.outcome });
    },
  };
}
