// startServer(): the delegation server (well-known documents, tester API, web page, health, metrics) as a library.

import type { ServerResponse } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { fileURLToPath } from 'node:url';
import type { DestinationStream } from 'pino';
import { createCacheStore } from '../cache/create-store.js';
import type { CacheStore } from '../cache/types.js';
import type { CheckOptions } from '../checker/types.js';
import { MatrixDelegationError } from '../errors.js';
import type { CacheStoreSettings, ServeConfig } from '../config/types.js';
import { prepareWellKnownDocuments } from '../config/documents.js';
import type { AppState } from './http/context.js';
import { DEFAULT_HTTP_LIMITS, bindListeners, secureContextOptions } from './http/listeners.js';
import type { BoundListener, HttpLimits } from './http/listeners.js';
import { createRequestListener } from './http/request-listener.js';
import { loadStaticSite } from './http/static-files.js';
import type { StaticSite } from './http/static-files.js';
import { createServerLogger } from './logger.js';
import type { ServerLogger } from './logger.js';
import { createServerMetrics } from './metrics.js';
import type { ServerMetrics } from './metrics.js';
import type { Monitor } from '../monitor/monitor.js';
import { createMonitorHost } from './monitor-host.js';
import type { MonitorHost, ServeMonitorOptions } from './monitor-host.js';
import { createRedisOutageLog } from './tester/redis-outage.js';
import { createTesterRunner } from './tester/runner.js';
import type { CheckFunction, TesterRunner } from './tester/runner.js';
import { createTesterRedis } from './tester/shared-redis.js';
import type { TesterRedis } from './tester/shared-redis.js';

/** The web page's directory in the package: `web/` beside `src/` and `dist/` (this file is two levels down in both). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/** How long a graceful shutdown waits for requests in flight before closing their connections [10 s]. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

/** Options of {@link startServer}; everything has a default. */
export interface StartServerOptions {
  /** The logger [a pino logger at `config.logging.level` writing to `logDestination`]. */
  readonly logger?: ServerLogger;
  /** Where the default logger writes JSON lines [standard error]. */
  readonly logDestination?: DestinationStream;
  /** The web page's directory, read once at start [{@link DEFAULT_WEB_ROOT}]. */
  readonly webRoot?: string;
  /**
   * Checker options that replace the config's tester network settings key by key: the command line's
   * `--dns-server`, `--allow-network`, `--ca-file`, `--timeout-ms`, or a test lab's `lab.clientOptions()`.
   * They stay in force across reloads.
   */
  readonly checkOptions?: CheckOptions;
  /** The check the tester runs [checkServer]. */
  readonly check?: CheckFunction;
  /** Bound of a graceful shutdown [{@link DEFAULT_SHUTDOWN_TIMEOUT_MS}]. */
  readonly shutdownTimeoutMs?: number;
  /** Request limits and timeouts [{@link DEFAULT_HTTP_LIMITS}]. */
  readonly limits?: Partial<HttpLimits>;
  /** Options of the monitor (`monitor:`): a shorter interval, the channels' CA (tests). */
  readonly monitor?: ServeMonitorOptions;
}

/** What a reload did besides applying the new configuration. */
export interface ReloadResult {
  /** Settings that changed but need a restart (listeners), or could not be applied (no certificate). */
  readonly warnings: readonly string[];
}

/** One socket the server listens on. */
export interface ListeningAddress {
  readonly url: string;
  readonly address: string;
  readonly port: number;
  readonly tls: boolean;
}

