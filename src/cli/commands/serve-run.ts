// The `serve` command's work: load the config, start the server, react to signals (loaded by commands/serve.ts on use).

import { formatConfigErrors, loadConfig, loadDefaultConfig } from '../../server/config/index.js';
import type { ConfigResult } from '../../server/config/index.js';
import { createServerLogger } from '../../server/logger.js';
import type { RunningServer } from '../../server/serve.js';
import { startServer } from '../../server/serve.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions } from '../network-flags.js';
import { printError } from '../print-error.js';
import { servingLine, validateNetworkFlags } from './serve.js';
import type { ServeDependencies, ServeFlags, ServeSignal, SignalSource } from './serve.js';

/** Runs `serve` until a stop signal, and sets the exit code. */
export async function runServeCommand(flags: ServeFlags, io: CliIo, setExit: (code: number) => void, deps: ServeDependencies): Promise<void> {
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
}
