// `matrix-delegation check <server_name> | --from FILE`: the federation tester that explains, in text or JSON.

import { Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { addNetworkFlags, integerIn } from '../network-flags.js';
import { CHECK_FORMATS, DEFAULT_CONCURRENCY } from './check-flags.js';
import type { CheckFlags } from './check-flags.js';

/** Registers the check command; its action sets `setExit` with the exit code. */
export function registerCheck(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('check')
    .description(
      'check federation with a server as other homeservers see it, and explain what is wrong (exit 0 when it works)',
    )
    .argument('[server_name]', 'the server name, e.g. example.com (omit with --from)');
  command
    .option(
      '--json',
      'print JSON: the native report (same as --format json), or with --format federation-tester that one',
    )
    .addOption(new Option('--format <format>', 'output format').choices(CHECK_FORMATS))
    .option('--trace', 'text: show every resolution step with its start time')
    .option('--color', 'colour the text even when stdout is not a terminal')
    .option('--no-color', 'never colour the text (FORCE_COLOR=0 or NO_COLOR in the environment do the same)')
    .option('--from <file>', 'check every name in this file, one per line ("-" for stdin); prints JSON Lines')
    .option(
      '--concurrency <n>',
      'with --from: checks in flight at once',
      integerIn(command, '--concurrency', 1, 256),
      DEFAULT_CONCURRENCY,
    );
  addNetworkFlags(command).action(async (serverName: string | undefined, flags: Omit<CheckFlags, 'locale'>) => {
    // The checker and renderers are loaded on use, so that `--help` and the other commands start fast.
    const { runCheckCommand } = await import('./check-run.js');
    await runCheckCommand(serverName, { ...flags, locale: localeOf(command) }, io, setExit);
  });
}
