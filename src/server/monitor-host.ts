// The monitor inside `serve`: started with the config's `monitor:` section, updated by reloads, stopped with the server.

import type { CheckOptions } from '../checker/types.js';
import type { ServeConfig, TesterConfig } from '../config/types.js';
import { DEFAULT_LOCALE } from '../i18n/locale.js';
import type { RetrySettings } from '../monitor/delivery.js';
import type { Monitor } from '../monitor/monitor.js';
import type { MonitorMetrics } from '../monitor/metrics.js';
import type * as MonitorStart from '../monitor/start.js';
import type { MonitorCheckFunction } from '../monitor/types.js';
import type { ServerLogger } from './logger.js';
import type { ServerMetrics } from './metrics.js';
import { testerCheckOptions } from './tester/check-options.js';

/** Test and embedding options of the monitor in `serve` (`StartServerOptions.monitor`). */
export interface ServeMonitorOptions {
  /** Replaces `monitor.interval_seconds`, in ms (tests: below the 5 s the config allows). */
  readonly intervalMs?: number;
  /** CA certificates the notification channels trust instead of the system's (tests with a lab CA). */
  readonly channelCa?: readonly string[];
  /** The back-off of failed deliveries. */
  readonly retry?: Partial<RetrySettings>;
  /** The environment for the default state path [process.env]. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What the host needs from the server. */
export interface MonitorHostOptions extends ServeMonitorOptions {
  readonly logger: ServerLogger;
  readonly metrics: ServerMetrics;
  /** The command line's (or a lab's) checker options, over the tester's network settings. */
  readonly checkOptions?: CheckOptions;
  readonly check?: MonitorCheckFunction;
}

/** The monitor of a running server. */
export interface MonitorHost {
  /** The monitor running now, or null (no `monitor:` section, or not started yet). */
  current(): Monitor | null;
  /** Starts the monitor of `config` (nothing without a `monitor:` section). Rejects when its state cannot be opened. */
  start(config: ServeConfig): Promise<void>;
  /**
   * Applies a reload: starts, updates or stops the monitor. Resolves when applied; never rejects (a failure is
   * logged, and the previous monitor, if any, keeps running).
   */
  reload(previous: ServeConfig, next: ServeConfig): Promise<void>;
  close(): Promise<void>;
}

/**
 * Hosts the monitor of `serve`. The monitor's code (and the checker, nodemailer) is loaded only when the config has a
 * `monitor:` section. The checks use the tester's network settings (`tester.dns_servers`, `allow_networks`, `ca_file`,
 * `timeout_ms`: the same deny-list and trust as the tester, whether or not the tester is enabled) and the command
 * line's overrides. A reload that changes `cache_store` or `monitor.state_path` moves the monitor to the new store:
 * the old monitor stops and a new one starts on the new store (states are not carried over).
 */
export function createMonitorHost(options: MonitorHostOptions): MonitorHost {
  const { logger } = options;
  let monitor: Monitor | null = null;
  let monitorMetrics: MonitorMetrics | null = null;
  let module: Promise<typeof MonitorStart> | null = null;
  let queue: Promise<void> = Promise.resolve();
  let closed = false;

  /**
   * The monitor's checks: the tester's settings and the command line's, in English (its stored reports and
   * notifications are English; `/api/monitor` in another language makes the texts again, monitor-locale.ts).
   */
  const monitorCheckOptions = (tester: TesterConfig): CheckOptions => ({
    ...testerCheckOptions(tester, options.checkOptions),
    locale: DEFAULT_LOCALE,
  });

  const load = async (): Promise<typeof MonitorStart> => {
    module ??= import('../monitor/start.js');
    const loaded = await module;
    if (monitorMetrics === null) {
      const { registerMonitorMetrics } = await import('../monitor/metrics.js');
      monitorMetrics = registerMonitorMetrics(options.metrics.registry, () => monitor);
    }
    return loaded;
  };

  const launch = async (config: ServeConfig): Promise<Monitor | null> => {
    if (config.monitor === null) return null;
    const { startMonitor } = await load();
    return startMonitor(config.monitor, {
      store: { kind: 'config', cacheStore: config.cacheStore },
      checkOptions: monitorCheckOptions(config.tester),
      logger,
      ...(options.check ? { check: options.check } : {}),
      ...(options.channelCa ? { channelCa: options.channelCa } : {}),
      ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.env ? { env: options.env } : {}),
      onDelivery: (event) => monitorMetrics?.recordDelivery(event),
    });
  };

  /** Whether a reload needs a new state store (and so a new monitor). */
  const sameStore = (a: ServeConfig, b: ServeConfig): boolean =>
    JSON.stringify(a.cacheStore) === JSON.stringify(b.cacheStore) && a.monitor?.statePath === b.monitor?.statePath;

  const apply = async (previous: ServeConfig, next: ServeConfig): Promise<void> => {
    if (closed) return;
    if (next.monitor === null) {
      if (monitor !== null) {
        const stopping = monitor;
        monitor = null;
        await stopping.close();
        logger.info('monitor: stopped (the configuration has no monitor section any more)');
      }
      return;
    }
    if (monitor !== null && sameStore(previous, next)) {
      const { channelsOf } = await load();
      const channels = await channelsOf(next.monitor, options.channelCa);
      monitor.update(next.monitor, channels, monitorCheckOptions(next.tester));
      return;
    }
    // A new monitor first (on the new store): if it cannot start, the running one goes on.
    const started = await launch(next);
    const stopping = monitor;
    monitor = started;
    await stopping?.close();
  };

  return {
    current: () => monitor,
    async start(config) {
      monitor = await launch(config);
    },
    reload(previous, next) {
      queue = queue
        .then(() => apply(previous, next))
        .catch((error: unknown) =>
          logger.error({ err: error }, 'monitor: the new settings cannot be applied; the previous ones stay in force'),
        );
      return queue;
    },
    async close() {
      closed = true;
      await queue;
      const stopping = monitor;
      monitor = null;
      await stopping?.close();
    },
  };
}
