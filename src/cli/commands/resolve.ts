// `matrix-delegation resolve <server_name> [--json] [--trace] [--cache-store URL]`: where to connect, and why.

import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { addCacheStoreFlag, addNetworkFlags } from '../network-flags.js';
import type { ResolveFlags } from './resolve-flags.js';

/** Registers the resolve command; its action sets `setExit` with the exit code. */
export function registerResolve(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('resolve')
    .description('resolve a server name to the addresses, Host header and certificate name other servers use')
    .argument('<server_name>', 'the server name, e.g. example.com (the part after ":" in @user:example.com)')
    .option('--json', 'print the result as JSON')
    .option(
      '--trace',
      'show every step with timings and, with --cache-store, cache hits (with --json: include "trace")',
    );
  addCacheStoreFlag(addNetworkFlags(command)).action(
    async (serverName: string, flags: Omit<ResolveFlags, 'locale'>) => {
      // The resolver and the renderers are loaded on use, so that `--help` and the other commands start fast.
      const { runResolveCommand } = await import('./resolve-run.js');
      await runResolveCommand(serverName, { ...flags, locale: localeOf(command) }, io, setExit);
    },
  );
}
