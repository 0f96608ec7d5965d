// The `watch` command's work: build the monitor from the flags (and a config), print checks and notifications, stop on a signal.

import { resolve } from 'node:path';
import { CONFIG_DEFAULTS, formatConfigErrors, loadConfigAsync } from '../../config/index.js';
import type { MonitorConfig, ServeConfig } from '../../config/index.js';
import { MatrixDelegationError } from '../../errors.js';
import type { Locale } from '../../i18n/locale.js';
import type { Monitor, MonitorCheckEvent } from '../../monitor/monitor.js';
import { renderNotification } from '../../monitor/message.js';
import { startMonitor } from '../../monitor/start.js';
import type { StateStoreChoice } from '../../monitor/start.js';
import type { MonitorLogger } from '../../monitor/types.js';
import { escapeTerminalText, terminalJson } from '../../report/terminal-text.js';
import { parseServerName } from '../../server-name/index.js';
import { testerCheckOptions } from '../../server/tester/check-options.js';
import { cliText } from '../cli-texts.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { networkOptions } from '../network-options.js';
import { printError } from '../print-error.js';
import type { WatchDependencies, WatchFlags, WatchSignal, WatchSignalSource } from './watch-flags.js';

/** A check's budget without `--timeout-ms` or a config [30 s, the tester's]. */
const DEFAULT_BUDGET_MS = CONFIG_DEFAULTS.tester.timeoutMs;

function usage(message: string): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', message);
}

/** The settings of the monitor: the config's `monitor:` section (if any), then the flags, then the defaults. */
function monitorSettings(names: readonly string[], flags: WatchFlags, config: ServeConfig | null): MonitorConfig {
  const base = config?.monitor ?? null;
  const d = CONFIG_DEFAULTS.monitor;
  const servers = names.length > 0 ? [...new Set(names)] : [...(base?.servers ?? [])];
  if (servers.length === 0) throw usage(cliText(flags.locale, 'watchWhat'));
  for (const name of servers) {
    const parsed = parseServerName(name);
    if (!parsed.ok)
      throw new MatrixDelegationError('INVALID_SERVER_NAME', `${JSON.stringify(name)}: ${parsed.error.message}`);
  }
  return {
    servers,
    intervalSeconds: flags.interval ?? base?.intervalSeconds ?? d.intervalSeconds,
    failuresBeforeAlert: flags.failuresBeforeAlert ?? base?.failuresBeforeAlert ?? d.failuresBeforeAlert,
    certificateWarningDays: flags.certificateWarningDays ?? base?.certificateWarningDays ?? d.certificateWarningDays,
    maxInFlight: flags.concurrency ?? base?.maxInFlight ?? d.maxInFlight,
    statePath: base?.statePath ?? null,
    pageUrl: base?.pageUrl ?? null,
    notify: base?.notify ?? { webhook: null, email: null, matrix: null },
  };
}

/** Warnings and errors of the monitor on stderr, one line each, remote text escaped; the rest is not shown. */
function stderrLogger(io: CliIo): MonitorLogger {
  const line = (kind: string, detail: Readonly<Record<string, unknown>>, message: string): void => {
    const facts = ['serverName', 'channel', 'kind', 'error', 'where', 'nextAttemptAt']
      .filter((k) => detail[k] !== undefined)
      .map((k) => `${k}=${String(detail[k])}`);
    const err = detail['err'] instanceof Error ? ` (${detail['err'].message})` : '';
    io.stderr(`${kind}: ${escapeTerminalText(`${message}${facts.length > 0 ? ` [${facts.join(' ')}]` : ''}${err}`)}\n`);
  };
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (detail, message) => line('warning', detail, message),
    error: (detail, message) => line('error', detail, message),
  };
}

/**
 * The line (or JSON object) of one check and of each notification it made. The line's words are in `locale`, as
 * the check's summary and hints are (the check ran in it); the JSON's keys and values for scripts stay as they are.
 */
