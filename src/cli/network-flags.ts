// The network flags shared by resolve, request, check and serve (as resolver options), and --cache-store (resolve, request).

import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { CacheLogger } from '../cache/types.js';
import { readCaFile } from '../net/trust.js';
import type { ResolverCache } from '../resolver/cache.js';
import type { ResolveOptions } from '../resolver/types.js';
import type { CliIo } from './io.js';

/** The parsed values of the shared network flags. */
export interface NetworkFlagValues {
  readonly dnsServer?: string[];
  readonly allowNetwork?: string[];
  readonly caFile?: string;
  readonly timeoutMs?: number;
  readonly wellKnownPort?: number;
  readonly federationPort?: number;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function integerIn(flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      // InvalidArgumentError makes commander report a usage error (exit 2); a plain Error would escape as INTERNAL.
      throw new InvalidArgumentError(`${flag} takes a whole number from ${min} to ${max}, not "${value}"`);
    }
    return n;
  };
}

/**
 * Adds `--dns-server`, `--allow-network`, `--ca-file` and `--timeout-ms` to a command, plus two hidden flags for
 * test labs that cannot bind the real ports: `--well-known-port` (443) and `--federation-port` (8448).
 */
export function addNetworkFlags(command: Command): Command {
  return command
    .option('--dns-server <ip[:port]>', 'DNS server to ask instead of /etc/resolv.conf (repeatable)', collect)
    .option('--allow-network <cidr>', 'allow addresses in this network although the default deny-list covers them (repeatable)', collect)
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file')
    .option('--timeout-ms <n>', 'time budget in milliseconds', integerIn('--timeout-ms', 1, 600_000))
    .addOption(new Option('--well-known-port <port>', 'port of the well-known fetch (tests only)').argParser(integerIn('--well-known-port', 1, 65535)).hideHelp())
    .addOption(new Option('--federation-port <port>', 'default federation port (tests only)').argParser(integerIn('--federation-port', 1, 65535)).hideHelp());
}

/** Turns the flag values into resolver options (reads the CA file; a bad one throws INVALID_ARGUMENT). */
export function networkOptions(values: NetworkFlagValues): ResolveOptions {
  return {
    ...(values.dnsServer ? { dnsServers: values.dnsServer } : {}),
    ...(values.allowNetwork ? { allowNetworks: values.allowNetwork } : {}),
    ...(values.caFile ? { ca: [readCaFile(values.caFile)] } : {}),
    ...(values.timeoutMs ? { timeoutMs: values.timeoutMs } : {}),
    ...(values.wellKnownPort ? { wellKnownPort: values.wellKnownPort } : {}),
    ...(values.federationPort ? { defaultPort: values.federationPort } : {}),
  };
}

/** The parsed value of `--cache-store` (see {@link addCacheStoreFlag}). */
export interface CacheStoreFlagValues {
  /** A checked `redis://` or `rediss://` URL. */
  readonly cacheStore?: string;
}

/**
 * Checks a `--cache-store` value when the flags are parsed, so that a mistake is a usage error (exit 2) before any
 * work: `redis://host[:port][/db]` or `rediss://...`. The store checks it again; this check stays here so that
 * parsing the flags does not load the Redis client.
 */
function cacheStoreUrl(value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (url === null || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '' || !/^(\/\d*)?$/.test(url.pathname)) {
    throw new InvalidArgumentError(`--cache-store takes a Redis URL, redis://host:port[/db] (or rediss:// for TLS), not "${value}"`);
  }
  return value;
}

/**
 * Adds `--cache-store <url>` (resolve and request only: `check` must see fresh answers, and `serve` takes its
 * store from its configuration's `cache_store`).
 */
export function addCacheStoreFlag(command: Command): Command {
  return command.option(
    '--cache-store <url>',
    'keep DNS and well-known answers in this Redis (redis://host:port[/db]), shared with other processes: a later run answers from it',
    cacheStoreUrl,
  );
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
  const [{ createCacheStore }, { createResolverCache }] = await Promise.all([import('../cache/create-store.js'), import('../resolver/cache.js')]);
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
