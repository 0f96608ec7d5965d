// `matrix-delegation watch NAME... [--interval S]`: the monitor in the foreground, one line per check and notification.

import { Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { addNetworkFlags, integerIn as integerOf } from '../network-flags.js';
import { WATCH_LIMITS } from './watch-flags.js';
import type { WatchDependencies, WatchFlags } from './watch-flags.js';

/**
 * Registers `watch`: checks each name every interval (jittered, a few at a time), prints a line per check and per
 * notification, and sends the notifications to the channels of `--config`'s `monitor.notify`. Runs until SIGINT or
 * SIGTERM (exit 0). Without `--state-file` (or a config's state) the state lives in memory only.
 */
export function registerWatch(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  deps: WatchDependencies = {},
): void {
  const l = WATCH_LIMITS;
  const command = program.command('watch');
  const integerIn = (flag: string, min: number, max: number) => integerOf(command, flag, min, max);
  command
    .description(
      'check server names on a schedule and tell when federation breaks, recovers, or a certificate nears its end (Ctrl-C stops)',
    )
    .argument('[server_names...]', 'the server names to watch (default with --config: its monitor.servers)')
    .option(
      '--interval <seconds>',
      'seconds between two checks of a name (default 300)',
      integerIn('--interval', l.interval.min, l.interval.max),
    )
    .option(
      '--failures-before-alert <n>',
      'failed checks in a row before an alert (default 2)',
      integerIn('--failures-before-alert', l.failuresBeforeAlert.min, l.failuresBeforeAlert.max),
    )
    .option(
      '--certificate-warning-days <days>',
      'warn once when a certificate ends within this many days; 0: never (default 14)',
      integerIn('--certificate-warning-days', l.certificateWarningDays.min, l.certificateWarningDays.max),
    )
    .option(
      '--concurrency <n>',
      'checks running at once (default 8)',
      integerIn('--concurrency', l.concurrency.min, l.concurrency.max),
    )
    .option(
      '--config <file>',
      "a serve config: its monitor section's channels, thresholds and state, and its tester's network settings",
    )
    .option('--state-file <file>', 'keep the state here, so that a restart neither repeats nor loses a notification')
    .option('--json', 'print JSON Lines: one object per check and per notification')
    .addOption(
      new Option('--interval-ms <ms>', 'interval in milliseconds (tests only)')
        .argParser(integerIn('--interval-ms', 50, 86_400_000))
        .hideHelp(),
    );
  addNetworkFlags(command).action(async (names: string[], flags: Omit<WatchFlags, 'locale'>) => {
    // The monitor and the checker are loaded on use, so that `--help` and the other commands start fast.
    const { runWatchCommand } = await import('./watch-run.js');
    await runWatchCommand(names, { ...flags, locale: localeOf(command) }, io, setExit, deps);
  });
}
