// The `serve` command's work: load the config, start the server, react to signals (loaded by commands/serve.ts on use).

import { parseDnsServer } from '../../dns/server-address.js';
import { createAddressPolicy } from '../../net/address-policy.js';
import { formatConfigErrors, loadConfigAsync, loadDefaultConfig } from '../../config/index.js';
import type { ConfigResult } from '../../config/index.js';
import { createServerLogger } from '../../server/logger.js';
import type { RunningServer } from '../../server/serve.js';
import { DEFAULT_SHUTDOWN_TIMEOUT_MS, startServer } from '../../server/serve.js';
import { DEFAULT_LOCALE } from '../../i18n/locale.js';
import type { Locale } from '../../i18n/locale.js';
import { cliText } from '../cli-texts.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions } from '../network-options.js';
import { printError } from '../print-error.js';
import type { ServeDependencies, ServeFlags, ServeSignal, SignalSource } from './serve-flags.js';

/**
 * The line printed once per listening URL, in `locale` ['en']; scripts and tests wait for it (a script that reads it
 * runs `serve --lang en`, or finds the URL in it: it is the one `http://` or `https://` word in every language).
 */
export function servingLine(url: string, locale: Locale = DEFAULT_LOCALE): string {
  return `${cliText(locale, 'serving', { url })}\n`;
}

/** Checks the network flags now, so that a typo is a usage error at start and not a failure of every check. */
export function validateNetworkFlags(flags: ServeFlags): void {
  for (const server of flags.dnsServer ?? []) parseDnsServer(server);
  if (flags.allowNetwork !== undefined) createAddressPolicy({ allowNetworks: flags.allowNetwork });
}

/** After the shutdown bound, how long the executable waits for the last handles before it exits anyway (code 1). */
const SHUTDOWN_EXIT_MARGIN_MS = 5000;
/** After a second stop signal, how long the executable waits before it exits anyway (code 1). */
const SECOND_SIGNAL_EXIT_MS = 2000;

/** Runs `serve` until a stop signal, and sets the exit code. */
export async function runServeCommand(
  flags: ServeFlags,
  io: CliIo,
  setExit: (code: number) => void,
  deps: ServeDependencies,
): Promise<void> {
  // Read asynchronously, with size and time limits: the same reader as a reload, where the server must keep answering.
  const { locale } = flags;
  const loaded: ConfigResult = flags.config === undefined ? loadDefaultConfig() : await loadConfigAsync(flags.config);
  if (!loaded.ok) {
    // A refused config is told to the person starting the server, in the chosen language (read again in it: the
    // English result's warnings go to the JSON log, which is English, when the config is accepted).
    const told =
      locale === 'en' || flags.config === undefined ? loaded : await loadConfigAsync(flags.config, { locale });
    const refused = told.ok ? loaded : told;
    for (const warning of refused.warnings) io.stderr(`warning: ${warning}\n`);
    printError(io, 'INVALID_CONFIG', formatConfigErrors(refused.errors, flags.config, locale).trimEnd(), {
      multiline: true,
    });
    setExit(EXIT.usage);
    return;
  }
  validateNetworkFlags(flags);
  // Reads --ca-file; a bad one throws INVALID_ARGUMENT, which the program turns into exit 2.
  const checkOptions = await networkOptions(flags);
  const logger = createServerLogger({
    level: loaded.config.logging.level,
    destination: { write: (line) => io.stderr(line) },
  });
  for (const warning of loaded.warnings) logger.warn({ source: loaded.config.source }, warning);

  let server: RunningServer;
  try {
    server = await (deps.start ?? startServer)(loaded.config, { logger, checkOptions });
  } catch (error) {
    printError(io, 'LISTEN_FAILED', error instanceof Error ? error.message : String(error));
    setExit(EXIT.failure);
    return;
  }
  for (const url of server.urls) io.stdout(servingLine(url, flags.locale));

  const signals: SignalSource = deps.signals ?? process;
  const configPath = flags.config;
  await new Promise<void>((resolve) => {
    let stopping = false;
    // One reload at a time, in signal order: a SIGHUP during a reload runs once more after it, with the file as it is then.
    let reloading = false;
    let reloadAgain = false;
    const reload = async (path: string): Promise<void> => {
      // Asynchronous: a FIFO, /dev/zero or a stalled file system in place of a file must not stop the listeners.
      const next = await loadConfigAsync(path);
      if (stopping) return;
      if (!next.ok) {
        server.metrics.configReloads.inc({ result: 'failure' });
        logger.error(
          {
            source: path,
            errors: next.errors.map((e) => ({ key: e.key, code: e.code, problem: e.problem, line: e.line })),
          },
          `reload refused, the previous configuration stays in force: ${formatConfigErrors(next.errors, path).trimEnd()}`,
        );
        return;
      }
      for (const warning of next.warnings) logger.warn({ source: path }, warning);
      try {
        server.reload(next.config);
      } catch {
        // reload() logged why and kept the previous configuration.
      }
    };
    const onHangup = (): void => {
      if (configPath === undefined) {
        logger.info('SIGHUP: running on the built-in config, nothing to reload');
        return;
      }
      if (reloading) {
        reloadAgain = true;
        return;
      }
      reloading = true;
      const run = (): void => {
        reloadAgain = false;
        reload(configPath)
          .catch((error: unknown) => logger.error({ err: error }, 'reload failed'))
          .finally(() => {
            if (reloadAgain && !stopping) run();
            else reloading = false;
          });
      };
      run();
    };
    // Last resort of the executable (not of an embedding program, which passes its own signal source): the
    // process ends within its bound even if something other than a connection held the shutdown.
    const processSignals = deps.signals === undefined;
    const exitAfter = (ms: number): void => {
      if (!processSignals) return;
      setTimeout(() => {
        logger.error({ afterMs: ms }, 'the shutdown did not finish in time: exiting');
        process.exit(EXIT.failure);
      }, ms).unref();
    };
    const onStop = (signal: ServeSignal) => (): void => {
      if (stopping) {
        logger.warn({ signal }, 'second stop signal: closing the remaining connections now');
        void server.close({ timeoutMs: 0 });
        exitAfter(SECOND_SIGNAL_EXIT_MS);
        return;
      }
      stopping = true;
      logger.info({ signal }, 'stop signal received: finishing the requests in flight');
      exitAfter(DEFAULT_SHUTDOWN_TIMEOUT_MS + SHUTDOWN_EXIT_MARGIN_MS);
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