/** A running server. */
export interface RunningServer {
  /** One URL per bound socket, e.g. `http://127.0.0.1:8080/`. */
  readonly urls: readonly string[];
  readonly listeners: readonly ListeningAddress[];
  /** The configuration in force (the last one a reload accepted). */
  readonly config: ServeConfig;
  readonly metrics: ServerMetrics;
  readonly logger: ServerLogger;
  /** The monitor of the `monitor:` section running now (a reload applies its changes shortly after), or null. */
  readonly monitor: Monitor | null;
  /**
   * Applies a new configuration without dropping a request: documents, tester settings, log level, metrics
   * switch, `cache_store` (a new store replaces the old one, which is closed; cached results are not carried
   * over), the monitor (`monitor:`: names, interval, thresholds and channels, applied in the background right
   * after; see {@link RunningServer.monitor}), and the TLS certificate (new connections get it; open ones keep
   * theirs). Listener changes (ports, addresses, TLS on or off) need a restart: they are reported in `warnings`, the
   * rest is applied.
   *
   * @throws MatrixDelegationError `INVALID_CONFIG` when the new certificate and key, or the new `cache_store`,
   *   cannot be used; nothing is changed then, the previous configuration stays in force.
   */
  reload(config: ServeConfig): ReloadResult;
  /**
   * Graceful shutdown: stops accepting connections, answers the requests in flight (with `Connection: close`),
   * closes idle keep-alive connections, and after `timeoutMs` [the start option] closes whatever is left and
   * aborts running checks. Idempotent; a second call with a shorter `timeoutMs` (0: at once) hastens it.
   */
  close(options?: { readonly timeoutMs?: number }): Promise<void>;
}

function sameListeners(a: ServeConfig, b: ServeConfig): boolean {
  return JSON.stringify(a.listeners) === JSON.stringify(b.listeners);
}

function sameCacheStore(a: ServeConfig, b: ServeConfig): boolean {
  return JSON.stringify(a.cacheStore) === JSON.stringify(b.cacheStore);
}

/** What `cache_store` opens: the results' store, and with Redis the tester's own connections to it. */
interface SharedState {
  readonly store: CacheStore;
  readonly redis: TesterRedis | null;
}

/**
 * Opens what `cache_store` names: the store of the tester's results and, for Redis, the tester's connections that
 * keep the per-client rate limit and the in-flight markers in the same Redis. A Redis store connects on first use
 * and falls back to its local LRU whenever Redis is unreachable, as the limit falls back to a per-instance one and
 * the markers to checking on one's own; the outage and the recovery are logged once each for all of them.
 */
function openShared(settings: CacheStoreSettings, logger: ServerLogger): SharedState {
  if (settings.kind !== 'redis' || settings.url === null) {
    return {
      store: createCacheStore(
        { kind: settings.kind, maxEntries: settings.maxEntries, maxBytes: settings.maxBytes },
        { logger },
      ),
      redis: null,
    };
  }
  const outage = createRedisOutageLog(logger, describeStore(settings));
  const store = createCacheStore(
    {
      kind: 'redis',
      url: settings.url,
      keyPrefix: settings.keyPrefix,
      maxEntries: settings.maxEntries,
      maxBytes: settings.maxBytes,
    },
    { logger: outage.storeLogger },
  );
  const redis = createTesterRedis({
    url: settings.url,
    keyPrefix: settings.keyPrefix,
    onDown: outage.down,
    onUp: outage.up,
  });
  return { store, redis };
}

/** Closes what {@link openShared} opened; never rejects. */
async function closeShared(shared: SharedState, logger: ServerLogger, what: string): Promise<void> {
  await Promise.all([
    shared.store.close().catch((error: unknown) => logger.warn({ err: error }, `closing ${what} failed`)),
    shared.redis?.close(),
  ]);
}

/** Where a store points, for log lines (never the Redis password). */
function describeStore(settings: CacheStoreSettings): Record<string, unknown> {
  if (settings.kind !== 'redis' || settings.url === null) return { cacheStore: settings.kind };
  let redis = '(unparseable URL)';
  try {
    const url = new URL(settings.url);
    if (url.password !== '') url.password = '***';
    redis = url.toString();
  } catch {
    // a config built in code, not validated: the kind is enough
  }
  return { cacheStore: settings.kind, redis, keyPrefix: settings.keyPrefix };
}

