// The network flags shared by resolve, request, check and serve, turned into resolver options.

import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { readCaFile } from '../net/trust.js';
import type { ResolveOptions } from '../resolver/types.js';

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
