// The key a client is rate-limited under: its IPv4 address, or the /64 network of its IPv6 address.

import { createRequire } from 'node:module';
import type * as IpAddr from 'ipaddr.js';

// ipaddr.js is CommonJS with `export =`; loaded through require as in src/net/address-policy.ts.
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

/**
 * The rate-limit key of a client address. IPv4 addresses (also in their IPv4-mapped IPv6 form, as a dual-stack
 * socket reports them) are keyed as they are; IPv6 addresses by their /64, since one subscriber usually gets a
 * whole /64 and could otherwise take a fresh address for every request. An unknown address (a socket already
 * closed) shares the key `unknown`.
 *
 * @example
 * ```ts
 * clientKey('::ffff:203.0.113.7');   // '203.0.113.7'
 * clientKey('2001:db8:1:2:aaaa::1'); // '2001:db8:1:2::/64'
 * ```
 */
export function clientKey(remoteAddress: string | undefined): string {
  if (remoteAddress === undefined || !ipaddr.isValid(remoteAddress)) return 'unknown';
  const parsed = ipaddr.parse(remoteAddress);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as IpAddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const prefix = new ipaddr.IPv6([...v6.parts.slice(0, 4), 0, 0, 0, 0]);
  return `${prefix.toString()}/64`;
}
