// `matrix-delegation request <server_name> <path> [--method M] [--json] [--cache-store URL]`: one federation request.

import type { Command } from 'commander';
import type { FederationClient } from '../../client/federation-client.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';
import { addCacheStoreFlag, addNetworkFlags, networkOptions, openCacheStore } from '../network-flags.js';
import type { CacheStoreFlagValues, NetworkFlagValues } from '../network-flags.js';

interface RequestFlags extends NetworkFlagValues, CacheStoreFlagValues {
  readonly method: string;
  readonly json?: boolean;
}

/** Registers the request command. */
export function registerRequest(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('request')
    .description('make a federation HTTPS request to a server name (resolved as the spec says)')
    .argument('<server_name>', 'the server name')
    .argument('<path>', 'the path, e.g. /_matrix/federation/v1/version')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--json', 'print { target, status, headers, body } as JSON');
  addCacheStoreFlag(addNetworkFlags(command)).action(async (serverName: string, path: string, flags: RequestFlags) => {
    const options = networkOptions(flags);
    const { createFederationClient } = await import('../../client/federation-client.js');
    const store = await openCacheStore(flags, io);
    try {
      // Given the shared cache, the client leaves it open: it is closed last, after the client.
      const client = createFederationClient({
        ...options,
        ...(flags.timeoutMs ? { connectTimeoutMs: flags.timeoutMs, requestTimeoutMs: flags.timeoutMs } : {}),
        ...(store ? { cache: store.cache } : {}),
      });
      try {
        await requestOnce(client, serverName, path, flags, io, setExit);
      } finally {
        await client.close();
      }
    } finally {
      await store?.close();
    }
  });
}

/** Makes the request and prints the answer; sets the exit code. */
async function requestOnce(
  client: FederationClient,
  serverName: string,
  path: string,
  flags: RequestFlags,
  io: CliIo,
  setExit: (code: number) => void,
): Promise<void> {
  const response = await client.fetch(serverName, path, { method: flags.method.toUpperCase() });
  if (flags.json) {
    const text = response.body.toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text.
    }
    const t = response.target;
    const target = { step: t.step, ip: t.ip, port: t.port, hostHeader: t.hostHeader, tlsServerName: t.tlsServerName, sni: t.sni };
    io.stdout(JSON.stringify({ target, status: response.status, headers: response.headers, body }, null, 2) + '\n');
  } else {
    io.stdout(response.body.toString('utf8'));
  }
  if (response.status < 200 || response.status > 299) {
    io.stderr(`error HTTP_ERROR: ${serverName} answered ${response.status} for ${path}\n`);
    setExit(EXIT.failure);
  } else {
    setExit(EXIT.ok);
  }
}
