// A monitor from a validated config: the state store `cache_store` and `monitor.state_path` name, the channels, the schedule.

import type { CheckOptions } from '../checker/types.js';
import type { CacheStoreSettings, MonitorConfig } from '../config/types.js';
import { createChannels } from './channels/create.js';
import type { NotificationChannel } from './channels/types.js';
import type { DeliveryEvent, RetrySettings } from './delivery.js';
import { defaultStatePath, openFileStateStore } from './file-state-store.js';
import { createMonitor } from './monitor.js';
import type { Monitor, MonitorCheckEvent } from './monitor.js';
import { createRedisStateStore } from './redis-state-store.js';
import { createMemoryStateStore } from './state-store.js';
import type { MonitorStateStore } from './state-store.js';
import type { MonitorCheckFunction, MonitorLogger } from './types.js';

/** Where the state goes: the config's choice (`cache_store`, `state_path`), or memory (`watch` without a file). */
export type StateStoreChoice =
  | { readonly kind: 'config'; readonly cacheStore: CacheStoreSettings }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'memory' };

/** Options of {@link startMonitor}. */
export interface StartMonitorOptions {
  readonly store: StateStoreChoice;
  readonly checkOptions?: CheckOptions;
  readonly check?: MonitorCheckFunction;
  readonly logger?: MonitorLogger;
  /** CA certificates the channels trust instead of the system's (tests). */
  readonly channelCa?: readonly string[];
  /** See {@link MonitorOptions.intervalMs}. */
  readonly intervalMs?: number;
  readonly retry?: Partial<RetrySettings>;
  readonly onCheck?: (event: MonitorCheckEvent) => void;
  readonly onDelivery?: (event: DeliveryEvent) => void;
  /** The environment for the default state path [process.env]. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Opens the state store: Redis with `cache_store: redis` (shared by every instance), else the file of
 * `monitor.state_path`, else the default file ({@link defaultStatePath}, its directory created).
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` when the state file cannot be used (another process holds it, its
 *   directory is missing or unwritable).
 */
export async function openStateStore(
  settings: MonitorConfig,
  choice: StateStoreChoice,
  logger?: MonitorLogger,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<MonitorStateStore> {
  if (choice.kind === 'memory') return createMemoryStateStore();
  if (choice.kind === 'file') return openFileStateStore({ path: choice.path, ...(logger ? { logger } : {}) });
  const { cacheStore } = choice;
  if (cacheStore.kind === 'redis' && cacheStore.url !== null)
    return createRedisStateStore({
      url: cacheStore.url,
      keyPrefix: cacheStore.keyPrefix,
      ...(logger ? { logger } : {}),
    });
  const path = settings.statePath ?? defaultStatePath(env);
  return openFileStateStore({ path, createDirectory: settings.statePath === null, ...(logger ? { logger } : {}) });
}

/** Builds the channels of a config (see `createChannels`). */
export function channelsOf(settings: MonitorConfig, ca?: readonly string[]): Promise<NotificationChannel[]> {
  return createChannels(settings.notify, ca === undefined ? {} : { ca });
}

/**
 * Starts a monitor for `settings`: opens the state store, builds the channels, and starts the schedule.
 *
 * @throws MatrixDelegationError `INVALID_CONFIG` when the state store cannot be opened.
 * @example
 * ```ts
 * const monitor = await startMonitor(config.monitor, { store: { kind: 'config', cacheStore: config.cacheStore }, logger });
 * ```
 */
export async function startMonitor(settings: MonitorConfig, options: StartMonitorOptions): Promise<Monitor> {
  const store = await openStateStore(settings, options.store, options.logger, options.env);
  let channels: NotificationChannel[];
  try {
    channels = await channelsOf(settings, options.channelCa);
  } catch (error) {
    await store.close();
    throw error;
  }
  options.logger?.info(
    {
      servers: settings.servers.length,
      intervalSeconds: options.intervalMs === undefined ? settings.intervalSeconds : options.intervalMs / 1000,
      store: store.kind,
      where: store.where,
      channels: channels.map((c) => ({ channel: c.name, target: c.target })),
    },
    'monitor: watching',
  );
  return createMonitor({
    settings,
    store,
    channels,
    ...(options.checkOptions ? { checkOptions: options.checkOptions } : {}),
    ...(options.check ? { check: options.check } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.onCheck ? { onCheck: options.onCheck } : {}),
    ...(options.onDelivery ? { onDelivery: options.onDelivery } : {}),
  });
}
