// The client address of a request that came through a reverse proxy (Synapse's listener option `x_forwarded`).

import { isIP } from 'node:net';
import type { Socket } from 'node:net';

/** Sockets accepted by a listener with `x_forwarded: true` (marked once per connection, not per request). */
const forwardedSockets = new WeakSet<Socket>();

/** Marks a socket of an `x_forwarded` listener: requests on it take their client address from X-Forwarded-For. */
export function markForwardedSocket(socket: Socket): void {
  forwardedSockets.add(socket);
}

/**
 * The address in the last entry of an X-Forwarded-For value: the client as the reverse proxy in front of this
 * server saw it (nginx's `$proxy_add_x_forwarded_for` and Caddy append the peer's address to what the client
 * sent; HAProxy's `option forwardfor` adds a header of its own, which Node joins after the others). Entries
 * before the last one were written by the client or by proxies further away and can be anything, so they are
 * not used: a client could otherwise pick a fresh rate-limit key for every request. Accepts `[v6]:port` and
 * `v4:port` forms. Undefined when the value is absent or its last entry is not an IP address.
 *
 * @example
 * ```ts
 * lastForwardedAddress('203.0.113.9, 198.51.100.7'); // '198.51.100.7'
 * lastForwardedAddress('[2001:db8::1]:4711');         // '2001:db8::1'
 * ```
 */
export function lastForwardedAddress(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  const joined = typeof value === 'string' ? value : value.join(',');
  const last = joined.slice(joined.lastIndexOf(',') + 1).trim();
  if (isIP(last) !== 0) return last;
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(last);
  if (bracketed !== null && isIP(bracketed[1] as string) === 6 && validPort(bracketed[2])) return bracketed[1];
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(last);
  if (withPort !== null && isIP(withPort[1] as string) === 4 && validPort(withPort[2])) return withPort[1];
  return undefined;
}

function validPort(digits: string | undefined): boolean {
  return digits === undefined || Number(digits) <= 65535;
}

/**
 * The address a request is attributed to (the tester's rate limit): the socket's peer, or, on a listener with
 * `x_forwarded: true`, the last X-Forwarded-For entry (the peer's address when the header is missing or unusable,
 * so that such requests share the proxy's key rather than escape the limit).
 */
export function clientAddress(
  socket: Socket,
  forwardedFor: string | readonly string[] | undefined,
): string | undefined {
  if (!forwardedSockets.has(socket)) return socket.remoteAddress;
  return lastForwardedAddress(forwardedFor) ?? socket.remoteAddress;
}
