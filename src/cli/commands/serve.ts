// `matrix-delegation serve [--config FILE]`: the delegation server, with SIGHUP reload and graceful SIGTERM/SIGINT.

import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { addNetworkFlags } from '../network-flags.js';
import type { ServeDependencies, ServeFlags } from './serve-flags.js';

/**
 * Registers `serve`. Without `--config` it runs the built-in default config (HTTP on 127.0.0.1:8080, tester on).
 * A refused config exits 2 with every error (key, line, fix); a socket that cannot be bound exits 1. Then:
 * SIGHUP reloads the config file (a refused one is logged and the previous config stays), SIGTERM and SIGINT
 * shut down gracefully and exit 0 (a second one closes the remaining connections at once).
 */
export function registerServe(
  program: Command,
  io: CliIo,
  setExit: (code: number) => void,
  deps: ServeDependencies = {},
): void {
  const command = program
    .command('serve')
    .description(
      'serve /.well-known/matrix/{server,client,support}, the federation tester API and page, /health and /metrics',
    )
    .option(
      '--config <file>',
      'YAML config (Synapse keys accepted); without it, a local demo on http://127.0.0.1:8080/',
    );
  addNetworkFlags(command).action(async (flags: Omit<ServeFlags, 'locale'>) => {
    // The server and its dependencies are loaded on use, so that `--help` and the other commands start fast.
    const { runServeCommand } = await import('./serve-run.js');
    await runServeCommand({ ...flags, locale: localeOf(command) }, io, setExit, deps);
  });
}
