// `matrix-delegation resolve <server_name> [--json] [--trace] [--cache-store URL]`: where to connect, and why.

import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { addCacheStoreFlag, addNetworkFlags, networkOptions, openCacheStore } from '../network-flags.js';
import type { CacheStoreFlagValues, NetworkFlagValues } from '../network-flags.js';
import { resolveJson, resolveText } from '../render-resolve.js';
import { printError } from '../print-error.js';
import type { ResolveResult } from '../../resolver/types.js';

interface ResolveFlags extends NetworkFlagValues, CacheStoreFlagValues {
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
    .option('--trace', 'show every step with timings and, with --cache-store, cache hits (with --json: include "trace")');
  addCacheStoreFlag(addNetworkFlags(command)).action(async (serverName: string, flags: ResolveFlags) => {
    const options = networkOptions(flags);
    // Loaded on use, so that `--help` and the other commands start fast.
    const { resolveServerName } = await import('../../resolver/resolve.js');
    const store = await openCacheStore(flags, io);
    let result: ResolveResult;
    try {
      result = await resolveServerName(serverName, { ...options, ...(store ? { cache: store.cache } : {}) });
    } finally {
      await store?.close();
    }
    const invalidName = result.error?.code === 'INVALID_SERVER_NAME';
    if (flags.json) io.stdout(JSON.stringify(resolveJson(result, flags.trace === true), null, 2) + '\n');
    else if (!invalidName) io.stdout(resolveText(result, flags.trace === true));
    if (result.error !== null && result.targets.length === 0) printError(io, result.error.code, result.error.message);
    setExit(invalidName ? EXIT.usage : result.targets.length > 0 ? EXIT.ok : EXIT.failure);
  });
}
