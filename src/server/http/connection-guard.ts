// Every raw connection of a listener, from accept to close: per-address bound, deadlines before the first request, shutdown.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { BlockList, isIPv4 } from 'node:net';
import { clientKey } from '../tester/client-key.js';

/** Settings of {@link guardConnections}. */
export interface ConnectionGuardOptions {
  /** An HTTPS listener: connections start with a TLS handshake. */
  readonly tls: boolean;
  /** Time from accept to the end of the TLS handshake (HTTPS only). */
  readonly handshakeTimeoutMs: number;
  /** Time from accept (HTTP) or from the end of the handshake (HTTPS) to the complete headers of the first request. */
  readonly headersTimeoutMs: number;
  /** Connections open at once from one client (IPv4 address, IPv6 /64); `0` for no bound. */
  readonly maxPerAddress: number;
  /** Whether connections from this machine (127.0.0.0/8, ::1) escape {@link maxPerAddress}. */
  readonly exemptLoopback: boolean;
  /** A connection over {@link maxPerAddress} was closed at once. */
  readonly onRefused: (key: string) => void;
  /**
   * A connection missed a deadline before its first request. `'handshake'`: the raw socket has already been
   * destroyed (there is no TLS session to say anything on). `'request'`: `socket` (the socket Node's HTTP parser
   * reads, the TLS socket on HTTPS) is still open, for the caller to answer 408 and close.
   */
  readonly onExpired: (phase: 'handshake' | 'request', socket: Socket) => void;
}

/** What a listener's guard offers. */
export interface ConnectionGuard {
  /** Wraps the request listener: the first request of a connection ends its deadline (Node's timeouts take over). */
  wrap(
    listener: (req: IncomingMessage, res: ServerResponse) => void,
  ): (req: IncomingMessage, res: ServerResponse) => void;
  /** Destroys the connections that have not sent a single byte (nothing in flight on them); returns how many. */
  closeSilent(): number;
  /** Destroys every connection, whatever its state (a TLS handshake, a request, a slow reader); returns how many. */
  destroyAll(): number;
  /** Connections open now. */
  readonly size: number;
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether a peer address is this machine (127.0.0.0/8, ::1, or 127.x in its IPv4-mapped form on a dual-stack socket). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
  return isIPv4(v4) ? LOOPBACK.check(v4, 'ipv4') : LOOPBACK.check(v4, 'ipv6');
}

interface Entry {
  readonly raw: Socket;
  /** The client key counted against the bound, or null when the listener has no bound. */
  readonly key: string | null;
  /** Peer address and port (HTTPS only: how the TLS socket finds its entry). */
  readonly peer: string;
  /** The socket the HTTP parser reads (raw on HTTP, the TLS socket once the handshake is done), null during the handshake. */
  http: Socket | null;
  phase: 'handshake' | 'request' | 'served';
  timer: NodeJS.Timeout | undefined;
}

function peerOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}|${socket.remotePort ?? '?'}`;
}

/**
 * {@link clientKey} without parsing the common case: Node reports IPv4 peers as dotted quads (or IPv4-mapped on a
 * dual-stack socket), which are their own key; only IPv6 addresses need their /64 worked out. Per connection,
 * so it matters (BENCHMARKS.md, serve-throughput with `Connection: close`).
 */
function connectionKey(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  if (!address.includes(':')) return address;
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  return clientKey(address);
}

/**
 * Follows every connection of `server` from the net-level `connection` event, because Node's own limits miss
 * some of them: `closeAllConnections()` and `closeIdleConnections()` only reach sockets the HTTP layer has seen,
 * which on HTTPS means after the handshake, so a client that never finishes its ClientHello kept a shutdown
 * waiting forever. Each connection gets an absolute deadline (a timer, not an inactivity timeout, so trickling
 * bytes does not extend it) until the complete headers of its first request; after that Node's keep-alive,
 * headers and request timeouts apply. Connections over the per-address bound are destroyed when accepted.
 *
 * Call before `listen()`; the returned {@link ConnectionGuard.wrap} must wrap the request listener.
 *
 * @example
 * ```ts
 * const guard = guardConnections(server, { tls: false, handshakeTimeoutMs: 10_000, headersTimeoutMs: 10_000, maxPerAddress: 64, onRefused, onExpired });
 * server.on('request', guard.wrap(listener));
 * ```
 */
export function guardConnections(server: NetServer, options: ConnectionGuardOptions): ConnectionGuard {
  const entries = new Set<Entry>();
  const perKey = new Map<string, number>();
  // HTTPS: the TLS socket of a connection is found by its peer address and port (unique among open connections).
  const handshaking = new Map<string, Entry>();
  // Sockets (as the HTTP parser sees them) whose first request has not arrived yet.
  const awaiting = new Map<Socket, Entry>();

  const expire = (entry: Entry): void => {
    entry.timer = undefined;
    if (entry.phase === 'handshake') {
      entry.raw.destroy();
      options.onExpired('handshake', entry.raw);
    } else if (entry.phase === 'request' && entry.http !== null) {
      awaiting.delete(entry.http);
      entry.phase = 'served';
      options.onExpired('request', entry.http);
    }
  };
  const arm = (entry: Entry, ms: number): void => {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(expire, ms, entry);
  };

  server.on('connection', (raw: Socket) => {
    // The peer address costs a getpeername() call: read only where the bound or the TLS mapping needs it.
    const bounded = options.maxPerAddress > 0;
    const key = bounded ? connectionKey(raw.remoteAddress) : null;
    if (key !== null) {
      const open = perKey.get(key) ?? 0;
      if (open >= options.maxPerAddress && !(options.exemptLoopback && isLoopbackAddress(raw.remoteAddress))) {
        raw.destroy();
        options.onRefused(key);
        return;
      }
      perKey.set(key, open + 1);
    }
    const entry: Entry = {
      raw,
      key,
      peer: options.tls ? peerOf(raw) : '',
      http: options.tls ? null : raw,
      phase: options.tls ? 'handshake' : 'request',
      timer: undefined,
    };
    entries.add(entry);
    if (options.tls) handshaking.set(entry.peer, entry);
    else awaiting.set(raw, entry);
    arm(entry, options.tls ? options.handshakeTimeoutMs : options.headersTimeoutMs);
    raw.once('close', () => {
      clearTimeout(entry.timer);
      entries.delete(entry);
      if (options.tls && handshaking.get(entry.peer) === entry) handshaking.delete(entry.peer);
      if (entry.http !== null) awaiting.delete(entry.http);
      if (key !== null) {
        const left = (perKey.get(key) ?? 1) - 1;
        if (left === 0) perKey.delete(key);
        else perKey.set(key, left);
      }
    });
  });

  if (options.tls) {
    server.on('secureConnection', (socket: TLSSocket) => {
      const peer = peerOf(socket);
      const entry = handshaking.get(peer);
      if (entry === undefined || entry.phase !== 'handshake') return;
      handshaking.delete(peer);
      entry.http = socket;
      entry.phase = 'request';
      awaiting.set(socket, entry);
      arm(entry, options.headersTimeoutMs);
    });
  }

  return {
    wrap(listener) {
      return (req, res) => {
        // One size check per request once every connection has had its first request: the common case costs nothing.
        if (awaiting.size !== 0) {
          const entry = awaiting.get(req.socket);
          if (entry !== undefined) {
            awaiting.delete(req.socket);
            clearTimeout(entry.timer);
            entry.timer = undefined;
            entry.phase = 'served';
          }
        }
        listener(req, res);
      };
    },
    closeSilent() {
      let closed = 0;
      for (const entry of entries) {
        if (entry.phase !== 'served' && entry.raw.bytesRead === 0) {
          entry.raw.destroy();
          closed++;
        }
      }
      return closed;
    },
    destroyAll() {
      const count = entries.size;
      for (const entry of entries) entry.raw.destroy();
      return count;
    },
    get size() {
      return entries.size;
    },
  };
}
