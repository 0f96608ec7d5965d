// Clients that connect and then say nothing, or half a TLS ClientHello, and the sockets a server process still holds.

import { readdirSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

/**
 * The first bytes of a TLS ClientHello (RFC 8446 section 4.1.2): a handshake record announcing 512 bytes, of
 * which only the handshake header, the version and four bytes of the random follow. A server waits for the rest.
 */
export const HALF_CLIENT_HELLO = Buffer.from([
  0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, 0x01, 0x02, 0x03, 0x04,
]);

/** A raw TCP connection that sends `first` (if any), then nothing. */
export interface SilentConnection {
  readonly socket: Socket;
  /** Resolves once connected. */
  readonly connected: Promise<void>;
}

/** Options of {@link openSilent}. */
export interface SilentOptions {
  /** Bytes sent once connected (half a ClientHello, the start of a request). */
  readonly first?: Buffer;
  /** Source address (another 127.x address is another client). */
  readonly localAddress?: string;
  /** Read what the server sends (so that its close is seen); by default the client never reads, as an attacker. */
  readonly read?: boolean;
}

/** Opens a silent connection to `host:port`. */
export function openSilent(host: string, port: number, options: SilentOptions = {}): SilentConnection {
  const socket = connect({ host, port, ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  socket.on('error', () => undefined);
  if (options.read === true) socket.resume();
  else socket.pause();
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', () => {
      if (options.first) socket.write(options.first);
      resolve();
    });
    socket.once('error', reject);
  });
  return { socket, connected };
}

/** Sockets (TCP, UNIX, socket pairs) process `pid` holds open now, from /proc (Linux); null when it is gone. */
export function socketCount(pid: number | 'self'): number | null {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return null;
  }
  let n = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

/** Waits until `condition()` holds (checked every `everyMs`); resolves with the milliseconds it took, or null after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, everyMs = 50): Promise<number | null> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) return null;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return performance.now() - started;
}
