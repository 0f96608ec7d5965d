// The packet client, loaded on the first question: resolving an IP literal or a name with a port and an IP never asks DNS.

import { MatrixDelegationError } from '../errors.js';
import type { DnsClientOptions } from './packet-client.js';
import { parseDnsServer } from './server-address.js';
import type { DnsResolver } from './types.js';

/**
 * A {@link DnsResolver} that is the packet client (`createDnsClient`) once it is first asked: the client and its DNS
 * message codec are loaded then, not when a resolver is made, so a command that never sends a DNS question (an IP
 * literal, a server name with an IP and a port) does not load them (BENCHMARKS.md, cli-startup). `servers` is
 * checked at once, as `createDnsClient` checks it (`INVALID_ARGUMENT`); a failed load is tried again by the next
 * question.
 *
 * @example
 * ```ts
 * const dns = createLazyDnsClient(['127.0.0.53']);
 * await dns.resolve4('example.org'); // loads the packet client, then asks
 * ```
 */
export function createLazyDnsClient(servers?: readonly string[]): DnsResolver {
  if (servers !== undefined) {
    if (!Array.isArray(servers) || servers.length === 0)
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'servers must be a non-empty list of DNS server addresses', {
        detail: { value: servers },
      });
    servers.forEach(parseDnsServer);
  }
  const options: DnsClientOptions = servers === undefined ? {} : { servers };
  let client: Promise<DnsResolver> | undefined;
  const get = (): Promise<DnsResolver> => {
    if (client === undefined) {
      client = import('./packet-client.js').then((module) => module.createDnsClient(options));
      client.catch(() => {
        client = undefined;
      });
    }
    return client;
  };
  return {
    resolve4: async (name, queryOptions) => (await get()).resolve4(name, queryOptions),
    resolve6: async (name, queryOptions) => (await get()).resolve6(name, queryOptions),
    resolveSrv: async (name, queryOptions) => (await get()).resolveSrv(name, queryOptions),
  };
}