/**
 * Starts the delegation server on every listener of `config`. The library entry of `serve`: it installs no
 * signal handlers and touches no process-wide state; the CLI wires SIGHUP to {@link RunningServer.reload} and
 * SIGTERM/SIGINT to {@link RunningServer.close}.
 *
 * @throws Error with the system `code` (e.g. `EADDRINUSE`) when a socket cannot be bound; nothing stays open.
 * @example
 * ```ts
 * const { config } = loadConfigOrThrow('/etc/matrix-delegation/serve.yaml');
 * const server = await startServer(config);
 * console.log(server.urls); // ['https://[::]:443/', 'https://0.0.0.0:443/']
 * process.on('SIGHUP', () => server.reload(loadConfigOrThrow('/etc/matrix-delegation/serve.yaml').config));
 * process.on('SIGTERM', () => void server.close());
 * ```
 */
export async function startServer(config: ServeConfig, options: StartServerOptions = {}): Promise<RunningServer> {
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const logger =
    options.logger ??
    createServerLogger({
      level: config.logging.level,
      ...(options.logDestination ? { destination: options.logDestination } : {}),
    });
  const metrics = createServerMetrics();
  const site: StaticSite = loadStaticSite(options.webRoot ?? DEFAULT_WEB_ROOT);
  for (const warning of site.warnings) logger.warn({ webRoot: options.webRoot ?? DEFAULT_WEB_ROOT }, warning);
  if (site.root === null)
    logger.info(
      { webRoot: options.webRoot ?? DEFAULT_WEB_ROOT },
      'no index.html in the web root: serving the placeholder page',
    );
  // The tester's results: in memory, or in Redis so that instances behind a load balancer share them (with the
  // rate limits and the in-flight markers).
  let shared: SharedState = openShared(config.cacheStore, logger);
  const runner: TesterRunner = createTesterRunner({
    settings: config.tester,
    store: shared.store,
    redis: shared.redis,
    metrics,
    logger,
    ...(options.checkOptions ? { checkOptions: options.checkOptions } : {}),
    ...(options.check ? { check: options.check } : {}),
  });

  // The monitor of `monitor:` (its code loads only then); a state it cannot open refuses the start.
  const monitorHost: MonitorHost = createMonitorHost({
    logger,
    metrics,
    ...(options.checkOptions ? { checkOptions: options.checkOptions } : {}),
    ...(options.check ? { check: options.check } : {}),
    ...options.monitor,
  });
  try {
    await monitorHost.start(config);
  } catch (error) {
    await closeShared(shared, logger, 'the cache store');
    throw error;
  }

  let shuttingDown = false;
  const active = new Set<ServerResponse>();
  const makeState = (next: ServeConfig): AppState => ({
    config: next,
    documents: prepareWellKnownDocuments(next),
    site,
    runner,
    metrics,
    logger,
    isShuttingDown: () => shuttingDown,
    monitor: () => monitorHost.current(),
  });
  let state = makeState(config);

  const listener = createRequestListener(() => state, {
    maxUrlLength: limits.maxUrlLength,
    onResponse: (res) => {
      // During a shutdown, tell keep-alive clients not to send another request on this connection.
      if (shuttingDown) res.setHeader('connection', 'close');
      active.add(res);
      res.once('close', () => active.delete(res));
    },
  });
  let bound: BoundListener[];
  try {
    bound = await bindListeners(config, listener, { limits, logger, metrics });
  } catch (error) {
    // Nothing stays open when the server cannot start (a Redis store holds a connection once used).
    await Promise.all([closeShared(shared, logger, 'the cache store'), monitorHost.close()]);
    throw error;
  }
  const listeners: ListeningAddress[] = bound.map(({ url, address, port, tls }) => ({ url, address, port, tls }));
  logger.info(
    {
      urls: listeners.map((l) => l.url),
      source: config.source,
      tester: config.tester.enabled,
      ...describeStore(config.cacheStore),
    },
    'listening',
  );

  let closing: Promise<void> | null = null;
  let forceTimer: NodeJS.Timeout | undefined;
  const force = (): void => {
    // closeAllConnections() reaches only what the HTTP layer has seen; the guard also holds the connections
    // still in a TLS handshake or before their first byte, and destroying the raw socket ends any of them.
    for (const b of bound) {
      b.server.closeAllConnections();
      b.connections.destroyAll();
    }
    runner.abortAll();
  };

  return {
    urls: listeners.map((l) => l.url),
    listeners,
    get config() {
      return state.config;
    },
    get monitor() {
      return monitorHost.current();
    },
    metrics,
    logger,
    reload(next) {
      const warnings: string[] = [];
      const tlsServers = bound.filter((b) => b.tls);
      if (!sameListeners(state.config, next))
        warnings.push('the listeners changed: restart the server to apply listener changes (the old listeners stay)');
      let tlsOptions = null;
      if (tlsServers.length > 0) {
        if (next.tls === null)
          warnings.push('the new configuration has no certificate: the TLS listeners keep the previous one');
        else {
          tlsOptions = secureContextOptions(next.tls);
          try {
            // Built once here only to find out whether the pair is usable before anything is changed.
            createSecureContext(tlsOptions);
          } catch (cause) {
            metrics.configReloads.inc({ result: 'failure' });
            const message = `the new certificate or key cannot be used (${(cause as Error).message}); the previous configuration stays in force`;
            logger.error({ source: next.source }, message);
            throw new MatrixDelegationError('INVALID_CONFIG', message, { cause });
          }
        }
      }
      const nextState = makeState(next);
      // A changed cache_store is applied at once: the new store is opened before anything changes (a mistake
      // refuses the whole reload), the old one closed once the runner has let go of it. Results in the old store
      // are not carried over; at worst each name is checked once more.
      let nextShared: SharedState | null = null;
      if (!sameCacheStore(state.config, next)) {
        try {
          nextShared = openShared(next.cacheStore, logger);
        } catch (cause) {
          metrics.configReloads.inc({ result: 'failure' });
          const message = `the new cache_store cannot be used (${(cause as Error).message}); the previous configuration stays in force`;
          logger.error({ source: next.source }, message);
          throw new MatrixDelegationError('INVALID_CONFIG', message, { cause });
        }
      }
      if (tlsOptions !== null) for (const b of tlsServers) (b.server as HttpsServer).setSecureContext(tlsOptions);
      runner.update(next.tester);
      if (nextShared !== null) {
        const previous = shared;
        shared = nextShared;
        runner.setStore(nextShared.store, nextShared.redis);
        void closeShared(previous, logger, 'the previous cache store');
        logger.info({ ...describeStore(next.cacheStore) }, 'tester result cache store changed');
      }
      logger.level = next.logging.level;
      void monitorHost.reload(state.config, next);
      state = nextState;
      metrics.configReloads.inc({ result: 'success' });
      for (const warning of warnings) logger.warn({ source: next.source }, warning);
      logger.info({ source: next.source, certificateReloaded: tlsOptions !== null }, 'configuration reloaded');
      return { warnings };
    },
    close(closeOptions = {}) {
      const timeoutMs = closeOptions.timeoutMs ?? shutdownTimeoutMs;
      if (closing !== null) {
        if (timeoutMs <= 0) force();
        else if (closeOptions.timeoutMs !== undefined) {
          clearTimeout(forceTimer);
          forceTimer = setTimeout(force, timeoutMs);
        }
        return closing;
      }
      shuttingDown = true;
      logger.info({ inFlight: active.size, timeoutMs }, 'shutting down');
      // The monitor stops at once: no check starts during a shutdown, running ones are aborted.
      const monitorStopped = monitorHost.close();
      for (const res of active) if (!res.headersSent) res.setHeader('connection', 'close');
      closing = Promise.all(bound.map((b) => new Promise<void>((resolve) => b.server.close(() => resolve())))).then(
        async () => {
          clearTimeout(forceTimer);
          runner.abortAll();
          // After the last request: nothing reads the store any more (a Redis store closes its connections).
          await Promise.all([closeShared(shared, logger, 'the cache store'), monitorStopped]);
          logger.info('stopped');
        },
      );
      // server.close() closes the idle keep-alive connections; a connection that never sent a byte has nothing
      // in flight either (a TLS handshake not begun, no request), so it need not hold the shutdown.
      for (const b of bound) b.connections.closeSilent();
      if (timeoutMs <= 0) force();
      else forceTimer = setTimeout(force, timeoutMs);
      return closing;
    },
  };
}
