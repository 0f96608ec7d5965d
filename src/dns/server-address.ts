// Parses and validates the DNS server strings given to the packet client (`IP`, `IP:PORT`, `[IPv6]:PORT`).

import { MatrixDelegationError } from '../errors.js';

/** A validated DNS server address. */
export interface DnsServerAddress {
  /** The IP address (IPv6 without brackets, zone id kept when given). */
  readonly host: string;
  /** The UDP and TCP port (default 53). */
  readonly port: number;
  /** Address family, which picks the `udp4` or `udp6` socket type. */
  readonly family: 4 | 6;
}

/** The standard DNS port (RFC 1035 section 4.2). */
export const DEFAULT_DNS_PORT = 53;

/**
 * Parses a DNS server string: `IPv4`, `IPv4:PORT`, `IPv6`, `[IPv6]` or `[IPv6]:PORT` (port 1-65535, default 53).
 * Host names are refused: the resolver must not need DNS to find its DNS server.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` naming the value when it is not one of these forms.
 * @example
 * ```ts
 * parseDnsServer('[::1]:5353'); // { host: '::1', port: 5353, family: 6 }
 * ```
 */
export function parseDnsServer(value: string): DnsServerAddress {
  const invalid = (why: string): MatrixDelegationError =>
    new MatrixDelegationError('INVALID_ARGUMENT', `Invalid DNS server ${JSON.stringify(value)}: ${why}`, {
      detail: { value },
    });
  if (typeof value !== 'string' || value.length === 0) throw invalid('expected IP, IP:PORT or [IPv6]:PORT');
  const { isIPv4, isIPv6 } = process.getBuiltinModule('node:net');

  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) throw invalid('missing "]"');
    const host = value.slice(1, close);
    if (!isIPv6(host)) throw invalid('not an IPv6 address inside the brackets');
    const rest = value.slice(close + 1);
    if (rest === '') return { host, port: DEFAULT_DNS_PORT, family: 6 };
    if (!rest.startsWith(':')) throw invalid('unexpected text after "]"');
    return { host, port: parsePort(rest.slice(1), invalid), family: 6 };
  }
  // A bare IPv6 literal has several colons; a port can only follow a bracketed one.
  if (isIPv6(value)) return { host: value, port: DEFAULT_DNS_PORT, family: 6 };

  const colon = value.indexOf(':');
  const host = colon < 0 ? value : value.slice(0, colon);
  if (!isIPv4(host)) throw invalid('not an IP address (host names are not accepted)');
  if (colon < 0) return { host, port: DEFAULT_DNS_PORT, family: 4 };
  return { host, port: parsePort(value.slice(colon + 1), invalid), family: 4 };
}

/** Formats a server address back to its canonical string form (`IPv4:PORT` or `[IPv6]:PORT`). */
export function formatDnsServer(server: DnsServerAddress): string {
  return server.family === 6 ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

function parsePort(text: string, invalid: (why: string) => Error): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw invalid('the port must be a decimal number');
  const port = Number(text);
  if (port < 1 || port > 65535) throw invalid('the port must be between 1 and 65535');
  return port;
}
