// `matrix-delegation serve [--config FILE]`: the delegation server, with SIGHUP reload and graceful SIGTERM/SIGINT.

import type { Command } from 'commander';
import { parseDnsServer } from '../../dns/server-address.js';
import { createAddressPolicy } from '../../net/address-policy.js';
import { formatConfigErrors, loadConfig, loadDefaultConfig } from '../../server/config/index.js';
import type { ConfigResult } from '../../server/config/index.js';
import { createServerLogger } from '../../server/logger.js';
import type { RunningServer } from '../../server/serve.js';
import { startServer } from '../../server/serve.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { addNetworkFlags, networkOptions } from '../network-flags.js';
import type { NetworkFlagValues } from '../network-flags.js';
import { printError } from '../print-error.js';

interface ServeFlags extends NetworkFlagValues {
  readonly config?: string;
}

/** The signals `serve` reacts to. */
export type ServeSignal = 'SIGHUP' | 'SIGTERM' | 'SIGINT';

/** Where `serve` receives signals from: the process, or a test's emitter. */
export interface SignalSource {
  on(signal: ServeSignal, listener: () => void): unknown;
  off(signal: ServeSignal, listener: () => void): unknown;
}

/** Injected dependencies of the serve command (tests replace them). */
export interface ServeDependencies {
  /** [process] */
  readonly signals?: SignalSource;
  /** [startServer] */
  readonly start?: typeof startServer;
}

/** The line printed once per listening URL; scripts and tests wait for it. */
export function servingLine(url: string): string {
  return `matrix-delegation serving on ${url}\n`;
}

/** Checks the network flags now, so that a typo is a usage error at start and not a failure of every check. */
function validateNetworkFlags(flags: ServeFlags): void {
  for (const server of flags.dnsServer ?? []) parseDnsServer(server);
  if (flags.allowNetwork !== undefined) createAddressPolicy({ allowNetworks: flags.allowNetwork });
}

/**
 * Registers `serve`. Without `--config` it runs the built-in default config (HTTP on 127.0.0.1:8080, tester on).
 * A refused config exits 2 with every error (key, line, fix); a socket that cannot be bound exits 1. Then:
 * SIGHUP reloads the config file (a refused one is logged and the previous config stays), SIGTERM and SIGINT
 * shut down gracefully and exit 0 (a second one closes the remaining connections at once).
 */
export function registerServe(program: Command, io: CliIo, setExit: (code: number) => void, deps: ServeDependencies = {}): void {
  const command = program
    .command('serve')
    .description('serve /.well-known/matrix/{server,client,support}, the federation tester API and page, /health and /metrics')
    .option('--config <file>', 'YAML config (Synapse keys accepted); without it, a local demo on http://127.0.0.1:8080/');
  addNetworkFlags(command).action(async (flags: ServeFlags) => {
    const loaded: ConfigResult = flags.config === undefined ? loadDefaultConfig() : loadConfig(flags.config);
    if (!loaded.ok) {
      for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      printError(io, 'INVALID_CONFIG', formatConfigErrors(loaded.errors, flags.config).trimEnd());
      setExit(EXIT.usage);
      return;
    }
    validateNetworkFlags(flags);
    // Reads --ca-file; a bad one throws INVALID_ARGUMENT, which the program turns into exit 2.
    const checkOptions = networkOptions(flags);
    const logger = createServerLogger({ level: loaded.config.logging.level, destination: { write: (line) => io.stderr(line) } });
    for (const warning of loaded.warnings) logger.warn({ source: loaded.config.source }, warning);

    let server: RunningServer;
    try {
      server = await (deps.start ?? startServer)(loaded.config, { logger, checkOptions });
    } catch (error) {
      printError(io, 'LISTEN_FAILED', error instanceof Error ? error.message : String(error));
      setExit(EXIT.failure);
      return;
    }
    for (const url of server.urls) io.stdout(servingLine(url));

    const signals: SignalSource = deps.signals ?? process;
    const configPath = flags.config;
    await new Promise<void>((resolve) => {
      let stopping = false;
      const onHangup = (): void => {
        if (configPath === undefined) {
          logger.info('SIGHUP: running on the built-in config, nothing to reload');
          return;
        }
        const next = loadConfig(configPath);
        if (!next.ok) {
          server.metrics.configReloads.inc({ result: 'failure' });
          logger.error({ source: configPath, errors: next.errors.map((e) => ({ key: e.key, code: e.code, problem: e.problem, line: e.line })) }, `reload refused, the previous configuration stays in force: ${formatConfigErrors(next.errors, configPath).trimEnd()}`);
          return;
        }
        for (const warning of next.warnings) logger.warn({ source: configPath }, warning);
        try {
          server.reload(next.config);
        } catch {
          // reload() logged why and kept the previous configuration.
        }
      };
      const onStop = (signal: ServeSignal) => (): void => {
        if (stopping) {
          logger.warn({ signal }, 'second stop signal: closing the remaining connections now');
          void server.close({ timeoutMs: 0 });
          return;
        }
        stopping = true;
        logger.info({ signal }, 'stop signal received: finishing the requests in flight');
        void server.close().then(() => {
          // Unregistered once closed, so an embedding program gets the default signal behaviour back.
          signals.off('SIGHUP', onHangup);
          signals.off('SIGTERM', onTerm);
          signals.off('SIGINT', onInt);
          resolve();
        });
      };
      const onTerm = onStop('SIGTERM');
      const onInt = onStop('SIGINT');
      signals.on('SIGHUP', onHangup);
      signals.on('SIGTERM', onTerm);
      signals.on('SIGINT', onInt);
    });
    setExit(EXIT.ok);
  });
}
