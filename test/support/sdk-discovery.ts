// Test helper: matrix-js-sdk's AutoDiscovery against the lab: names from the lab DNS only, trust in the lab CA only.

import { Resolver } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AutoDiscovery } from 'matrix-js-sdk';
import type { ClientConfig } from 'matrix-js-sdk';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Lab } from '../../src/testing/index.js';

/** AutoDiscovery bound to one lab. */
export interface LabDiscovery {
  /** `AutoDiscovery.findClientConfig(serverName)`: the document, then the homeserver (and identity server) it names. */
  find(serverName: string): Promise<ClientConfig>;
  /** Every host name the SDK's connections looked up. */
  readonly lookups: readonly string[];
  close(): Promise<void>;
}

/**
 * Points matrix-js-sdk's AutoDiscovery (one per process: its fetch function is global) at the lab. The SDK always asks
 * `https://<server name>/.well-known/matrix/client`, port 443: when the lab cannot bind 443 (not root), requests to a
 * URL without a port go to `wellKnownPort` instead. A name the lab DNS does not know fails; nothing leaves the machine.
 */
export function labDiscovery(lab: Lab, wellKnownPort: number): LabDiscovery {
  const lookups: string[] = [];
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([lab.dns.server]);
  const lookup: LookupFunction = (hostname, options, callback) => {
    lookups.push(hostname);
    resolver.resolve4(hostname, (error, addresses) => {
      const first = addresses?.[0];
      if (error !== null || first === undefined) {
        callback(error ?? Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
        return;
      }
      if (options.all === true)
        callback(
          null,
          addresses.map((address) => ({ address, family: 4 })),
        );
      else callback(null, first, 4);
    });
  };
  const agent = new Agent({ connect: { lookup, ca: [lab.caCertPem] } });
  const fetchFn = (
    input: string | URL | { url: string },
    init?: Parameters<typeof undiciFetch>[1],
  ): ReturnType<typeof undiciFetch> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.protocol === 'https:' && url.port === '' && wellKnownPort !== 443) url.port = String(wellKnownPort);
    return undiciFetch(url, { ...init, dispatcher: agent });
  };
  AutoDiscovery.setFetchFn(fetchFn as unknown as typeof globalThis.fetch);
  return {
    find: (serverName) => AutoDiscovery.findClientConfig(serverName),
    lookups,
    close: () => agent.close(),
  };
}
