// The network flags shared by resolve, request, check and serve, and --cache-store (resolve, request): declarations only.

import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { cliText } from './cli-texts.js';
import { localeOf } from './lang-flag.js';

/** The parsed values of the shared network flags. */
export interface NetworkFlagValues {
  readonly dnsServer?: string[];
  readonly allowNetwork?: string[];
  readonly caFile?: string;
  readonly timeoutMs?: number;
  readonly wellKnownPort?: number;
  readonly federationPort?: number;
  /** `--sequential`: the spec's plain sequence of lookups instead of overlapping ones. */
  readonly sequential?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * A parser of a whole number from `min` to `max` for `flag` of `command`, refusing anything else in the command's
 * language (`--lang` is parsed before the command's own options). Shared by every command's numeric flags.
 */
export function integerIn(command: Command, flag: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      // InvalidArgumentError makes commander report a usage error (exit 2); a plain Error would escape as INTERNAL.
      throw new InvalidArgumentError(cliText(localeOf(command), 'wholeNumber', { flag, min, max, value }));
    }
    return n;
  };
}

/**
 * Adds `--dns-server`, `--allow-network`, `--ca-file`, `--timeout-ms` and `--sequential` to a command, plus two hidden
 * flags for test labs that cannot bind the real ports: `--well-known-port` (443) and `--federation-port` (8448). The
 * values become resolver options through `networkOptions` (network-options.ts, loaded by the command's action: this
 * module must stay light, as every command line loads it).
 */
export function addNetworkFlags(command: Command): Command {
  return command
    .option('--dns-server <ip[:port]>', 'DNS server to ask instead of /etc/resolv.conf (repeatable)', collect)
    .option(
      '--allow-network <cidr>',
      'allow addresses in this network although the default deny-list covers them (repeatable)',
      collect,
    )
    .option('--ca-file <pem>', 'also trust the CA certificates in this PEM file')
    .option('--timeout-ms <n>', 'time budget in milliseconds', integerIn(command, '--timeout-ms', 1, 600_000))
    .option(
      '--sequential',
      'ask DNS and fetch the well-known strictly one step after another, as the spec lists them (default: overlapping lookups, same answer, less waiting)',
    )
    .addOption(
      new Option('--well-known-port <port>', 'port of the well-known fetch (tests only)')
        .argParser(integerIn(command, '--well-known-port', 1, 65535))
        .hideHelp(),
    )
    .addOption(
      new Option('--federation-port <port>', 'default federation port (tests only)')
        .argParser(integerIn(command, '--federation-port', 1, 65535))
        .hideHelp(),
    );
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
function cacheStoreUrl(command: Command, value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (
    url === null ||
    (url.protocol !== 'redis:' && url.protocol !== 'rediss:') ||
    url.hostname === '' ||
    !/^(\/\d*)?$/.test(url.pathname)
  ) {
    throw new InvalidArgumentError(cliText(localeOf(command), 'cacheStoreUrl', { value }));
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
    (value: string) => cacheStoreUrl(command, value),
  );
}
