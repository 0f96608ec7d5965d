// `matrix-delegation request <server_name> <path> [--method M] [--origin O --signing-key F] [--data J | --data-file F] [--json]`: one federation request.

import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { localeOf } from '../lang-flag.js';
import { addCacheStoreFlag, addNetworkFlags } from '../network-flags.js';
import type { RequestFlags } from './request-flags.js';

/** Registers the request command. */
export function registerRequest(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('request')
    .description('make a federation HTTPS request to a server name (resolved as the spec says)')
    .argument('<server_name>', 'the server name')
    .argument('<path>', 'the path, e.g. /_matrix/federation/v1/version')
    .option('--method <method>', 'HTTP method (default: GET, or POST with --data / --data-file)')
    .option('--origin <server_name>', 'sign the request (X-Matrix) as this server name; needs --signing-key')
    .option('--signing-key <file>', "the origin's signing key file (Synapse's homeserver.signing.key); needs --origin")
    .option('--data <json>', 'send this JSON as the request body')
    .option('--data-file <file>', 'send the JSON in this file as the request body')
    .option('--json', 'print { target, status, headers, body } as JSON (and the authorization sent, when signed)');
  addCacheStoreFlag(addNetworkFlags(command)).action(
    async (serverName: string, path: string, flags: Omit<RequestFlags, 'locale'>) => {
      // The federation client (and undici) is loaded on use, so that `--help` and the other commands start fast.
      const { runRequestCommand } = await import('./request-run.js');
      await runRequestCommand(serverName, path, { ...flags, locale: localeOf(command) }, io, setExit);
    },
  );
}
