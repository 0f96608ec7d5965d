// Turns the network flags into resolver options, and opens the --cache-store: loaded by the commands' actions only.

import type { CacheLogger } from '../cache/types.js';
import type { ResolverCache } from '../resolver/cache.js';
import type { ResolveOptions } from '../resolver/types.js';
import type { CliIo } from './io.js';
import type { CacheStoreFlagValues, NetworkFlagValues } from './network-flags.js';

/**
 * Turns the flag values into resolver options (reads the CA file; a bad one throws INVALID_ARGUMENT). The TLS trust
 * code is loaded only for `--ca-file`: a resolution that makes no TLS connection (an IP literal) does not load it.
 */
export async function networkOptions(values: NetworkFlagValues): Promise<ResolveOptions> {
  const ca = values.caFile === undefined ? undefined : (await import('../net/trust.js')).readCaFile(values.caFile);
  return {
    ...(values.dnsServer ? { dnsServers: values.dnsServer } : {}),
    ...(values.allowNetwork ? { allowNetworks: values.allowNetwork } : {}),
    ...(ca !== undefined ? { ca: [ca] } : {}),
    ...(values.timeoutMs ? { timeoutMs: values.timeoutMs } : {}),
    ...(values.wellKnownPort ? { wellKnownPort: values.wellKnownPort } : {}),
    ...(values.federationPort ? { defaultPort: values.federationPort } : {}),
    // Overlapping lookups are the resolver's default; the flag asks for the plain sequence.
    ...(values.sequential === true ? { overlap: false } : {}),
  };
}

/** A resolver cache opened for one command run; `close` before the command returns. */
export interface CliResolverCache {
  readonly cache: ResolverCache;
  /** Lets answers still being fetched reach the store (briefly), then closes the store's connection. */
  close(): Promise<void>;
}

/** How long `close` waits for answers in flight to be stored, ms: a command must end promptly. */
const SETTLE_BUDGET_MS = 1000;

/**
 * Opens the resolver cache `--cache-store` names, or returns null without the flag. The Redis store shares its
 * answers with every process using the same Redis and key prefix (the `serve` default, `matrix-delegation:`); when
 * Redis cannot be reached it degrades to an in-process cache after one warning line on stderr (its connect and
 * command timeouts bound the wait), so the command still resolves.
 */
export async function openCacheStore(values: CacheStoreFlagValues, io: CliIo): Promise<CliResolverCache | null> {
  if (values.cacheStore === undefined) return null;
  // Loaded on use: the Redis client costs startup time that commands without the flag should not pay.
  const [{ createCacheStore }, { createResolverCache }] = await Promise.all([
    import('../cache/create-store.js'),
    import('../resolver/cache.js'),
  ]);
  const logger: CacheLogger = {
    warn: (detail, message) => {
      const why = typeof detail['error'] === 'string' ? ` (${String(detail['redis'] ?? '')}: ${detail['error']})` : '';
      io.stderr(`warning: ${message}${why}\n`);
    },
    // A recovery within one short run is not worth a line.
    info: () => undefined,
  };
  const cache = createResolverCache({ store: createCacheStore({ kind: 'redis', url: values.cacheStore }, { logger }) });
  return {
    cache,
    async close() {
      // Questions asked ahead (overlapping lookups) may still be answering: give them a moment to be stored, for
      // the next run, then close (a Redis connection left open would keep the process alive).
      const until = Date.now() + SETTLE_BUDGET_MS;
      while (Date.now() < until) {
        const { dns, wellKnown } = cache.stats().inFlight;
        if (dns + wellKnown === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await cache.close();
    },
  };
}