function printCheck(io: CliIo, event: MonitorCheckEvent, settings: MonitorConfig, json: boolean, locale: Locale): void {
  const { observation: o, state } = event;
  const at = new Date(o.checkedAt).toISOString();
  if (json) {
    io.stdout(
      terminalJson({
        type: 'check',
        server_name: event.serverName,
        checked_at: at,
        federation_ok: o.ok,
        consecutive_failures: state.consecutiveFailures,
        alerting: state.alerting,
        summary: o.summary,
        hints: o.hints,
        certificate_expires_at: o.certificateExpiresAt === null ? null : new Date(o.certificateExpiresAt).toISOString(),
      }) + '\n',
    );
  } else {
    const summary = escapeTerminalText(o.summary);
    const verdict = o.ok
      ? cliText(locale, 'watchOk', { summary })
      : cliText(locale, 'watchFailing', { count: state.consecutiveFailures, summary });
    io.stdout(`${at} ${escapeTerminalText(event.serverName)} ${verdict}\n`);
  }
  for (const n of event.notifications) {
    const rendered = renderNotification(n, settings.pageUrl);
    if (json) io.stdout(terminalJson({ type: 'notification', subject: rendered.subject, ...rendered.json }) + '\n');
    else
      io.stdout(
        `${at} ${escapeTerminalText(event.serverName)} ${cliText(locale, 'watchNotify', { kind: n.kind, subject: rendered.subject })}\n`,
      );
  }
}

/** Runs `watch` until SIGINT or SIGTERM, and sets the exit code. */
export async function runWatchCommand(
  names: readonly string[],
  flags: WatchFlags,
  io: CliIo,
  setExit: (code: number) => void,
  deps: WatchDependencies,
): Promise<void> {
  let config: ServeConfig | null = null;
  if (flags.config !== undefined) {
    const loaded = await loadConfigAsync(flags.config, { locale: flags.locale });
    if (!loaded.ok) {
      printError(io, 'INVALID_CONFIG', formatConfigErrors(loaded.errors, flags.config, flags.locale).trimEnd(), {
        multiline: true,
      });
      setExit(EXIT.usage);
      return;
    }
    config = loaded.config;
    if (config.monitor === null && names.length === 0)
      throw usage(cliText(flags.locale, 'watchNoMonitor', { config: flags.config }));
  }
  const settings = monitorSettings(names, flags, config);
  const network = await networkOptions(flags);
  // The checks run in the chosen language: the summaries and hint titles printed (and notified) are in it; the
  // change detection reads hint ids, the same in every language.
  const checkOptions = {
    ...(config === null
      ? { ...network, timeoutMs: flags.timeoutMs ?? DEFAULT_BUDGET_MS }
      : testerCheckOptions(config.tester, network)),
    locale: flags.locale,
  };
  const store: StateStoreChoice =
    flags.stateFile !== undefined
      ? { kind: 'file', path: resolve(flags.stateFile) }
      : config !== null
        ? { kind: 'config', cacheStore: config.cacheStore }
        : { kind: 'memory' };
  let monitor: Monitor;
  try {
    monitor = await startMonitor(settings, {
      store,
      checkOptions,
      logger: stderrLogger(io),
      ...(flags.intervalMs !== undefined ? { intervalMs: flags.intervalMs } : {}),
      onCheck: (event) => printCheck(io, event, settings, flags.json === true, flags.locale),
    });
  } catch (error) {
    if (error instanceof MatrixDelegationError) {
      printError(io, error.code, error.message);
      setExit(EXIT.usage);
      return;
    }
    throw error;
  }
  const signals: WatchSignalSource = deps.signals ?? process;
  await new Promise<void>((done) => {
    const stop = (): void => {
      signals.off('SIGTERM', stop);
      signals.off('SIGINT', stop);
      void monitor.close().then(done);
    };
    for (const signal of ['SIGTERM', 'SIGINT'] as WatchSignal[]) signals.on(signal, stop);
  });
  setExit(EXIT.ok);
}
