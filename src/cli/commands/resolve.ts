// `matrix-delegation resolve <server_name> [--json] [--trace]`: where to connect, and why.

import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { addNetworkFlags, networkOptions } from '../network-flags.js';
import type { NetworkFlagValues } from '../network-flags.js';
import { resolveJson, resolveText } from '../render-resolve.js';
import { printError } from '../print-error.js';

interface ResolveFlags extends NetworkFlagValues {
  readonly json?: boolean;
  readonly trace?: boolean;
}

/** Registers the resolve command; its action sets `setExit` with the exit code. */
export function registerResolve(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('resolve')
    .description('resolve a server name to the addresses, Host header and certificate name other servers use')
    .argument('<server_name>', 'the server name, e.g. example.com (the part after ":" in @user:example.com)')
    .option('--json', 'print the result as JSON')
    .option('--trace', 'show every step with timings (with --json: include "trace")');
  addNetworkFlags(command).action(async (serverName: string, flags: ResolveFlags) => {
    // Loaded on use, so that `--help` and the other commands start fast.
    const { resolveServerName } = await import('../../resolver/resolve.js');
    const result = await resolveServerName(serverName, networkOptions(flags));
    const invalidName = result.error?.code === 'INVALID_SERVER_NAME';
    if (flags.json) io.stdout(JSON.stringify(resolveJson(result, flags.trace === true), null, 2) + '\n');
    else if (!invalidName) io.stdout(resolveText(result, flags.trace === true));
    if (result.error !== null && result.targets.length === 0) printError(io, result.error.code, result.error.message);
    setExit(invalidName ? EXIT.usage : result.targets.length > 0 ? EXIT.ok : EXIT.failure);
  });
}
